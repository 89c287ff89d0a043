// The one engine: the CLI and the webhook both call these functions; neither contains rule logic.
import type {
  ApiServerChange,
  ApiServerStage,
  FieldOrigin,
  Injection,
  Evaluation,
  Finding,
  LookupKind,
  Lookups,
  NotChecked,
  NotCheckedCause,
  Operation,
  Problem,
  ReportedAction,
  Resource,
  Rule,
  RuleContext,
} from "./types.ts";
import { apiVersionsOf, isNamespacedKind, lookupKindSpec } from "../lookups/kinds.ts";
import type { EffectivePolicy } from "../policy/types.ts";
import { resourceTypeOf } from "./resource.ts";
import { readExemptions, readPolicyExemptions } from "./exemptions.ts";
import { SHAPE_RULE_ID, shapeProblems } from "./shape.ts";
import { allRules, findRule, ruleIds } from "../rules/index.ts";
import { withScheduleMemo } from "../operators/index.ts";
import { allDefaulters } from "../defaults/index.ts";
import { cloneJson } from "../util/object.ts";
import { applyDefaulter, checkRule, type CatalogDefaulter, type CatalogRule } from "../rules/define.ts";

export interface EngineContext {
  policy: EffectivePolicy;
  lookups: Lookups;
  now: Date;
  operation?: Operation;
  oldResource?: Resource;
  /**
   * What a finding that exists only because a named object was not found becomes. `deny` (default): it keeps its
   * action — the CLI sees the whole batch, so a missing object is really missing. `warn`: at admission, where a
   * correct multi-document apply may create the object a moment later, it is a warning ("not found yet; …") with
   * `cause: "lookup-missing"`. See "Order independence" in docs/webhook.md.
   */
  lookupMissing?: "deny" | "warn";
  /** `audit`: `pg-backup-guard audit` over live objects; only then do rules with `meta.auditOnly` run. */
  mode?: "audit";
}

/** The prefix of a finding downgraded by `lookupMissing: "warn"`. */
export const NOT_FOUND_YET = "not found yet (the same apply may still create it): ";

interface Miss {
  kind: LookupKind;
  namespace: string | undefined;
  name: string;
}

function missKey(kind: LookupKind, namespace: string | undefined, name: string): string {
  return JSON.stringify([kind, isNamespacedKind(kind) ? (namespace ?? "") : "", name]);
}

function delegate(base: Lookups, get: Lookups["get"], list: Lookups["list"], sameContent: boolean): Lookups {
  const out: Lookups = { isKnown: (k) => base.isKnown(k), get, list };
  if (base.unavailableReason) out.unavailableReason = (k) => base.unavailableReason!(k);
  if (base.isDisabled) out.isDisabled = (k) => base.isDisabled!(k);
  // Memoised indexes describe the base's objects: shared only by a view with the same content.
  if (sameContent && base.memo) out.memo = (kinds, key, build) => base.memo!(kinds, key, build);
  return out;
}

/** The lookups, recording every named object asked for that the (known) kind does not have. */
function recordingMisses(base: Lookups, misses: Map<string, Miss>): Lookups {
  return delegate(
    base,
    (kind, namespace, name) => {
      const o = base.get(kind, namespace, name);
      if (o === null) misses.set(missKey(kind, namespace, name), { kind, namespace, name });
      return o;
    },
    (kind, namespace) => base.list(kind, namespace),
    true,
  );
}

/** The lookups as they would be if every missed object existed (a bare object: name and namespace only). */
function assumingPresent(base: Lookups, misses: ReadonlyMap<string, Miss>): Lookups {
  const stub = (m: Miss): Resource => {
    const spec = lookupKindSpec(m.kind);
    const metadata: Resource["metadata"] = { name: m.name };
    if (spec.namespaced && m.namespace !== undefined) metadata.namespace = m.namespace;
    return { apiVersion: apiVersionsOf(spec)[0]!, kind: spec.kind, metadata };
  };
  return delegate(
    base,
    (kind, namespace, name) => {
      const o = base.get(kind, namespace, name);
      const m = o === null ? misses.get(missKey(kind, namespace, name)) : undefined;
      return m ? stub(m) : o;
    },
    (kind, namespace) => {
      const l = base.list(kind, namespace);
      if (l === undefined) return l;
      const extra = [...misses.values()].filter(
        (m) => m.kind === kind && (namespace === undefined || !isNamespacedKind(kind) || m.namespace === namespace),
      );
      return extra.length === 0 ? l : [...l, ...extra.map(stub)];
    },
    false,
  );
}

/**
 * Runs a rule and says which of its problems exist only because a named object was not found: those that vanish
 * when the rule runs again with every object it looked up and missed assumed to exist. A problem that stays (at
 * its path) in that second run does not depend on the missing objects and keeps its action.
 */
const NONE: ReadonlySet<Problem> = new Set();

function checkWithMisses(
  rule: CatalogRule,
  resource: Resource,
  rc: RuleContext,
  recorder: { lookups: Lookups; misses: Map<string, Miss>; base: Lookups },
): { problems: Problem[]; missingCaused: ReadonlySet<Problem> } {
  // One recording view per evaluation, emptied for each rule: which misses are this rule's.
  const misses = recorder.misses;
  misses.clear();
  const problems = checkRule(rule, resource, rc); // rc's lookups are recorder.lookups
  if (misses.size === 0 || !problems.some((p) => !p.notChecked)) return { problems, missingCaused: NONE };
  const missingCaused = new Set<Problem>();
  let again: Problem[];
  try {
    again = checkRule(rule, resource, { ...rc, lookups: assumingPresent(recorder.base, misses) });
  } catch {
    return { problems, missingCaused }; // no second opinion: keep the actions
  }
  const stillThere = new Set(again.filter((p) => !p.notChecked).map((p) => p.path));
  for (const p of problems) if (!p.notChecked && !stillThere.has(p.path)) missingCaused.add(p);
  return { problems, missingCaused };
}

/** The finding for a rule that threw: the error's first line, bounded. */
function ruleErrorFinding(rule: string, err: unknown, action: ReportedAction): Finding {
  const text = String(err instanceof Error ? `${err.name}: ${err.message}` : err).split("\n")[0]!.slice(0, 200);
  return { rule, action, path: "", message: `internal error in the rule, so it could not check this object (${text}); ruleErrors is ${action}`, cause: "rule-error" };
}

/** One value a defaulter injected. */
export interface Change {
  defaulter: string;
  /** Dotted field path, as in findings. */
  path: string;
  value: unknown;
  /** One line for people: `set spec.backup.target: "prefer-standby" (why)`. */
  note: string;
}

export interface MutationResult {
  resource: Resource;
  changes: Change[];
  /** Defaulters that threw; the resource is left as the others made it. */
  errors: { defaulter: string; message: string }[];
}

function ruleActivity(resource: Resource, ctx: EngineContext, exempt: ReadonlySet<string>): (id: string) => boolean {
  const type = resourceTypeOf(resource);
  return (id) => {
    const rule = findRule(id);
    if (!rule || !type || !rule.meta.appliesTo.includes(type) || exempt.has(id) || (rule.meta.auditOnly && ctx.mode !== "audit")) return false;
    return (ctx.policy.rules.get(id)?.action ?? rule.meta.defaultAction) !== "off";
  };
}

function ruleContext(
  ctx: EngineContext,
  params: Record<string, unknown>,
  extra: Pick<RuleContext, "origin" | "ruleActive"> = {},
): RuleContext {
  const rc: RuleContext = {
    params,
    policy: ctx.policy.settings,
    lookups: ctx.lookups,
    now: ctx.now,
    operation: ctx.operation ?? "CREATE",
  };
  if (ctx.oldResource) rc.oldResource = ctx.oldResource;
  if (extra.origin) rc.origin = extra.origin;
  if (extra.ruleActive) rc.ruleActive = extra.ruleActive;
  rc.ruleParams = (id) => ctx.policy.rules.get(id)?.params;
  return rc;
}

export interface EvaluateOptions {
  rules?: readonly CatalogRule[];
  /** Who wrote fields the user did not (see RuleContext.origin). */
  origin?: (path: string) => FieldOrigin | undefined;
}

// The rules of a catalog that apply to a resource type, in catalog order: built once per (catalog, type, mode)
// instead of testing every rule's appliesTo for every object.
const byType = new WeakMap<readonly CatalogRule[], Map<string, readonly CatalogRule[]>>();

function rulesFor(rules: readonly CatalogRule[], type: string, audit: boolean): readonly CatalogRule[] {
  let m = byType.get(rules);
  if (!m) byType.set(rules, (m = new Map()));
  const key = audit ? `audit ${type}` : type;
  let list = m.get(key);
  if (!list) {
    list = rules.filter((r) => (r.meta.appliesTo as readonly string[]).includes(type) && (!r.meta.auditOnly || audit));
    m.set(key, list);
  }
  return list;
}

/** Runs every applicable rule on the resource exactly as given. */
export function evaluate(resource: Resource, ctx: EngineContext, options: readonly CatalogRule[] | EvaluateOptions = {}): Evaluation {
  const opts: EvaluateOptions = Array.isArray(options) ? { rules: options as readonly CatalogRule[] } : (options as EvaluateOptions);
  const rules = opts.rules ?? allRules;
  const type = resourceTypeOf(resource);
  const findings: Finding[] = [];
  const notChecked: NotChecked[] = [];
  const evaluatedRules: string[] = [];
  if (!type) return { allowed: true, findings, notChecked, exemptions: [], evaluatedRules };
  // An object the API server refuses for its shape is denied as such; rules are written for the real shape.
  const shape = shapeProblems(resource, type);
  if (shape.length > 0) {
    for (const p of shape) findings.push({ rule: SHAPE_RULE_ID, action: "deny", path: p.path, message: p.message });
    return { allowed: false, findings, notChecked, exemptions: [], evaluatedRules };
  }

  const known = rules === allRules ? ruleIds : new Set(rules.map((r) => r.meta.id));
  const exemptions = readExemptions(resource, ctx.policy.exemptions, known, ctx.now);
  if (ctx.policy.exemptions.resources && ctx.policy.exemptions.resources.length > 0) {
    const applicable = new Set(rulesFor(rules, type, ctx.mode === "audit").map((r) => r.meta.id));
    exemptions.push(...readPolicyExemptions(resource, ctx.policy.exemptions, applicable, ctx.now));
  }
  const exempt = new Set(exemptions.filter((e) => e.applied).map((e) => e.rule));
  const extra: Pick<RuleContext, "origin" | "ruleActive"> = { ruleActive: ruleActivity(resource, ctx, exempt) };
  if (opts.origin) extra.origin = opts.origin;

  // One context per evaluation (with the miss-recording lookups when asked); each rule gets it with its own parameters.
  let recorder: { lookups: Lookups; misses: Map<string, Miss>; base: Lookups } | undefined;
  if (ctx.lookupMissing === "warn") {
    const misses = new Map<string, Miss>();
    recorder = { lookups: recordingMisses(ctx.lookups, misses), misses, base: ctx.lookups };
  }
  const base = ruleContext(recorder ? { ...ctx, lookups: recorder.lookups } : ctx, {}, extra);
  return withScheduleMemo(resource, () => {
    for (const rule of rulesFor(rules, type, ctx.mode === "audit")) {
      const setting = ctx.policy.rules.get(rule.meta.id);
      const action = setting?.action ?? rule.meta.defaultAction;
      if (action === "off" || exempt.has(rule.meta.id)) continue;
      evaluatedRules.push(rule.meta.id);
  
      let problems: Problem[];
      let missingCaused: ReadonlySet<Problem> = NONE;
      try {
        const rc: RuleContext = { ...base, params: setting?.params ?? {} };
        if (recorder) ({ problems, missingCaused } = checkWithMisses(rule, resource, rc, recorder));
        else problems = checkRule(rule, resource, rc);
      } catch (err) {
        // A rule bug must never take the webhook down, nor let the object through unseen: it follows the policy's
        // `ruleErrors` (default deny; see docs/policy.md), counted and logged by the webhook.
        findings.push(ruleErrorFinding(rule.meta.id, err, ctx.policy.ruleErrors ?? "deny"));
        continue;
      }
      for (const p of problems) {
        if (p.notChecked) notChecked.push({ rule: rule.meta.id, path: p.path, reason: p.message, cause: p.cause ?? notCheckedCause(rule, ctx.lookups) });
        else if (missingCaused.has(p))
          findings.push({ rule: rule.meta.id, action: action === "deny" ? "warn" : action, path: p.path, message: `${NOT_FOUND_YET}${p.message}`, cause: "lookup-missing" });
        else findings.push({ rule: rule.meta.id, action, path: p.path, message: p.message });
      }
    }
    return { allowed: !findings.some((f) => f.action === "deny"), findings, notChecked, exemptions, evaluatedRules };
  });
}

/** Why a rule that did not say answered not-checked: from the state of the kinds it looks up. */
function notCheckedCause(rule: Rule, lookups: Lookups): NotCheckedCause {
  const kinds = rule.meta.lookups ?? [];
  // A kind switched off on purpose (Secrets without --lookup-secrets) is no failure: not checked, never denied.
  if (kinds.some((k) => lookups.isDisabled?.(k))) return "lookup-disabled";
  if (kinds.some((k) => !lookups.isKnown(k))) return "lookup-unavailable";
  return "undecidable";
}

/**
 * Whether two objects are the same but for metadata and status: what an UPDATE that only relabels an object leaves
 * alone. The same answer as comparing their JSON without those two fields, without serialising them.
 */
export function sameSpec(a: Resource, b: Resource): boolean {
  const keys = (r: Resource) => Object.keys(r).filter((k) => k !== "metadata" && k !== "status");
  const ka = keys(a);
  const kb = keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i] || !sameJson(a[ka[i]!], b[ka[i]!])) return false;
  return true;
}

/** Deep equality of JSON values, key order included (as JSON.stringify compares them). */
function sameJson(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  if (Array.isArray(x)) {
    const ys = y as unknown[];
    if (x.length !== ys.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameJson(x[i], ys[i])) return false;
    return true;
  }
  const ox = x as Record<string, unknown>;
  const oy = y as Record<string, unknown>;
  const kx = Object.keys(ox).filter((k) => ox[k] !== undefined);
  const ky = Object.keys(oy).filter((k) => oy[k] !== undefined);
  if (kx.length !== ky.length) return false;
  for (let i = 0; i < kx.length; i++) if (kx[i] !== ky[i] || !sameJson(ox[kx[i]!], oy[kx[i]!])) return false;
  return true;
}

function describe(injection: Injection): string {
  return `set ${injection.path}: ${JSON.stringify(injection.value)}${injection.why ? ` (${injection.why})` : ""}`;
}

/** Applies every enabled defaulter to a copy of the resource. The input is never modified. */
export function mutate(
  resource: Resource,
  ctx: EngineContext,
  defaulters: readonly CatalogDefaulter[] = allDefaulters,
): MutationResult {
  return mutateOwned(cloneJson(resource), ctx, defaulters);
}

/** `mutate` on a copy the caller hands over (nobody else holds it): the defaulters change it in place. */
function mutateOwned(copy: Resource, ctx: EngineContext, defaulters: readonly CatalogDefaulter[]): MutationResult {
  const changes: Change[] = [];
  const errors: MutationResult["errors"] = [];
  const type = resourceTypeOf(copy);
  if (!type) return { resource: copy, changes, errors };
  const operation = ctx.operation ?? "CREATE";
  // An UPDATE that leaves the spec as it was (labels, annotations, finalizers) is never changed: defaulting it
  // could turn a metadata-only update into a spec change that the object's owner never asked for.
  if (operation === "UPDATE" && ctx.oldResource && sameSpec(ctx.oldResource, copy)) return { resource: copy, changes, errors };
  for (const d of defaulters) {
    if (!d.meta.appliesTo.includes(type)) continue;
    if (d.meta.operations && !d.meta.operations.includes(operation)) continue;
    const setting = ctx.policy.defaults.get(d.meta.id);
    if (!(setting?.enabled ?? d.meta.enabledByDefault)) continue;
    try {
      for (const injection of applyDefaulter(d, copy, ruleContext(ctx, setting?.params ?? {}))) {
        changes.push({ defaulter: d.meta.id, path: injection.path, value: injection.value, note: describe(injection) });
      }
    } catch (err) {
      errors.push({ defaulter: d.meta.id, message: String(err) });
    }
  }
  return { resource: copy, changes, errors };
}

export interface AdmitOptions {
  /** The API server's CRD pruning and defaulting, run before our mutation and again after it (as the API server does). */
  apiServer?: ApiServerStage;
  /** false: skip our mutation and judge the object as written (CRD defaulting still applies). */
  defaults?: boolean;
  /** The catalogs to use (tests); the real ones by default. */
  rules?: readonly CatalogRule[];
  defaulters?: readonly CatalogDefaulter[];
}

export interface Admission extends MutationResult {
  evaluation: Evaluation;
  /** What the simulated API server pruned and defaulted (both passes). */
  apiServer: ApiServerChange[];
}

/**
 * What the CLI does: simulate admission as the API server runs it — CRD pruning and defaulting, our mutating
 * webhook, the CRD defaults again for what it added, then validation of the result.
 */
export function admit(resource: Resource, ctx: EngineContext, options: AdmitOptions = {}): Admission {
  const apiServer: ApiServerChange[] = [];
  const stage = (r: Resource, pass: keyof ApiServerStage): Resource => {
    if (!options.apiServer) return r;
    const out = options.apiServer[pass](r);
    apiServer.push(...out.changes);
    return out.resource;
  };
  const received = stage(resource, "received");
  // A pass that returns another object than it was given returns its own copy (applyStructural clones): hand that
  // to the defaulters instead of deep-copying it again. Otherwise (no stage, kind without a schema) copy it here.
  const own = received !== resource ? received : cloneJson(received);
  const mutated =
    options.defaults === false ? { resource: own, changes: [], errors: [] } : mutateOwned(own, ctx, options.defaulters ?? allDefaulters);
  const final = mutated.changes.length > 0 ? stage(mutated.resource, "afterMutation") : mutated.resource;
  const origins = new Map<string, FieldOrigin>();
  for (const c of apiServer) if (c.kind === "default") origins.set(c.path, "crd");
  for (const c of mutated.changes) origins.set(c.path, "policy");
  const origin = (path: string) => origins.get(path);
  return { ...mutated, resource: final, apiServer, evaluation: evaluate(final, ctx, options.rules ? { origin, rules: options.rules } : { origin }) };
}
