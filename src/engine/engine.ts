// The one engine: the CLI and the webhook both call these functions; neither contains rule logic.
import type {
  Defaulter,
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
import { allRules, ruleIds } from "../rules/index.ts";
import { allDefaulters } from "../defaults/index.ts";
import { cloneJson } from "../util/object.ts";

export interface EngineContext {
  policy: EffectivePolicy;
  lookups: Lookups;
  now: Date;
  operation?: Operation;
  oldResource?: Resource;
}

export interface Change {
  defaulter: string;
  note: string;
}

export interface MutationResult {
  resource: Resource;
  changes: Change[];
  /** Defaulters that threw; the resource is left as the others made it. */
  errors: { defaulter: string; message: string }[];
}

function ruleContext(ctx: EngineContext, params: Record<string, unknown>): RuleContext {
  const rc: RuleContext = {
    params,
    policy: ctx.policy.settings,
    lookups: ctx.lookups,
    now: ctx.now,
    operation: ctx.operation ?? "CREATE",
  };
  if (ctx.oldResource) rc.oldResource = ctx.oldResource;
  return rc;
}

/** Runs every applicable rule on the resource exactly as given. */
export function evaluate(resource: Resource, ctx: EngineContext, rules: readonly Rule[] = allRules): Evaluation {
  const type = resourceTypeOf(resource);
  const findings: Finding[] = [];
  const notChecked: NotChecked[] = [];
  if (!type) return { allowed: true, findings, notChecked, exemptions: [] };

  const known = rules === allRules ? ruleIds : new Set(rules.map((r) => r.meta.id));
  const exemptions = readExemptions(resource, ctx.policy.exemptions, known, ctx.now);
  const exempt = new Set(exemptions.filter((e) => e.applied).map((e) => e.rule));

  for (const rule of rules) {
    if (!rule.meta.appliesTo.includes(type)) continue;
    const setting = ctx.policy.rules.get(rule.meta.id);
    const action = setting?.action ?? rule.meta.defaultAction;
    if (action === "off" || exempt.has(rule.meta.id)) continue;

    let problems;
    try {
      problems = rule.check(resource, ruleContext(ctx, setting?.params ?? {}));
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
  for (const d of defaulters) {
    if (!d.meta.appliesTo.includes(type)) continue;
    const setting = ctx.policy.defaults.get(d.meta.id);
    if (!(setting?.enabled ?? d.meta.enabledByDefault)) continue;
    try {
      for (const note of d.apply(copy, ruleContext(ctx, setting?.params ?? {}))) changes.push({ defaulter: d.meta.id, note });
    } catch (err) {
      errors.push({ defaulter: d.meta.id, message: String(err) });
    }
  }
  return { resource: copy, changes, errors };
}

/** What the CLI does: simulate admission — mutate, then validate the mutated object, as the API server does. */
export function admit(resource: Resource, ctx: EngineContext): MutationResult & { evaluation: Evaluation } {
  const mutated = mutate(resource, ctx);
  return { ...mutated, evaluation: evaluate(mutated.resource, ctx) };
}
