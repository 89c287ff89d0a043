import { placeholderOneOfNotChecked, problem } from "../../../rules/util.ts";
import { getPath } from "../../../util/object.ts";
import { SCHEDULED_BACKUP } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

export const rule = defineRule({
  meta: {
    id: "cnpg-backup-owner-reference",
    appliesTo: [SCHEDULED_BACKUP],
    defaultAction: "warn",
    params: {},
    docs: {
      summary: "ScheduledBackup backupOwnerReference should be self or cluster, not unset/none.",
      rationale:
        "backupOwnerReference defaults to none: the Backup objects a schedule creates have no owner, are never " +
        "garbage-collected and pile up (thousands of Backup CRs after a 5-field schedule ran hourly; one report ended " +
        "with the operator OOMKilled). With self they are deleted with the ScheduledBackup, with cluster with the Cluster.",
      bad: "spec:\n  schedule: \"0 0 0 * * *\"\n  cluster: {name: pg}",
      good: "spec:\n  schedule: \"0 0 0 * * *\"\n  cluster: {name: pg}\n  backupOwnerReference: self",
      fix: "Set spec.backupOwnerReference: self (or cluster), or run your own cleanup of old Backup objects.",
    },
  },
  check(resource, ctx) {
    const value = getPath(resource, "spec.backupOwnerReference");
    if (value === "self" || value === "cluster") return [];
    const unresolved = placeholderOneOfNotChecked(value, ["self", "cluster"], "spec.backupOwnerReference", "backupOwnerReference");
    if (unresolved) return [unresolved];
    // The API server writes the CRD default none before any webhook: never blame the user for a value they did not write.
    const now =
      value === undefined || ctx.origin?.("spec.backupOwnerReference") === "crd"
        ? "is unset, so the CRD default none applies"
        : `is ${JSON.stringify(value)}`;
    return [
      problem(
        "spec.backupOwnerReference",
        `backupOwnerReference ${now}, so the Backup objects this schedule creates have no owner and are never deleted: ` +
          "they pile up in the namespace (and in the operator's memory). Set spec.backupOwnerReference: self (deleted " +
          "with the ScheduledBackup) or cluster (deleted with the Cluster).",
      ),
    ];
  },
});
