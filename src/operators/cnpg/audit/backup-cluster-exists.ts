// cnpg-backup-cluster-exists: a Backup or ScheduledBackup whose Cluster does not exist.

import { getString } from "../../../util/object.ts";
import { lookupNotChecked, namespaceOf, problem } from "../../../rules/util.ts";
import { BACKUP, SCHEDULED_BACKUP, lookupCluster } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

/** Backup phases CNPG never leaves (backup_controller.go: a terminal backup is immutable). */
const TERMINAL_PHASES = new Set(["completed", "failed", "invalid backup definition"]);

export const rule = defineRule({
  meta: {
    id: "cnpg-backup-cluster-exists",
    appliesTo: [BACKUP, SCHEDULED_BACKUP],
    defaultAction: "deny",
    auditOnly: true,
    params: {},
    lookups: ["Cluster"],
    docs: {
      summary: "(audit) A ScheduledBackup, or a Backup that has not finished, must name a Cluster that exists in its namespace.",
      rationale:
        "CloudNativePG's Backup controller answers a Backup whose Cluster is missing with the event \"Unknown cluster\", sets it pending and retries every 30 seconds, forever; a ScheduledBackup for a missing Cluster keeps creating such Backups. Nobody is backed up, and nothing fails loudly. A typo in spec.cluster.name or a renamed Cluster causes it. Backups that reached a terminal phase (completed, failed) are records of the past and are not reported. Only the audit sees this reliably: at admission the Cluster may be created a moment later.",
      bad: "kind: ScheduledBackup\nspec:\n  cluster: {name: pg-mian}   # the Cluster is pg-main",
      good: "kind: ScheduledBackup\nspec:\n  cluster: {name: pg-main}",
      fix: "Correct spec.cluster.name (the Cluster must be in the same namespace), or delete the leftover object.",
    },
  },
  check(resource, ctx) {
    if (resource.kind === "Backup" && TERMINAL_PHASES.has(getString(resource, "status.phase") ?? "")) return [];
    const found = lookupCluster(resource, ctx);
    if (found.state === "unknown") return [lookupNotChecked(found, "spec.cluster.name")];
    if (found.state !== "missing") return [];
    const ns = namespaceOf(resource);
    const what =
      resource.kind === "Backup"
        ? "CloudNativePG keeps this Backup pending and retries every 30 seconds (event \"Unknown cluster\"): no backup is taken"
        : "every Backup it creates stays pending (event \"Unknown cluster\"): no backup is taken";
    return [
      problem(
        "spec.cluster.name",
        `Cluster "${found.name}" does not exist in namespace ${ns ?? "(its namespace)"}: ${what}. Correct spec.cluster.name, or delete this ${resource.kind} if its Cluster is gone.`,
      ),
    ];
  },
});
