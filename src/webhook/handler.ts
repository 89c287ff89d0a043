// What /validate and /mutate decide: AdmissionRequest in, AdmissionResponse out, through the engine.
// No HTTP here; the express app only decodes, calls these and encodes.
import jsonpatch from "fast-json-patch";
import type { Finding, Lookups, NotChecked } from "../engine/types.ts";
import type { EffectivePolicy } from "../policy/types.ts";
import { judge, type JudgeContext, type Subject } from "../engine/judge.ts";
import { asResource, resourceLabel, resourceTypeOf } from "../engine/resource.ts";
import { isObject } from "../util/object.ts";
import {
  allowed,
  auditAnnotations,
  denied,
  denyMessage,
  formatItem,
  patched,
  warningLines,
  type AdmissionRequest,
  type AdmissionResponse,
  type Item,
  type JsonPatchOp,
} from "./admission.ts";
import { isPolicyObject, validatePolicyRequest } from "./policy-admission.ts";

export type LookupFailureMode = "allow" | "deny";

/** Which policy applies to a namespace; `undefined` when none does (the object is then left alone). */
export interface PolicyProvider {
  forNamespace(namespace: string | undefined, labels?: Record<string, string>): EffectivePolicy | undefined;
}

export interface HandlerDeps {
  policies: PolicyProvider;
  lookups: Lookups;
  /** What a rule that could not be checked because a lookup is unavailable does: warn (allow) or deny. */
  lookupFailure: LookupFailureMode;
  now?: () => Date;
}

export type DecisionKind = "allowed" | "denied" | "patched" | "skipped" | "error";

/** The response plus what logs and metrics need. */
export interface Decision {
  response: AdmissionResponse;
  decision: DecisionKind;
  /** Why nothing was judged (`skipped`): DELETE, subresource, uncovered kind, no policy, being deleted. */
  skipReason?: string;
  kind: string;
  namespace?: string;
  name?: string;
  findings: Finding[];
  notChecked: NotChecked[];
  /** Defaulters that changed something (mutate). */
  changes?: string[];
}

function base(req: AdmissionRequest): Pick<Decision, "kind" | "namespace" | "name"> {
  const obj = isObject(req.object) ? req.object : isObject(req.oldObject) ? req.oldObject : {};
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  const out: Pick<Decision, "kind" | "namespace" | "name"> = { kind: req.kind.kind };
  const ns = req.namespace ?? (typeof meta.namespace === "string" ? meta.namespace : undefined);
  const name = req.name ?? (typeof meta.name === "string" ? meta.name : typeof meta.generateName === "string" ? `${meta.generateName}*` : undefined);
  if (ns !== undefined) out.namespace = ns;
  if (name !== undefined) out.name = name;
  return out;
}

function skip(req: AdmissionRequest, reason: string): Decision {
  return { ...base(req), response: allowed(req.uid), decision: "skipped", skipReason: reason, findings: [], notChecked: [] };
}

/** What the engine judges from a request, or why the request is allowed untouched without being judged. */
function subjectOf(req: AdmissionRequest): { subject: Subject } | { skip: string } {
  if (req.operation !== "CREATE" && req.operation !== "UPDATE") return { skip: `operation ${req.operation}` };
  if (req.subResource) return { skip: `subresource ${req.subResource}` };
  const obj = req.object;
  if (!isObject(obj) || !resourceTypeOf(obj)) return { skip: "kind not covered" };
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  // Finalizer removal during deletion is an UPDATE: never block an object on its way out.
  if (meta.deletionTimestamp) return { skip: "object is being deleted" };
  // CREATE may omit the namespace in the body: the request's namespace is where the object lands.
  const subject: Subject = { object: asResource(obj), operation: req.operation };
  const ns = req.namespace ?? (typeof meta.namespace === "string" ? meta.namespace : undefined);
  if (ns !== undefined) subject.namespace = ns;
  if (req.operation === "UPDATE" && isObject(req.oldObject)) subject.oldObject = asResource(req.oldObject);
  return { subject };
}

function judgeContext(deps: HandlerDeps): JudgeContext {
  // Order independence: an object named here may come later in the same apply (docs/webhook.md).
  return { policies: deps.policies, lookups: deps.lookups, now: deps.now ? deps.now() : new Date(), lookupMissing: "warn" };
}

/** `/validate`: judge the object exactly as received. */
export function validate(req: AdmissionRequest, deps: HandlerDeps): Decision {
  // The policy objects themselves: refused when invalid, so a typo is never pruned or ignored silently.
  if (isPolicyObject(req.object)) return validatePolicyRequest(req);
  const s = subjectOf(req);
  if ("skip" in s) return skip(req, s.skip);
  const j = judge(s.subject, judgeContext(deps), "validate");
  if (!j.applies) return skip(req, j.reason);
  const ev = j.evaluation;

  const denyItems: Item[] = [];
  const warnLines: string[] = [];
  const auditItems: Item[] = [];
  // (A metadata-only UPDATE already has its pre-existing denies as warnings: the engine's judge() says so.)
  for (const f of ev.findings) {
    if (f.action === "deny") denyItems.push(f);
    else if (f.action === "warn") warnLines.push(formatItem(f));
    else auditItems.push(f);
  }
  for (const nc of ev.notChecked) {
    const item: Item = { rule: nc.rule, path: nc.path, message: `not checked: ${nc.reason}` };
    if (deps.lookupFailure === "deny" && !j.metadataOnly && nc.cause === "lookup-unavailable") {
      denyItems.push({ ...item, message: `${item.message} (lookupFailure is deny)` });
    } else warnLines.push(formatItem(item));
  }
  for (const e of ev.exemptions) {
    const from = e.source && e.source !== "annotation" ? ` (${e.source})` : "";
    if (!e.applied) warnLines.push(`[${e.rule}] exemption${from} ignored: ${e.ignoredBecause ?? "not applicable"}`);
    // Used exemptions land in the audit log, one `exempted` annotation listing each rule, reason, expiry and source.
    else auditItems.push({ rule: "exempted", path: "", message: `${e.rule}${from || " (annotation)"}: ${e.reason}${e.until ? `, until ${e.until}` : ""}` });
  }

  const extra: Partial<AdmissionResponse> = { warnings: warningLines(warnLines), auditAnnotations: auditAnnotations(auditItems) };
  const who = base(req);
  const out = { ...who, findings: ev.findings, notChecked: ev.notChecked } as Decision;
  if (denyItems.length > 0) {
    out.response = denied(req.uid, denyMessage(resourceLabel(who), denyItems), extra);
    out.decision = "denied";
  } else {
    out.response = allowed(req.uid, extra);
    out.decision = "allowed";
  }
  return out;
}

/** RFC 6902 ops turning `original` into `mutated`, made by diffing (keys with `/` and `~` escaped as ~1 and ~0). */
export function diffPatch(original: unknown, mutated: unknown): JsonPatchOp[] {
  return jsonpatch.compare(original as object, mutated as object) as JsonPatchOp[];
}

/** `/mutate`: apply the defaulters and answer with the JSONPatch from diffing original and result. */
export function mutateRequest(req: AdmissionRequest, deps: HandlerDeps): Decision {
  const s = subjectOf(req);
  if ("skip" in s) return skip(req, s.skip);
  const j = judge(s.subject, judgeContext(deps), "mutate");
  if (!j.applies) return skip(req, j.reason);
  const result = j.mutation;
  const ops = diffPatch(j.resource, result.resource);
  // One warning per injected default, so kubectl users see what was added to their object and why.
  const warnings = [
    ...result.changes.map((c) => `[${c.defaulter}] default injected: ${c.note}`),
    ...result.errors.map((e) => `[${e.defaulter}] default not applied: internal error: ${e.message}`),
  ];
  const changes = result.changes.map((c) => `${c.defaulter}: ${c.note}`);
  const audit: Record<string, string> = {};
  if (ops.length > 0 && changes.length > 0) audit["defaults-applied"] = changes.join("; ").slice(0, 1024);
  const out: Decision = {
    ...base(req),
    response: patched(req.uid, ops, { warnings: warningLines(warnings), auditAnnotations: audit }),
    decision: ops.length > 0 ? "patched" : "allowed",
    findings: [],
    notChecked: [],
    changes,
  };
  return out;
}
