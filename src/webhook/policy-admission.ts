// `/validate` for BackupPolicy objects themselves: the CRD keeps unknown fields (x-kubernetes-preserve-unknown-fields),
// so a typo such as `spec.rulez` or a misspelt rule id is not pruned silently by the API server; it reaches this
// check, which refuses it with the same messages the CLI and the policy watch give.
import { validatePolicyObject } from "../policy/validate.ts";
import { formatPolicyError } from "../policy/document.ts";
import { POLICY_API_VERSION, POLICY_KIND } from "../policy/document.ts";
import { isObject } from "../util/object.ts";
import { allowed, denied, type AdmissionRequest } from "./admission.ts";
import type { Decision } from "./handler.ts";
import { resourceLabel } from "../engine/resource.ts";

/** The rule id findings about an invalid BackupPolicy carry. */
export const POLICY_RULE_ID = "backup-policy-valid";

export function isPolicyObject(obj: unknown): boolean {
  return isObject(obj) && obj.apiVersion === POLICY_API_VERSION && obj.kind === POLICY_KIND;
}

/** CREATE/UPDATE of a BackupPolicy: allowed when it is valid, else denied naming every bad field. */
export function validatePolicyRequest(req: AdmissionRequest): Decision {
  const obj = req.object as Record<string, unknown>;
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  const name = typeof meta.name === "string" ? meta.name : undefined;
  const out: Decision = { kind: POLICY_KIND, response: allowed(req.uid), decision: "allowed", findings: [], notChecked: [] };
  if (name !== undefined) out.name = name;
  if (req.operation !== "CREATE" && req.operation !== "UPDATE") return { ...out, decision: "skipped", skipReason: `operation ${req.operation}` };
  if (meta.deletionTimestamp) return { ...out, decision: "skipped", skipReason: "object is being deleted" };
  const result = validatePolicyObject(obj, resourceLabel({ kind: "BackupPolicy", name }));
  if (result.ok) return out;
  const errors = result.errors.slice(0, 20);
  out.findings = errors.map((e) => ({ rule: POLICY_RULE_ID, action: "deny" as const, path: e.path, message: e.message }));
  const more = result.errors.length > errors.length ? `\n(and ${result.errors.length - errors.length} more)` : "";
  const message = `${resourceLabel({ kind: "BackupPolicy", name })} is invalid:\n${errors.map((e) => `- ${formatPolicyError(e)}`).join("\n")}${more}`;
  return { ...out, response: denied(req.uid, message), decision: "denied" };
}
