import { problem } from "../../../rules/util.ts";
import { isObject } from "../../../util/object.ts";
import { BACKUP, CLUSTER, SCHEDULED_BACKUP } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

/** CNPG internal/webhook/v1/common.go isValidationEnabled: "" and "enabled" validate, "disabled" bypasses. */
export const VALIDATION_ANNOTATION = "cnpg.io/validation";

export const rule = defineRule({
  meta: {
    id: "cnpg-validation-disabled",
    appliesTo: [CLUSTER, BACKUP, SCHEDULED_BACKUP],
    defaultAction: "warn",
    params: {},
    docs: {
      summary: "cnpg.io/validation: disabled switches off CNPG's own validation of the object.",
      rationale:
        "CNPG wraps its Cluster and Backup admission validators in a bypass: with the annotation set to exactly " +
        "disabled they accept every change and only warn \"validation webhook is disabled\" (internal/webhook/v1/" +
        "common.go). Since 1.30 the same validation also runs at reconcile time as a fallback, and the annotation " +
        "bypasses that too, for ScheduledBackups as well. The ScheduledBackup admission validator itself is not " +
        "wrapped, so on a ScheduledBackup the annotation only switches off the reconcile-time check. What CNPG then " +
        "no longer rejects (invalid credentials blocks, backup method and flag combinations, immutable fields) fails " +
        "later, at run time.",
      bad: "metadata:\n  annotations:\n    cnpg.io/validation: disabled",
      good: "metadata:\n  annotations: {}",
      fix: "Remove the annotation (or set it to enabled) once the one change that needed it has been applied.",
    },
  },
  check(resource) {
    const a = resource.metadata.annotations;
    if (!isObject(a) || a[VALIDATION_ANNOTATION] !== "disabled") return [];
    const what =
      resource.kind === "ScheduledBackup"
        ? "CNPG's reconcile-time validation of this ScheduledBackup (its admission webhook still runs: the annotation " +
          "does not bypass it), so an invalid ScheduledBackup is no longer marked with status.error before it creates Backups"
        : `CNPG's validating webhook for this ${resource.kind}, which then accepts every change (with only the warning ` +
          '"validation webhook is disabled"), and its reconcile-time validation too';
    return [
      problem(
        `metadata.annotations.${VALIDATION_ANNOTATION}`,
        `${VALIDATION_ANNOTATION}: disabled switches off ${what}. Mistakes CNPG would reject (an invalid object store ` +
          "or credentials block, a backup method that does not fit, a change to an immutable field) then surface only " +
          `when backups or the reconciliation fail. Remove the annotation (or set it to enabled) once the change that needed it is applied.`,
      ),
    ];
  },
});
