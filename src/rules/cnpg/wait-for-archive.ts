import type { Rule } from "../../engine/types.ts";
import { problem } from "../util.ts";
import { getObject, getPath } from "../../util/object.ts";
import { BACKUP, CLUSTER, SCHEDULED_BACKUP, isCluster } from "./model.ts";

export const rule: Rule = {
  meta: {
    id: "cnpg-wait-for-archive",
    appliesTo: [CLUSTER, BACKUP, SCHEDULED_BACKUP],
    defaultAction: "warn",
    params: {},
    docs: {
      summary: "onlineConfiguration.waitForArchive: false can produce hot snapshots that cannot be restored.",
      rationale:
        "For hot snapshots CNPG passes waitForArchive to pg_backup_stop(wait_for_archive). With false, the backup is " +
        "reported complete before the WAL needed to make it consistent is archived; if that WAL is lost the snapshot " +
        "cannot be restored (CRD description: \"the backup may be unusable unless WALs are archived by other means\"). " +
        "A Backup's onlineConfiguration replaces the Cluster's whole block.",
      bad: "spec:\n  backup:\n    volumeSnapshot:\n      onlineConfiguration: {waitForArchive: false}",
      good: "spec:\n  backup:\n    volumeSnapshot:\n      onlineConfiguration: {waitForArchive: true}",
      fix: "Remove waitForArchive (it defaults to true) or set it to true.",
    },
  },
  check(resource) {
    const base = isCluster(resource) ? "spec.backup.volumeSnapshot" : "spec";
    // Cold snapshots never call pg_backup_stop, so the flag does nothing there.
    if (getPath(resource, `${base}.online`) === false) return [];
    const config = getObject(resource, `${base}.onlineConfiguration`);
    if (config?.waitForArchive !== false) return [];
    const path = `${base}.onlineConfiguration.waitForArchive`;
    return [
      problem(
        path,
        "waitForArchive: false lets a hot snapshot complete before the WAL that makes it consistent is archived; if " +
          "that WAL is then lost the snapshot cannot be restored. Remove the field (default true) or set " +
          `${path}: true.`,
      ),
    ];
  },
};
