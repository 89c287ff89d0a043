import type { Problem, Resource, RuleContext } from "../../../engine/types.ts";
import { lookupNotChecked, problem } from "../../../rules/util.ts";
import { getPath, getString } from "../../../util/object.ts";
import {
  BACKUP,
  CLUSTER,
  SCHEDULED_BACKUP,
  clusterMissingReason,
  instancesOf,
  isCluster,
  lookupCluster,
  volumeSnapshotConfig,
  writtenMethod,
} from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

// How CNPG picks the instance a volume-snapshot Backup runs on (internal/controller/backup_controller.go
// getBackupTargetPod): the Backup's target, else the Cluster's (CRD default prefer-standby). prefer-standby takes the
// first ready standby that runs the Cluster's current image; `primary` takes the primary; when neither finds a pod it
// falls back to the primary (cluster.status.targetPrimary) whatever the target. A cold snapshot then fences that
// instance (volumesnapshot/offline.go: the cnpg.io/fencedInstances annotation, which shuts PostgreSQL down without a
// failover) until the CSI driver has cut every VolumeSnapshot.

/** Why a cold snapshot would stop the primary, and what that means; `undefined` when a standby is normally chosen. */
function downtimeReason(
  instances: number | undefined,
  target: string | undefined,
  subject = "the Cluster",
): { reason: string; effect: string } | undefined {
  if (instances !== undefined && instances < 2) {
    return {
      reason:
        `${subject} has ${instances} instance${instances === 1 ? "" : "s"}, so there is no standby and CNPG ` +
        `${target === "primary" ? "snapshots the primary (target: primary)" : "falls back from prefer-standby to the primary"}: ` +
        "the primary is fenced (PostgreSQL shut down) for the snapshot",
      effect: "The database accepts no connections at all until then.",
    };
  }
  if (target === "primary") {
    return {
      reason: "the backup target is primary, so CNPG fences the primary (PostgreSQL shut down, no failover) for the snapshot",
      effect: "Writes stop until then (standbys keep serving read-only connections).",
    };
  }
  return undefined;
}

const HOW_LONG =
  "The fence is lifted once every VolumeSnapshot has been cut; while a snapshot error is retried it stays up to " +
  "cnpg.io/volumeSnapshotDeadline (10 minutes by default; since cloudnative-pg#11132 CNPG retries every snapshot " +
  "error until then) (#2948, #3200, #3934).";

const MORE_INSTANCES =
  "or run at least 2 instances with target prefer-standby, so that a ready standby is fenced instead (with 2, the " +
  "primary is still fenced whenever the only standby is not ready when the backup starts)";

function clusterProblems(cluster: Resource): Problem[] {
  const vs = volumeSnapshotConfig(cluster);
  if (!vs || vs.online !== false) return [];
  const why = downtimeReason(instancesOf(cluster), getString(cluster, "spec.backup.target"));
  if (!why) return [];
  return [
    problem(
      "spec.backup.volumeSnapshot.online",
      `online: false takes cold snapshots, and ${why.reason}. ${why.effect} ${HOW_LONG} Set ` +
        `spec.backup.volumeSnapshot.online: true (hot snapshots, with a WAL archive), ${MORE_INSTANCES}.`,
    ),
  ];
}

function backupProblems(backup: Resource, ctx: RuleContext): Problem[] {
  if (writtenMethod(backup) !== "volumeSnapshot") return [];
  const online = getPath(backup, "spec.online");
  if (online === true) return [];
  const ownTarget = getString(backup, "spec.target");
  const path = online === false ? "spec.online" : "spec.method";
  const fix = `Set spec.online: true (hot snapshot), ${MORE_INSTANCES}.`;
  // Visible without the Cluster: a cold backup of the primary.
  if (online === false && ownTarget === "primary") {
    return [
      problem(
        "spec.target",
        "online: false with target: primary fences the primary (PostgreSQL shut down, no failover) for the snapshot: " +
          `writes stop until then, and on a single-instance Cluster every connection does. ${HOW_LONG} ${fix}`,
      ),
    ];
  }
  const ref = lookupCluster(backup, ctx);
  if (ref.state === "no-reference") return [];
  // The lookup's own reason: a placeholder in the name, several candidates, or an unknown kind.
  if (ref.state === "unknown") return online === false ? [lookupNotChecked(ref, path)] : [];
  if (ref.state === "missing") return online === false ? [{ path, message: clusterMissingReason(ref.name), notChecked: true }] : [];
  const cluster = ref.cluster;
  const clusterOnline = volumeSnapshotConfig(cluster)?.online;
  if (online === undefined && clusterOnline !== false) return [];
  const target = ownTarget ?? getString(cluster, "spec.backup.target");
  const why = downtimeReason(instancesOf(cluster), target, `Cluster "${ref.name}"`);
  if (!why) return [];
  const cold = online === false ? "online: false takes a cold snapshot" : `online is unset, so the Cluster's volumeSnapshot.online: false makes this a cold snapshot`;
  return [problem(path, `${cold}, and ${why.reason}. ${why.effect} ${HOW_LONG} ${fix}`)];
}

export const rule = defineRule({
  meta: {
    id: "cnpg-offline-snapshot-downtime",
    appliesTo: [CLUSTER, BACKUP, SCHEDULED_BACKUP],
    defaultAction: "deny",
    params: {},
    lookups: ["Cluster"],
    docs: {
      summary: "A cold snapshot (online: false) must not fence the only instance or the primary.",
      rationale:
        "A cold volume-snapshot backup (online: false) fences the instance it runs on: PostgreSQL is shut down, " +
        "without a failover, until the CSI driver has cut every VolumeSnapshot. Which instance follows the Backup's " +
        "target, else the Cluster's spec.backup.target (default prefer-standby: the first ready standby running the " +
        "Cluster's current image). When no such standby exists CNPG falls back to the primary, so a single instance " +
        "(spec.instances defaults to 1) always fences the primary, and so does target: primary. The docs warn that " +
        "this interrupts writes. While a " +
        "snapshot error is retried the fence stays up to cnpg.io/volumeSnapshotDeadline (10 min) (#2948, #3200, " +
        "#3934). Clusters of 2 or more instances with prefer-standby pass: the primary is fenced there only when no " +
        "standby is ready at the moment the backup starts, which cannot be seen at admission.",
      bad: "spec:\n  instances: 1\n  backup:\n    volumeSnapshot:\n      className: csi-snapclass\n      online: false",
      good: "spec:\n  instances: 3\n  backup:\n    target: prefer-standby\n    volumeSnapshot:\n      className: csi-snapclass\n      online: false",
      fix: "Use hot snapshots (online: true, with a WAL archive), or run at least 2 instances and keep target prefer-standby.",
    },
  },
  check(resource, ctx) {
    return isCluster(resource) ? clusterProblems(resource) : backupProblems(resource, ctx);
  },
});
