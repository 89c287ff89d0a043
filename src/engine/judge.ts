// The one entry per object that both edges call: the webhook handler (one AdmissionRequest) and the CLI pipeline (one
// manifest). It owns what they used to do each in their own way: the namespace an object lands in, that
// namespace's labels, which policy applies, the engine run, and the metadata-only-update rule.
import type { Evaluation, Lookups, Operation, Resource } from "./types.ts";
import type { EffectivePolicy } from "../policy/types.ts";
import { admit, evaluate, mutate, sameSpec, type AdmitOptions, type Admission, type EngineContext, type MutationResult } from "./engine.ts";
import { namespaceOf } from "../rules/util.ts";

/** Picks the effective policy of a namespace; undefined: none applies (the webhook then allows untouched). */
export interface PolicyChooser {
  forNamespace(namespace: string | undefined, labels?: Record<string, string>): EffectivePolicy | undefined;
}

export interface Subject {
  object: Resource;
  /** Where the object lands when it names no namespace itself (the request's namespace, kustomize, --namespace). */
  namespace?: string;
  /** CREATE unless told (the CLI judges manifests as created). */
  operation?: Operation;
  oldObject?: Resource;
}

export interface JudgeContext {
  policies: PolicyChooser;
  lookups: Lookups;
  now: Date;
  /** See EngineContext.lookupMissing: `warn` at admission (order independence), `deny` in the CLI. */
  lookupMissing?: "deny" | "warn";
  mode?: "audit";
}

/** What every judgement says about its object, whatever was run on it. */
export interface Judged {
  /** The object as judged: with the subject's namespace filled in when it had none. */
  resource: Resource;
  oldResource?: Resource;
  /** The namespace that chose the policy: a real one, never unset text or an unresolved `${…}` placeholder. */
  namespace?: string;
  /** That namespace's labels, when the lookups know the Namespace. */
  labels?: Record<string, string>;
  policy: EffectivePolicy;
  /**
   * An UPDATE that changes nothing but metadata and status (labels, finalizers by an operator): no default is
   * injected, and a deny the object already had is reported as a warning (`cause: "pre-existing"`).
   */
  metadataOnly: boolean;
}

export type Stage = "validate" | "mutate" | "admit";

export type Judgement =
  | { applies: false; reason: string; namespace?: string; labels?: Record<string, string> }
  | (Judged & { applies: true; stage: "validate"; evaluation: Evaluation })
  | (Judged & { applies: true; stage: "mutate"; mutation: MutationResult })
  | (Judged & { applies: true; stage: "admit"; admission: Admission });

/** The prefix of a deny reported as a warning on a metadata-only update. */
export const PRE_EXISTING = "(pre-existing, not blocking a metadata-only update) ";

function withNamespace(r: Resource, namespace: string | undefined): Resource {
  if (namespace === undefined || (typeof r.metadata.namespace === "string" && r.metadata.namespace !== "")) return r;
  return { ...r, metadata: { ...r.metadata, namespace } };
}

function namespaceLabels(lookups: Lookups, namespace: string | undefined): Record<string, string> | undefined {
  if (namespace === undefined) return undefined;
  const labels = lookups.get("Namespace", undefined, namespace)?.metadata?.labels;
  return labels && typeof labels === "object" && !Array.isArray(labels) ? (labels as Record<string, string>) : undefined;
}

/** A deny the object already had before a metadata-only update becomes a warning saying so. */
function demotePreExisting(ev: Evaluation): Evaluation {
  if (!ev.findings.some((f) => f.action === "deny")) return ev;
  const findings = ev.findings.map((f) => (f.action === "deny" ? { ...f, action: "warn" as const, message: `${PRE_EXISTING}${f.message}`, cause: "pre-existing" as const } : f));
  return { ...ev, findings, allowed: true };
}

export function judge(subject: Subject, ctx: JudgeContext, stage: "validate"): Judgement & ({ applies: false } | { stage: "validate" });
export function judge(subject: Subject, ctx: JudgeContext, stage: "mutate"): Judgement & ({ applies: false } | { stage: "mutate" });
export function judge(subject: Subject, ctx: JudgeContext, stage: "admit", options?: AdmitOptions): Judgement & ({ applies: false } | { stage: "admit" });
/**
 * Judges one object: `validate` as received (the webhook's /validate: the API server already ran the CRD stage and
 * the mutating webhook), `mutate` (the webhook's /mutate), or `admit` (the CLI: the whole admission simulated).
 */
export function judge(subject: Subject, ctx: JudgeContext, stage: Stage, options: AdmitOptions = {}): Judgement {
  const resource = withNamespace(subject.object, subject.namespace);
  // A namespace that can choose a policy: set, and not a placeholder resolved only at deploy time.
  const namespace = namespaceOf(resource);
  const labels = namespaceLabels(ctx.lookups, namespace);
  const policy = ctx.policies.forNamespace(namespace, labels);
  const where: { namespace?: string; labels?: Record<string, string> } = {};
  if (namespace !== undefined) where.namespace = namespace;
  if (labels !== undefined) where.labels = labels;
  if (!policy) return { applies: false, reason: "no policy applies to the namespace", ...where };

  const operation = subject.operation ?? "CREATE";
  const oldResource = operation === "UPDATE" && subject.oldObject ? withNamespace(subject.oldObject, subject.namespace) : undefined;
  const metadataOnly = oldResource !== undefined && sameSpec(oldResource, resource);
  const engine: EngineContext = { policy, lookups: ctx.lookups, now: ctx.now, operation };
  if (oldResource) engine.oldResource = oldResource;
  if (ctx.lookupMissing) engine.lookupMissing = ctx.lookupMissing;
  if (ctx.mode) engine.mode = ctx.mode;
  const judged: Judged = { resource, policy, metadataOnly, ...where };
  if (oldResource) judged.oldResource = oldResource;

  if (stage === "mutate") return { ...judged, applies: true, stage, mutation: mutate(resource, engine) };
  if (stage === "admit") {
    const admission = admit(resource, engine, options);
    if (metadataOnly) admission.evaluation = demotePreExisting(admission.evaluation);
    return { ...judged, applies: true, stage, admission };
  }
  const evaluation = evaluate(resource, engine);
  return { ...judged, applies: true, stage, evaluation: metadataOnly ? demotePreExisting(evaluation) : evaluation };
}
