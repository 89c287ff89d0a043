// backup-stale: the last successful base backup of a Cluster is older than maxBackupAge, or there has never been one.
import type { Problem, Resource, RuleContext } from "../../../engine/types.ts";
import { DURATION_PATTERN, formatDuration, parseDuration } from "../../../util/duration.ts";
import { getObject, getPath, isObject } from "../../../util/object.ts";
import { findObject, namespaceOf, problem } from "../../../rules/util.ts";
import {
  BARMAN_CLOUD_PLUGIN,
  CLUSTER,
  barmanObjectName,
  clusterBackupMethods,
  clusterPlugins,
  inTreeObjectStore,
  isBarmanCloud,
  volumeSnapshotConfig,
} from "../model.ts";
import { ago, isReplicaCluster, timeOf } from "./common.ts";
import { defineRule } from "../../../rules/define.ts";

const DAY = 86_400;
/** schedule-too-rare's own default, when the policy gives it none either. */
const TOO_RARE_DEFAULT = "7d";

interface Params {
  maxBackupAge?: string;
}

/** maxBackupAge, else schedule-too-rare's maxInterval plus one day (one missed or slow run is not yet stale). */
export function maxBackupAge(ctx: RuleContext<Params>): { seconds: number; text: string } {
  const own = typeof ctx.params.maxBackupAge === "string" ? parseDuration(ctx.params.maxBackupAge) : undefined;
  if (own !== undefined) return { seconds: own, text: ctx.params.maxBackupAge! };
  const raw = ctx.ruleParams?.("schedule-too-rare")?.maxInterval;
  const interval = (typeof raw === "string" ? parseDuration(raw) : undefined) ?? parseDuration(TOO_RARE_DEFAULT)!;
  return { seconds: interval + DAY, text: `${formatDuration(interval + DAY)} (schedule-too-rare's maxInterval ${formatDuration(interval)} + 1d)` };
}

interface Evidence {
  at: number;
  from: string;
}

/** What the status says about the last successful base backup, and what could not be read (with why). */
function evidence(cluster: Resource, ctx: RuleContext<Params>): { found: Evidence[]; unknown: string[] } {
  const found: Evidence[] = [];
  const unknown: string[] = [];
  // In-tree barmanObjectStore and volumeSnapshot backups: the operator keeps status.lastSuccessfulBackup (the newest of
  // lastSuccessfulBackupByMethod). CNPG does not set it for plugin backups (cluster_types.go, "Deprecated: the field
  // is not set for backup plugins").
  const last = timeOf(getPath(cluster, "status.lastSuccessfulBackup"));
  if (last !== undefined) found.push({ at: last, from: "status.lastSuccessfulBackup" });
  const byMethod = getObject(cluster, "status.lastSuccessfulBackupByMethod");
  for (const [method, value] of Object.entries(byMethod ?? {}).slice(0, 10)) {
    const t = timeOf(value);
    if (t !== undefined) found.push({ at: t, from: `status.lastSuccessfulBackupByMethod.${method}` });
  }
  // The barman-cloud plugin keeps the time in its ObjectStore: status.serverRecoveryWindow[serverName].
  const ns = namespaceOf(cluster);
  for (const p of clusterPlugins(cluster)) {
    if (!p.enabled || p.name === undefined) continue;
    if (!isBarmanCloud(p)) {
      if (p.isWALArchiver) unknown.push(`plugin ${p.name} keeps no backup time that pg-backup-guard can read`);
      continue;
    }
    const store = barmanObjectName(p);
    if (store === undefined) continue; // cnpg-plugin-object-name-required
    const server = typeof p.parameters?.serverName === "string" && p.parameters.serverName !== "" ? p.parameters.serverName : cluster.metadata.name;
    const o = findObject(ctx.lookups, "ObjectStore", ns, store);
    if (o.state === "unknown") {
      unknown.push(o.reason);
      continue;
    }
    if (o.state === "missing" || typeof server !== "string") continue; // cnpg-object-store-exists
    const windows = getObject(o.object, "status.serverRecoveryWindow");
    const window = windows && Object.hasOwn(windows, server) ? windows[server] : undefined;
    const t = isObject(window) ? timeOf(window.lastSuccessfulBackupTime) : undefined;
    if (t !== undefined) found.push({ at: t, from: `ObjectStore ${store} status.serverRecoveryWindow.${server}.lastSuccessfulBackupTime` });
  }
  return { found, unknown };
}

export const rule = defineRule<Params>({
  meta: {
    id: "backup-stale",
    appliesTo: [CLUSTER],
    defaultAction: "deny",
    auditOnly: true,
    params: {
      maxBackupAge: {
        type: "string",
        pattern: DURATION_PATTERN,
        description: "Oldest allowed last successful base backup. Default: schedule-too-rare's maxInterval plus 1d (8d with the built-in policy).",
      },
    },
    docs: {
      summary: "(audit) The last successful base backup of a CNPG Cluster must be younger than maxBackupAge (default: schedule-too-rare's maxInterval + 1d).",
      rationale:
        "A correct manifest does not prove that backups succeed: credentials expire, buckets fill up, snapshots fail. CloudNativePG records the last successful base backup in the Cluster's status.lastSuccessfulBackup for in-tree barmanObjectStore and volumeSnapshot backups, and the barman-cloud plugin records it in its ObjectStore's status.serverRecoveryWindow[serverName].lastSuccessfulBackupTime (CNPG does not fill the Cluster field for plugin backups). The rule takes the newest of them. A Cluster that never had one is reported once it is older than maxBackupAge. CPO exposes no backup time in its status (only PostgresClusterStatus and RestoreID), so CPO clusters are not checked; other backup plugins are not checked either.",
      bad: "kind: Cluster\nstatus:\n  lastSuccessfulBackup: \"2026-01-02T00:00:00Z\"   # weeks ago",
      good: "kind: Cluster\nstatus:\n  lastSuccessfulBackup: \"2026-11-22T00:00:12Z\"   # last night",
      fix: "Find out why backups fail (kubectl get backups -n NS; the Backup's status.error; the plugin's logs), fix it, and take a backup now (kubectl cnpg backup CLUSTER).",
    },
  },
  check(resource, ctx) {
    if (isReplicaCluster(resource) || clusterBackupMethods(resource, [BARMAN_CLOUD_PLUGIN]).length === 0) return [];
    const max = maxBackupAge(ctx);
    const { found, unknown } = evidence(resource, ctx);
    const now = ctx.now.getTime();
    const path = inTreeObjectStore(resource) || volumeSnapshotConfig(resource) ? "status.lastSuccessfulBackup" : "spec.plugins";
    if (found.length === 0) {
      if (unknown.length > 0) return [{ path, message: unknown.join("; "), notChecked: true }];
      const created = timeOf(resource.metadata.creationTimestamp);
      if (created !== undefined && now - created <= max.seconds * 1000) return []; // new: its first backup may not be due yet
      return [
        problem(
          path,
          `no successful base backup is recorded for this Cluster${created !== undefined ? `, created ${ago(created, now)}` : ""} ` +
            `(looked at status.lastSuccessfulBackup and the barman-cloud ObjectStore's status.serverRecoveryWindow). Without a base ` +
            "backup there is nothing to restore from. Check the Backup objects (kubectl get backups) and the ScheduledBackup, then take one.",
        ),
      ];
    }
    const newest = found.reduce((a, b) => (b.at > a.at ? b : a));
    if (now - newest.at <= max.seconds * 1000) return [];
    const out: Problem[] = [
      problem(
        path,
        `the last successful base backup finished ${new Date(newest.at).toISOString()} (${ago(newest.at, now)}, ${newest.from}), ` +
          `longer ago than maxBackupAge ${max.text}. A restore has to replay all WAL archived since then, and if one segment of ` +
          "that chain is lost, everything after it is gone. Find out why backups fail (kubectl get backups; the Backup's status.error) and take one now.",
      ),
    ];
    return out;
  },
});
