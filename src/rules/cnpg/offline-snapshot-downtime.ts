import type { Problem, Resource, Rule, RuleContext } from "../../engine/types.ts";
import { notChecked, problem } from "../util.ts";
import { getPath, getString } from "../../util/object.ts";
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
} from "./model.ts";

/** Why a cold snapshot would stop the database, or `undefined` when a standby can take it. */
function downtimeReason(instances: number | undefined, target: string | undefined, subject = "the Cluster"): string | undefined {
  if (target === "primary") return "the backup target is primary, so the primary is fenced (shut down) for the whole snapshot";
  if (instances !== undefined && instances < 2)
    return `${subject} has ${instances} instance${instances === 1 ? "" : "s"}, so prefer-standby falls back to the primary and it is fenced (shut down) for the whole snapshot`;
  return undefined;
}

const CONSEQUENCE =
  "No reads or writes are possible until the VolumeSnapshots are taken, and a snapshot error keeps it fenced until " +
  "the 10-minute deadline (#2948, #3200, #3934).";

function clusterProblems(cluster: Resource): Problem[] {
  const vs = volumeSnapshotConfig(cluster);
  if (!vs || vs.online !== false) return [];
  const reason = downtimeReason(instancesOf(cluster), getString(cluster, "spec.backup.target"));
  if (!reason) return [];
  return [
    problem(
      "spec.backup.volumeSnapshot.online",
      `online: false takes cold snapshots and ${reason}. ${CONSEQUENCE} Set spec.backup.volumeSnapshot.online: true ` +
        "(hot snapshots, with a WAL archive), or run at least 2 instances (spec.instances: 2) with " +
        "spec.backup.target: prefer-standby.",
    ),
  ];
}

function backupProblems(backup: Resource, ctx: RuleContext): Problem[] {
  if (writtenMethod(backup) !== "volumeSnapshot") return [];
  const online = getPath(backup, "spec.online");
  if (online === true) return [];
  const ownTarget = getString(backup, "spec.target");
  const path = online === false ? "spec.online" : "spec.method";
  const fix =
    "Set spec.online: true (hot snapshot), or back up a Cluster with at least 2 instances with spec.target: prefer-standby.";
  // Visible without the Cluster: a cold backup of the primary.
  if (online === false && ownTarget === "primary") {
    return [problem("spec.target", `online: false with target: primary fences (shuts down) the primary for the whole snapshot. ${CONSEQUENCE} ${fix}`)];
  }
  const ref = lookupCluster(backup, ctx);
  if (ref.state === "no-reference") return [];
  if (ref.state === "unknown") return online === false ? [notChecked(ctx.lookups, "Cluster", path)] : [];
  if (ref.state === "missing") return online === false ? [{ path, message: clusterMissingReason(ref.name), notChecked: true }] : [];
  const cluster = ref.cluster;
  const clusterOnline = volumeSnapshotConfig(cluster)?.online;
  if (online === undefined && clusterOnline !== false) return [];
  const target = ownTarget ?? getString(cluster, "spec.backup.target");
  const reason = downtimeReason(instancesOf(cluster), target, `Cluster "${ref.name}"`);
  if (!reason) return [];
  const cold = online === false ? "online: false takes a cold snapshot" : `online is unset, so the Cluster's volumeSnapshot.online: false makes this a cold snapshot`;
  return [problem(path, `${cold}, and ${reason}. ${CONSEQUENCE} ${fix}`)];
}

export const rule: Rule = {
  meta: {
    id: "cnpg-offline-snapshot-downtime",
    appliesTo: [CLUSTER, BACKUP, SCHEDULED_BACKUP],
    defaultAction: "deny",
    params: {},
    lookups: ["Cluster"],
    docs: {
      summary: "A cold snapshot (online: false) must not fence the only instance or the primary.",
      rationale:
        "A cold volume-snapshot backup fences its target pod, which shuts PostgreSQL down for the snapshot. The target " +
        "is the backup's target, else the Cluster's, else prefer-standby, which falls back to the primary when no " +
        "standby is ready — always on a single instance (spec.instances defaults to 1). The docs warn that this makes " +
        "the cluster unavailable; a failing snapshot keeps the fence up until cnpg.io/volumeSnapshotDeadline " +
        "(#2948, #3200, #3934).",
      bad: "spec:\n  instances: 1\n  backup:\n    volumeSnapshot:\n      className: csi-snapclass\n      online: false",
      good: "spec:\n  instances: 3\n  backup:\n    target: prefer-standby\n    volumeSnapshot:\n      className: csi-snapclass\n      online: false",
      fix: "Use hot snapshots (online: true, with a WAL archive), or run at least 2 instances and keep target prefer-standby.",
    },
  },
  check(resource, ctx) {
    return isCluster(resource) ? clusterProblems(resource) : backupProblems(resource, ctx);
  },
};
