import type { Problem, Rule } from "../../engine/types.ts";
import { problem } from "../util.ts";
import {
  BARMAN_CLOUD_PLUGIN,
  CLUSTER,
  SKIP_WAL_ARCHIVING_ANNOTATION,
  clusterPlugins,
  isBarmanCloud,
  hasWalArchiveConfigured,
  walArchivingSkipped,
} from "./model.ts";

export const rule: Rule = {
  meta: {
    id: "cnpg-wal-archive-required",
    appliesTo: [CLUSTER],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "A Cluster must archive its WAL: an enabled plugin with isWALArchiver: true, or (deprecated) spec.backup.barmanObjectStore.",
      rationale:
        "Without a WAL archiver CNPG still sets archive_mode=on, and its archive_command succeeds while discarding " +
        "every WAL segment (archiver.go: \"Backup not configured, skip WAL archiving via Barman Cloud\"). Nothing " +
        "fails, but point-in-time recovery is impossible and hot backups cannot be restored: the docs call the WAL " +
        "archive mandatory for PITR and object-store backups. The annotation cnpg.io/skipWalArchiving: enabled turns " +
        "archive_mode off altogether. Only an enabled plugin with isWALArchiver: true or the in-tree " +
        "barmanObjectStore archives WALs (at most one of them, which CNPG enforces).",
      bad: "spec:\n  backup:\n    volumeSnapshot: {className: csi-snapclass}",
      good:
        "spec:\n  backup:\n    volumeSnapshot: {className: csi-snapclass}\n  plugins:\n" +
        "  - name: barman-cloud.cloudnative-pg.io\n    isWALArchiver: true\n    parameters: {barmanObjectName: pg-store}",
      fix: "Add a barman-cloud plugin entry with isWALArchiver: true and a barmanObjectName naming an ObjectStore in the namespace; remove cnpg.io/skipWalArchiving.",
    },
  },
  check(resource) {
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
    if (!hasWalArchiveConfigured(resource)) {
      // A barman-cloud entry that is there but not the archiver: point at the one field to change.
      const near = clusterPlugins(resource).find((p) => isBarmanCloud(p) && (!p.enabled || !p.isWALArchiver));
      if (near) {
        const fields = [...(near.enabled ? [] : ["enabled"]), ...(near.isWALArchiver ? [] : ["isWALArchiver"])];
        out.push(
          problem(
            `${near.path}.${fields[0]}`,
            `the Cluster has no WAL archive: its barman-cloud plugin entry is ${near.enabled ? "not the WAL archiver" : "disabled"}, ` +
              "so CNPG discards every WAL segment without an error and point-in-time recovery is impossible. " +
              `Set ${fields.map((f) => `${near.path}.${f}: true`).join(" and ")}.`,
          ),
        );
        return out;
      }
      const name = resource.metadata.name ?? "<cluster>";
      out.push(
        problem(
          "spec.plugins",
          "the Cluster has no WAL archive: no enabled plugin with isWALArchiver: true and no spec.backup.barmanObjectStore. " +
            "CNPG then discards every WAL segment without an error, so no point-in-time recovery is possible and hot " +
            `backups cannot be restored. Add to spec.plugins: {name: ${BARMAN_CLOUD_PLUGIN}, isWALArchiver: true, ` +
            `parameters: {barmanObjectName: ${name}-store}} and create that ObjectStore in the same namespace.`,
        ),
      );
    }
    return out;
  },
};
