import type { Problem, Resource } from "../../../engine/types.ts";
import { placeholderNotChecked, problem } from "../../../rules/util.ts";
import { getArray, isObject } from "../../../util/object.ts";
import {
  BARMAN_CLOUD_PLUGIN,
  CLUSTER,
  SKIP_WAL_ARCHIVING_ANNOTATION,
  clusterBackupMethods,
  clusterPlugins,
  hasWalArchiveConfigured,
  walArchivingSkipped,
} from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

const ARCHIVER_CODE = "https://github.com/cloudnative-pg/cloudnative-pg/blob/a95a534dbe0854495b863bbc1b7651f74d310916/pkg/management/postgres/archiver/archiver.go";

/** What isWALArchiver really does, for the message about an entry without it. */
const FLAG_MEANING =
  "CNPG sends each WAL segment to every enabled plugin that can archive, whatever the flag says (barman-cloud does not " +
  "read it, plugin-barman-cloud#606); isWALArchiver: true is how CNPG knows that this plugin is the Cluster's WAL " +
  "archive: only then does an instance refuse to start while the archiver plugin is missing instead of carrying on, " +
  "and only then are new replicas bootstrapped from the backups. The plugin's documented setup requires it";

/** No backup configuration of any kind: cnpg-backup-required fires then, whatever its parameters say. */
function noBackupConfiguration(cluster: Resource): boolean {
  return clusterBackupMethods(cluster, []).length === 0 && !clusterPlugins(cluster).some((p) => p.enabled && p.name !== undefined);
}

export const rule = defineRule({
  meta: {
    id: "cnpg-wal-archive-required",
    appliesTo: [CLUSTER],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "A Cluster must archive its WAL: an enabled plugin with isWALArchiver: true, or (deprecated) spec.backup.barmanObjectStore.",
      rationale:
        "Without a WAL archive CNPG still sets archive_mode=on, and its archive_command succeeds while keeping nothing " +
        `("Backup not configured, skip WAL archiving via Barman Cloud", ${ARCHIVER_CODE}). Nothing fails, but ` +
        "point-in-time recovery is impossible and hot backups cannot be restored. Every enabled plugin that can archive " +
        "receives the WAL segments; isWALArchiver: true marks the one that is the Cluster's WAL archive, which CNPG " +
        "needs to fail fast when that plugin is missing and to bootstrap replicas from backups. The annotation " +
        "cnpg.io/skipWalArchiving: enabled turns archive_mode off altogether. When a Cluster has no backup " +
        "configuration at all, cnpg-backup-required reports it once for both.",
      bad: "spec:\n  backup:\n    volumeSnapshot: {className: csi-snapclass}",
      good:
        "spec:\n  backup:\n    volumeSnapshot: {className: csi-snapclass}\n  plugins:\n" +
        "  - name: barman-cloud.cloudnative-pg.io\n    isWALArchiver: true\n    parameters: {barmanObjectName: pg-store}",
      fix: "Mark the plugin that archives WAL with isWALArchiver: true (barman-cloud: with a barmanObjectName naming an ObjectStore in the namespace); remove cnpg.io/skipWalArchiving.",
    },
  },
  check(resource, ctx) {
    const out: Problem[] = [];
    if (walArchivingSkipped(resource)) {
      out.push(
        problem(
          `metadata.annotations.${SKIP_WAL_ARCHIVING_ANNOTATION}`,
          `the annotation ${SKIP_WAL_ARCHIVING_ANNOTATION}: enabled makes CNPG set archive_mode=off, so no WAL is ` +
            "archived and point-in-time recovery is impossible. Remove the annotation (it is meant for one-off bulk loads).",
        ),
      );
    }
    if (hasWalArchiveConfigured(resource)) return out;
    // No backup configuration at all: cnpg-backup-required tells the whole story once.
    if (noBackupConfiguration(resource) && ctx.ruleActive?.("cnpg-backup-required") !== false) return out;
    // `isWALArchiver: ${ARCHIVE}` is a boolean only once substituted.
    for (const [i, raw] of (getArray(resource, "spec.plugins") ?? []).entries()) {
      if (!isObject(raw) || raw.enabled === false) continue;
      const unresolved = placeholderNotChecked(raw.isWALArchiver, `spec.plugins[${i}].isWALArchiver`, "isWALArchiver");
      if (unresolved) return [...out, unresolved];
    }
    const plugins = clusterPlugins(resource).filter((p) => p.name !== undefined);
    const disabled = plugins.find((p) => !p.enabled && p.name === BARMAN_CLOUD_PLUGIN);
    const unflagged = plugins.filter((p) => p.enabled && !p.isWALArchiver);
    if (unflagged.length > 0) {
      const p = unflagged.find((e) => e.name === BARMAN_CLOUD_PLUGIN) ?? unflagged[0]!;
      const which = unflagged.length === 1 ? `its plugin ${p.name}` : `none of its plugins (${unflagged.map((e) => e.name).join(", ")})`;
      out.push(
        problem(
          `${p.path}.isWALArchiver`,
          `no plugin of the Cluster is marked as its WAL archive: ${which} has isWALArchiver: true. ${FLAG_MEANING}. ` +
            `Set ${p.path}.isWALArchiver: true on the plugin that archives WAL.`,
        ),
      );
      return out;
    }
    if (disabled) {
      out.push(
        problem(
          `${disabled.path}.enabled`,
          "the Cluster has no WAL archive: its barman-cloud plugin entry is disabled, so CNPG's archive_command succeeds " +
            "without keeping any WAL segment and point-in-time recovery is impossible. " +
            `Set ${disabled.path}.enabled: true and ${disabled.path}.isWALArchiver: true.`,
        ),
      );
      return out;
    }
    const name = resource.metadata.name ?? "<cluster>";
    out.push(
      problem(
        "spec.plugins",
        "the Cluster has no WAL archive: no enabled plugin with isWALArchiver: true and no spec.backup.barmanObjectStore. " +
          "CNPG's archive_command then succeeds without keeping any WAL segment, so point-in-time recovery is impossible " +
          `and hot backups cannot be restored. Add to spec.plugins: {name: ${BARMAN_CLOUD_PLUGIN}, isWALArchiver: true, ` +
          `parameters: {barmanObjectName: ${name}-store}} and create that ObjectStore in the same namespace.`,
      ),
    );
    return out;
  },
});
