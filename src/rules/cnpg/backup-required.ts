import type { Rule } from "../../engine/types.ts";
import { problem } from "../util.ts";
import { BARMAN_CLOUD_PLUGIN, CLUSTER, clusterBackupMethods } from "./model.ts";

interface Params {
  /** Plugin names that take base backups (`method: plugin`). */
  backupPlugins: string[];
}

export const rule: Rule<Params> = {
  meta: {
    id: "cnpg-backup-required",
    appliesTo: [CLUSTER],
    defaultAction: "deny",
    params: {
      backupPlugins: {
        type: "array",
        items: { type: "string", minLength: 1 },
        default: [BARMAN_CLOUD_PLUGIN],
        description: "Plugin names that count as a base-backup method when enabled in spec.plugins.",
      },
    },
    docs: {
      summary: "A Cluster must have a base-backup method: volume snapshots, the barman-cloud plugin, or (deprecated) barmanObjectStore.",
      rationale:
        "CNPG creates a Cluster without any backup configuration and never complains. A Backup or ScheduledBackup " +
        "aimed at such a Cluster fails at run time with \"cannot proceed with the backup as the cluster has no backup " +
        "section\" or \"no plugin configured\" (backup_controller.go checkPrerequisites; #8445, #10688). A WAL archive " +
        "alone cannot be restored: recovery always starts from a base backup.",
      bad: "spec:\n  instances: 3\n  storage: {size: 10Gi}",
      good:
        "spec:\n  instances: 3\n  plugins:\n  - name: barman-cloud.cloudnative-pg.io\n    isWALArchiver: true\n" +
        "    parameters: {barmanObjectName: pg-store}",
      fix: "Add the barman-cloud plugin to spec.plugins (with an ObjectStore), or spec.backup.volumeSnapshot with a className.",
    },
  },
  check(resource, ctx) {
    const plugins = Array.isArray(ctx.params.backupPlugins) ? ctx.params.backupPlugins : [BARMAN_CLOUD_PLUGIN];
    if (clusterBackupMethods(resource, plugins).length > 0) return [];
    const name = resource.metadata.name ?? "<cluster>";
    return [
      problem(
        "spec.backup",
        "the Cluster has no base-backup method: no spec.backup.volumeSnapshot, no spec.backup.barmanObjectStore and no " +
          `enabled ${plugins.join("/")} plugin in spec.plugins. CNPG accepts this, and every Backup of it then fails ` +
          '("cluster has no backup section"). Add the barman-cloud plugin: spec.plugins: [{name: ' +
          `${BARMAN_CLOUD_PLUGIN}, isWALArchiver: true, parameters: {barmanObjectName: ${name}-store}}] ` +
          "(with an ObjectStore of that name), and/or spec.backup.volumeSnapshot: {className: <VolumeSnapshotClass>}.",
      ),
    ];
  },
};
