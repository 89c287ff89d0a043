// The one engine: the CLI and the webhook both call these functions; neither contains rule logic.
import type {
  ApiServerChange,
  ApiServerStage,
  Defaulter,
  FieldOrigin,
  Injection,
  Evaluation,
  Finding,
  Lookups,
  NotChecked,
  Operation,
  Resource,
  Rule,
  RuleContext,
} from "./types.ts";
import type { EffectivePolicy } from "../policy/types.ts";
import { resourceTypeOf } from "./resource.ts";
import { readExemptions } from "./exemptions.ts";
import { allRules, findRule, ruleIds } from "../rules/index.ts";
import { allDefaulters } from "../defaults/index.ts";
import { cloneJson } from "../util/object.ts";

export interface EngineContext {
  policy: EffectivePolicy;
  lookups: Lookups;
  now: Date;
  operation?: Operation;
  oldResource?: Resource;
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
    if (!rule || !type || !rule.meta.appliesTo.includes(type) || exempt.has(id)) return false;
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
  return rc;
}

export interface EvaluateOptions {
  rules?: readonly Rule[];
  /** Who wrote fields the user did not (see RuleContext.origin). */
  origin?: (path: string) => FieldOrigin | undefined;
}

/** Runs every applicable rule on the resource exactly as given. */
export function evaluate(resource: Resource, ctx: EngineContext, options: readonly Rule[] | EvaluateOptions = {}): Evaluation {
  const opts: EvaluateOptions = Array.isArray(options) ? { rules: options as readonly Rule[] } : (options as EvaluateOptions);
  const rules = opts.rules ?? allRules;
  const type = resourceTypeOf(resource);
  const findings: Finding[] = [];
  const notChecked: NotChecked[] = [];
  if (!type) return { allowed: true, findings, notChecked, exemptions: [] };

  const known = rules === allRules ? ruleIds : new Set(rules.map((r) => r.meta.id));
  const exemptions = readExemptions(resource, ctx.policy.exemptions, known, ctx.now);
  const exempt = new Set(exemptions.filter((e) => e.applied).map((e) => e.rule));
  const extra: Pick<RuleContext, "origin" | "ruleActive"> = { ruleActive: ruleActivity(resource, ctx, exempt) };
  if (opts.origin) extra.origin = opts.origin;

  for (const rule of rules) {
    if (!rule.meta.appliesTo.includes(type)) continue;
    const setting = ctx.policy.rules.get(rule.meta.id);
    const action = setting?.action ?? rule.meta.defaultAction;
    if (action === "off" || exempt.has(rule.meta.id)) continue;

    let problems;
    try {
      problems = rule.check(resource, ruleContext(ctx, setting?.params ?? {}, extra));
    } catch (err) {
      // A rule bug must never take the webhook down or deny a resource: report it as not checked.
      notChecked.push({ rule: rule.meta.id, path: "", reason: `internal error in the rule: ${String(err)}` });
      continue;
    }
    for (const p of problems) {
      if (p.notChecked) notChecked.push({ rule: rule.meta.id, path: p.path, reason: p.message });
      else findings.push({ rule: rule.meta.id, action, path: p.path, message: p.message });
    }
  }
  return { allowed: !findings.some((f) => f.action === "deny"), findings, notChecked, exemptions };
}

/** Everything but metadata and status: what an UPDATE that only relabels an object leaves alone. */
export function specOf(r: Resource): string {
  const { metadata: _m, status: _s, ...rest } = r;
  return JSON.stringify(rest);
}

function describe(injection: Injection): string {
  return `set ${injection.path}: ${JSON.stringify(injection.value)}${injection.why ? ` (${injection.why})` : ""}`;
}

/** Applies every enabled defaulter to a copy of the resource. The input is never modified. */
export function mutate(
  resource: Resource,
  ctx: EngineContext,
  defaulters: readonly Defaulter[] = allDefaulters,
): MutationResult {
  const copy = cloneJson(resource);
  const changes: Change[] = [];
  const errors: MutationResult["errors"] = [];
  const type = resourceTypeOf(copy);
  if (!type) return { resource: copy, changes, errors };
  const operation = ctx.operation ?? "CREATE";
  // An UPDATE that leaves the spec as it was (labels, annotations, finalizers) is never changed: defaulting it
  // could turn a metadata-only update into a spec change that the object's owner never asked for.
  if (operation === "UPDATE" && ctx.oldResource && specOf(ctx.oldResource) === specOf(copy)) return { resource: copy, changes, errors };
  for (const d of defaulters) {
    if (!d.meta.appliesTo.includes(type)) continue;
    if (d.meta.operations && !d.meta.operations.includes(operation)) continue;
    const setting = ctx.policy.defaults.get(d.meta.id);
    if (!(setting?.enabled ?? d.meta.enabledByDefault)) continue;
    try {
      for (const injection of d.apply(copy, ruleContext(ctx, setting?.params ?? {}))) {
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
  rules?: readonly Rule[];
  defaulters?: readonly Defaulter[];
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
  const mutated =
    options.defaults === false ? { resource: cloneJson(received), changes: [], errors: [] } : mutate(received, ctx, options.defaulters);
  const final = mutated.changes.length > 0 ? stage(mutated.resource, "afterMutation") : mutated.resource;
  const origins = new Map<string, FieldOrigin>();
  for (const c of apiServer) if (c.kind === "default") origins.set(c.path, "crd");
  for (const c of mutated.changes) origins.set(c.path, "policy");
  const origin = (path: string) => origins.get(path);
  return { ...mutated, resource: final, apiServer, evaluation: evaluate(final, ctx, options.rules ? { origin, rules: options.rules } : { origin }) };
}
