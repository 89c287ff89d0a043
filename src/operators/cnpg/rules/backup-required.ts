import { problem } from "../../../rules/util.ts";
import { BARMAN_CLOUD_PLUGIN, CLUSTER, clusterBackupMethods, clusterPlugins, pluginsNamedBySchedules } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

interface Params {
  /** Plugin names that take base backups (`method: plugin`). */
  backupPlugins: string[];
}

export const rule = defineRule<Params>({
  meta: {
    id: "cnpg-backup-required",
    appliesTo: [CLUSTER],
    defaultAction: "deny",
    params: {
      backupPlugins: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: [BARMAN_CLOUD_PLUGIN],
        description:
          "Plugin names that count as a base-backup method when enabled in spec.plugins. Any enabled plugin that is the " +
          "WAL archiver, or that a known ScheduledBackup of the Cluster names, counts too.",
      },
    },
    docs: {
      summary: "A Cluster must have a base-backup method: volume snapshots, a backup plugin (barman-cloud or another), or (deprecated) barmanObjectStore.",
      rationale:
        "CNPG creates a Cluster without any backup configuration and never complains. A Backup or ScheduledBackup " +
        "aimed at such a Cluster fails at run time with \"cannot proceed with the backup as the cluster has no backup " +
        "section\" or \"no plugin configured\" (checkPrerequisites in https://github.com/cloudnative-pg/cloudnative-pg/blob/" +
        "a95a534dbe0854495b863bbc1b7651f74d310916/internal/controller/backup_controller.go). CNPG sends a plugin backup " +
        "to whichever enabled plugin the Backup names, so any backup plugin counts: barman-cloud, the pgBackRest plugin " +
        "(pgbackrest.dalibo.com) or another one that is the WAL archiver or that a ScheduledBackup of the Cluster names. " +
        "A WAL archive alone cannot be restored: recovery always starts from a base backup. When the Cluster has no " +
        "WAL archive either, this one finding says so (cnpg-wal-archive-required then stays silent).",
      bad: "spec:\n  instances: 3\n  storage: {size: 10Gi}",
      good:
        "spec:\n  instances: 3\n  plugins:\n  - name: barman-cloud.cloudnative-pg.io\n    isWALArchiver: true\n" +
        "    parameters: {barmanObjectName: pg-store}",
      fix: "Add a backup plugin to spec.plugins (barman-cloud with an ObjectStore, marked isWALArchiver: true), or spec.backup.volumeSnapshot with a className.",
    },
  },
  check(resource, ctx) {
    const plugins = Array.isArray(ctx.params.backupPlugins) ? ctx.params.backupPlugins : [BARMAN_CLOUD_PLUGIN];
    if (clusterBackupMethods(resource, plugins, pluginsNamedBySchedules(resource, ctx)).length > 0) return [];
    const name = resource.metadata.name ?? "<cluster>";
    const entry = `{name: ${BARMAN_CLOUD_PLUGIN}, isWALArchiver: true, parameters: {barmanObjectName: ${name}-store}}`;
    const others = clusterPlugins(resource).filter((p) => p.enabled && p.name !== undefined).map((p) => p.name);
    const otherText =
      others.length > 0
        ? ` Its enabled plugins (${others.join(", ")}) are neither the WAL archiver nor named by a known ScheduledBackup; ` +
          "if one of them takes backups, mark it isWALArchiver: true or add it to this rule's backupPlugins."
        : "";
    // Every WAL archive (an isWALArchiver plugin, the in-tree store) is also a base-backup method, so a Cluster
    // without one has no WAL archive either: one finding tells both (cnpg-wal-archive-required stays silent).
    return [
      problem(
        "spec.backup",
        "the Cluster has no backup configuration at all: no base-backup method (no spec.backup.volumeSnapshot, no " +
          "backup plugin, no spec.backup.barmanObjectStore) and no WAL archive. CNPG accepts this: every Backup of it " +
          "fails (\"cluster has no backup section\") and its archive_command succeeds without keeping any WAL segment, " +
          `so nothing can be restored.${otherText} Add to spec.plugins: ${entry} (with an ObjectStore of that name), ` +
          "which gives both base backups and the WAL archive.",
      ),
    ];
  },
});
