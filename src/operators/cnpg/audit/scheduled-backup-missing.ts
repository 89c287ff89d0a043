// cnpg-scheduled-backup-missing: a Cluster that can take base backups but that no ScheduledBackup schedules.

import { hasPlaceholder } from "../../../util/placeholder.ts";
import { namespaceOf, notChecked, problem } from "../../../rules/util.ts";
import { BARMAN_CLOUD_PLUGIN, CLUSTER, clusterBackupMethods, clusterRefName, inTreeObjectStore, volumeSnapshotConfig } from "../model.ts";
import { isReplicaCluster } from "./common.ts";
import { defineRule } from "../../../rules/define.ts";

export const rule = defineRule({
  meta: {
    id: "cnpg-scheduled-backup-missing",
    appliesTo: [CLUSTER],
    defaultAction: "deny",
    auditOnly: true,
    params: {},
    lookups: ["ScheduledBackup"],
    docs: {
      summary: "(audit) A Cluster with a base-backup method must have a ScheduledBackup: CNPG and the barman-cloud plugin schedule nothing themselves.",
      rationale:
        "A backup method in the Cluster (spec.backup.volumeSnapshot, spec.backup.barmanObjectStore, the barman-cloud plugin) only says how a base backup is taken; CloudNativePG takes one only when a Backup object asks for it, and the ScheduledBackup controller is what creates Backups on a schedule. The barman-cloud plugin has no schedule of its own (its ObjectStore has retention, no schedule). Without a ScheduledBackup there is at most the one base backup someone took by hand, and WAL piles up in the archive from then on: restores get slower every day and retention can never remove the old chain. Replica clusters (spec.replica.enabled) are skipped: their source is backed up. Only the audit sees this: at admission a ScheduledBackup may follow its Cluster.",
      bad: "kind: Cluster\nmetadata: {name: pg}\nspec:\n  plugins:\n  - name: barman-cloud.cloudnative-pg.io\n    isWALArchiver: true\n    parameters: {barmanObjectName: pg-store}\n# and no ScheduledBackup with spec.cluster.name: pg",
      good: "kind: ScheduledBackup\nmetadata: {name: pg-daily}\nspec:\n  schedule: \"0 0 0 * * *\"\n  cluster: {name: pg}\n  method: plugin\n  pluginConfiguration: {name: barman-cloud.cloudnative-pg.io}\n  backupOwnerReference: self",
      fix: "Create a ScheduledBackup in the Cluster's namespace with spec.cluster.name set to the Cluster (6-field schedule, seconds first).",
    },
  },
  check(resource, ctx) {
    const name = resource.metadata.name;
    if (typeof name !== "string" || name === "" || hasPlaceholder(name) || isReplicaCluster(resource)) return [];
    const methods = clusterBackupMethods(resource, [BARMAN_CLOUD_PLUGIN]);
    if (methods.length === 0) return []; // cnpg-backup-required reports it
    const path = inTreeObjectStore(resource) || volumeSnapshotConfig(resource) ? "spec.backup" : "spec.plugins";
    if (!ctx.lookups.isKnown("ScheduledBackup")) return [notChecked(ctx.lookups, "ScheduledBackup", path)];
    const ns = namespaceOf(resource);
    const schedules = (ctx.lookups.list("ScheduledBackup", ns) ?? []).filter((sb) => clusterRefName(sb) === name);
    if (schedules.length > 0) return [];
    return [
      problem(
        path,
        `no ScheduledBackup names Cluster "${name}" (spec.cluster.name), although it can take base backups (${methods.join(", ")}). ` +
          "CloudNativePG takes a base backup only when a Backup object asks for one, and neither it nor the barman-cloud plugin schedules any: " +
          "WAL then piles up after the last manual backup and a restore replays all of it. Create a ScheduledBackup for this Cluster " +
          `in namespace ${ns ?? "(its namespace)"}, e.g. schedule "0 0 0 * * *" (daily, 6 fields) with backupOwnerReference: self.`,
      ),
    ];
  },
});
