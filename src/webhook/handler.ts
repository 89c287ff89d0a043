// What /validate and /mutate decide: AdmissionRequest in, AdmissionResponse out, through the engine.
// No HTTP here; the express app only decodes, calls these and encodes.
import jsonpatch from "fast-json-patch";
import type { Finding, Lookups, NotChecked, Resource } from "../engine/types.ts";
import type { EffectivePolicy } from "../policy/types.ts";
import { evaluate, mutate, specOf, type EngineContext } from "../engine/engine.ts";
import { asResource, resourceTypeOf } from "../engine/resource.ts";
import { findRule } from "../rules/index.ts";
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

interface Subject {
  resource: Resource;
  oldResource?: Resource;
  namespace?: string;
  name?: string;
  kind: string;
  policy: EffectivePolicy;
}

type Prepared = { subject: Subject } | { decision: Decision };

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

/** The object with the request's namespace filled in (CREATE may omit it in the body). */
function withNamespace(obj: Record<string, unknown>, namespace: string | undefined): Resource {
  const r = asResource(obj);
  if (namespace !== undefined && typeof r.metadata.namespace !== "string") {
    return { ...r, metadata: { ...r.metadata, namespace } };
  }
  return r;
}

function prepare(req: AdmissionRequest, deps: HandlerDeps): Prepared {
  if (req.operation !== "CREATE" && req.operation !== "UPDATE") return { decision: skip(req, `operation ${req.operation}`) };
  if (req.subResource) return { decision: skip(req, `subresource ${req.subResource}`) };
  const obj = req.object;
  if (!isObject(obj) || !resourceTypeOf(obj)) return { decision: skip(req, "kind not covered") };
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  // Finalizer removal during deletion is an UPDATE: never block an object on its way out.
  if (meta.deletionTimestamp) return { decision: skip(req, "object is being deleted") };
  const b = base(req);
  const labels = b.namespace !== undefined ? deps.lookups.get("Namespace", undefined, b.namespace)?.metadata.labels : undefined;
  const policy = deps.policies.forNamespace(b.namespace, isObject(labels) ? (labels as Record<string, string>) : undefined);
  if (!policy) return { decision: skip(req, "no policy applies to the namespace") };
  const subject: Subject = { ...b, resource: withNamespace(obj, b.namespace), policy };
  if (req.operation === "UPDATE" && isObject(req.oldObject)) subject.oldResource = withNamespace(req.oldObject, b.namespace);
  return { subject };
}

function engineContext(req: AdmissionRequest, s: Subject, deps: HandlerDeps): EngineContext {
  const ctx: EngineContext = {
    policy: s.policy,
    lookups: deps.lookups,
    now: deps.now ? deps.now() : new Date(),
    operation: req.operation === "UPDATE" ? "UPDATE" : "CREATE",
    // Order independence: an object named here may come later in the same apply (docs/webhook.md).
    lookupMissing: "warn",
  };
  if (s.oldResource) ctx.oldResource = s.oldResource;
  return ctx;
}

/** Whether anything but metadata and status changed. */
function specChanged(oldR: Resource, newR: Resource): boolean {
  return specOf(oldR) !== specOf(newR);
}

/** Not-checked entries caused by an unavailable lookup (as opposed to a rule's own error). */
function lookupCaused(nc: NotChecked, lookups: Lookups): boolean {
  const kinds = findRule(nc.rule)?.meta.lookups ?? [];
  // A kind switched off on purpose (Secrets without --lookup-secrets) is no failure: not checked, never denied.
  if (kinds.some((k) => lookups.isDisabled?.(k))) return false;
  if (kinds.some((k) => !lookups.isKnown(k))) return true;
  // Every kind the rule needs is available: the named object is not there (yet): order independence, not a failure.
  if (kinds.length > 0) return false;
  return /lookup|not synced|could not be reached/i.test(nc.reason);
}

function subjectName(s: Subject): string {
  return `${s.kind} ${s.namespace ? `${s.namespace}/` : ""}${s.name ?? "(unnamed)"}`;
}

/** `/validate`: judge the object exactly as received. */
export function validate(req: AdmissionRequest, deps: HandlerDeps): Decision {
  // The policy objects themselves: refused when invalid, so a typo is never pruned or ignored silently.
  if (isPolicyObject(req.object)) return validatePolicyRequest(req);
  const p = prepare(req, deps);
  if ("decision" in p) return p.decision;
  const s = p.subject;
  const ev = evaluate(s.resource, engineContext(req, s, deps));

  const denyItems: Item[] = [];
  const warnLines: string[] = [];
  const auditItems: Item[] = [];
  // A metadata-only UPDATE (labels, finalizers by an operator) must not be blocked by a problem the
  // object already had: report it as a warning instead.
  const preExisting = req.operation === "UPDATE" && s.oldResource !== undefined && !specChanged(s.oldResource, s.resource);

  for (const f of ev.findings) {
    if (f.action === "deny" && !preExisting) denyItems.push(f);
    else if (f.action === "deny" || f.action === "warn")
      warnLines.push(formatItem(f.action === "deny" ? { ...f, message: `(pre-existing, not blocking a metadata-only update) ${f.message}` } : f));
    else auditItems.push(f);
  }
  for (const nc of ev.notChecked) {
    const item: Item = { rule: nc.rule, path: nc.path, message: `not checked: ${nc.reason}` };
    if (deps.lookupFailure === "deny" && !preExisting && lookupCaused(nc, deps.lookups)) {
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
  const out = { kind: s.kind, findings: ev.findings, notChecked: ev.notChecked } as Decision;
  if (s.namespace !== undefined) out.namespace = s.namespace;
  if (s.name !== undefined) out.name = s.name;
  if (denyItems.length > 0) {
    out.response = denied(req.uid, denyMessage(subjectName(s), denyItems), extra);
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
  const p = prepare(req, deps);
  if ("decision" in p) return p.decision;
  const s = p.subject;
  const result = mutate(s.resource, engineContext(req, s, deps));
  const ops = diffPatch(s.resource, result.resource);
  // One warning per injected default, so kubectl users see what was added to their object and why.
  const warnings = [
    ...result.changes.map((c) => `[${c.defaulter}] default injected: ${c.note}`),
    ...result.errors.map((e) => `[${e.defaulter}] default not applied: internal error: ${e.message}`),
  ];
  const changes = result.changes.map((c) => `${c.defaulter}: ${c.note}`);
  const audit: Record<string, string> = {};
  if (ops.length > 0 && changes.length > 0) audit["defaults-applied"] = changes.join("; ").slice(0, 1024);
  const out: Decision = {
    kind: s.kind,
    response: patched(req.uid, ops, { warnings: warningLines(warnings), auditAnnotations: audit }),
    decision: ops.length > 0 ? "patched" : "allowed",
    findings: [],
    notChecked: [],
    changes,
  };
  if (s.namespace !== undefined) out.namespace = s.namespace;
  if (s.name !== undefined) out.name = s.name;
  return out;
}
