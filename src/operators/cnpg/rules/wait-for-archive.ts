import type { Problem, Resource, RuleContext } from "../../../engine/types.ts";
import { problem } from "../../../rules/util.ts";
import { getObject, getPath, getString, isObject } from "../../../util/object.ts";
import { BACKUP, CLUSTER, SCHEDULED_BACKUP, instancesOf, isCluster, lookupCluster, volumeSnapshotConfig, writtenMethod } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

// CNPG passes onlineConfiguration.waitForArchive to pg_backup_stop(wait_for_archive => ...) when it ends a hot
// snapshot (pkg/management/postgres/webserver/backup_connection.go). PostgreSQL waits for the WAL only when archiving
// is active: on a primary with archive_mode on, on a standby only with archive_mode = always (do_pg_backup_stop).
// CNPG sets archive_mode = on on every instance of a normal Cluster and always in a replica cluster
// (pkg/postgres/configuration.go), where every instance but the designated primary acknowledges WAL without
// archiving it (pkg/management/postgres/archiver/archiver.go Run). So the flag matters only when the snapshot is taken
// on the (designated) primary.

/** Whether CNPG runs the Cluster as a replica cluster (api/v1/cluster_funcs.go IsReplica). */
function isReplicaCluster(cluster: Resource): boolean {
  const r = getObject(cluster, "spec.replica");
  if (!r) return false;
  if (typeof r.enabled === "boolean") return r.enabled;
  const self = typeof r.self === "string" && r.self !== "" ? r.self : cluster.metadata.name;
  return typeof r.primary === "string" && r.primary !== "" && self !== r.primary;
}

const WHAT =
  "waitForArchive: false makes CNPG end a hot snapshot with pg_backup_stop(wait_for_archive => false), which returns " +
  "without waiting for the WAL needed to make the snapshot consistent to be archived; the Backup can complete before " +
  "that WAL is in the archive, and if it never gets there the snapshot cannot be restored.";

const WHERE =
  "It only changes anything when the snapshot is taken on the primary (or a replica cluster's designated primary): " +
  "on a standby PostgreSQL waits only with archive_mode = always, and CNPG sets archive_mode = on on the standbys of " +
  "a Cluster (always in a replica cluster, whose other standbys mark WAL archived without uploading it).";

/** Where the snapshots run, for the message. `targets` is e.g. "This backup targets". */
function whereItRuns(cluster: Resource, target: string | undefined, targets: string): string {
  const instances = instancesOf(cluster);
  const replica = isReplicaCluster(cluster) ? " (the designated primary: this is a replica cluster)" : "";
  if (target === "primary") return ` ${targets} the primary${replica}, so the flag applies to every snapshot.`;
  if (instances !== undefined && instances < 2) {
    return ` With a single instance every snapshot is taken on the primary${replica}, so the flag applies to all of them.`;
  }
  return (
    " With prefer-standby and several instances snapshots normally run on a standby, where the flag changes nothing; " +
    `it applies when no standby is ready and CNPG falls back to the primary${replica}.`
  );
}

function message(path: string, context: string): string {
  return `${WHAT} ${WHERE}${context} Remove the field (default true) or set ${path}: true.`;
}

function clusterProblems(cluster: Resource): Problem[] {
  const vs = volumeSnapshotConfig(cluster);
  // Cold snapshots never call pg_backup_stop, so the flag does nothing there.
  if (!vs || vs.online === false) return [];
  if (getPath(vs, "onlineConfiguration.waitForArchive") !== false) return [];
  const path = "spec.backup.volumeSnapshot.onlineConfiguration.waitForArchive";
  return [problem(path, message(path, whereItRuns(cluster, getString(cluster, "spec.backup.target"), "This Cluster's backups target")))];
}

function backupProblems(backup: Resource, ctx: RuleContext): Problem[] {
  // Only volume-snapshot backups call pg_backup_stop with this flag (the plugin ignores it; barmanObjectStore rejects it).
  if (writtenMethod(backup) !== "volumeSnapshot") return [];
  const config = getObject(backup, "spec.onlineConfiguration");
  if (config?.waitForArchive !== false) return [];
  const online = getPath(backup, "spec.online");
  if (online === false) return [];
  const path = "spec.onlineConfiguration.waitForArchive";
  const ref = lookupCluster(backup, ctx);
  if (ref.state !== "found") return [problem(path, message(path, ""))];
  const vs = volumeSnapshotConfig(ref.cluster);
  // The Backup's online replaces the Cluster's (api/v1/backup_funcs.go GetVolumeSnapshotConfiguration).
  if (online !== true && isObject(vs) && vs.online === false) return [];
  const target = getString(backup, "spec.target") ?? getString(ref.cluster, "spec.backup.target");
  const targets = getString(backup, "spec.target") !== undefined ? "This backup targets" : `Cluster "${ref.name}"'s backups target`;
  return [problem(path, message(path, whereItRuns(ref.cluster, target, targets)))];
}

export const rule = defineRule({
  meta: {
    id: "cnpg-wait-for-archive",
    appliesTo: [CLUSTER, BACKUP, SCHEDULED_BACKUP],
    defaultAction: "warn",
    params: {},
    lookups: ["Cluster"],
    docs: {
      summary: "onlineConfiguration.waitForArchive: false can produce hot snapshots that cannot be restored.",
      rationale:
        "For hot snapshots CNPG passes waitForArchive to pg_backup_stop(wait_for_archive). With false, the backup is " +
        "reported complete before the WAL needed to make it consistent is archived; if that WAL is lost the snapshot " +
        "cannot be restored (CRD description: \"the backup may be unusable unless WALs are archived by other means\"). " +
        "PostgreSQL waits only where archiving is active: on a primary, and on a standby only with archive_mode = " +
        "always. CNPG sets archive_mode = on on a Cluster's standbys (always in a replica cluster, where standbys " +
        "other than the designated primary acknowledge WAL without archiving it), so the flag matters for snapshots " +
        "taken on the primary: target primary, a single instance, or prefer-standby falling back to the primary. " +
        "Cold snapshots (online: false) and other backup methods ignore it. A Backup's onlineConfiguration replaces " +
        "the Cluster's whole block.",
      bad: "spec:\n  backup:\n    volumeSnapshot:\n      onlineConfiguration: {waitForArchive: false}",
      good: "spec:\n  backup:\n    volumeSnapshot:\n      onlineConfiguration: {waitForArchive: true}",
      fix: "Remove waitForArchive (it defaults to true) or set it to true.",
    },
  },
  check(resource, ctx) {
    return isCluster(resource) ? clusterProblems(resource) : backupProblems(resource, ctx);
  },
});
