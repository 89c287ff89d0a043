// How a rule module declares itself: `export const rule = defineRule<Params>({ meta, check })`. The parameter type
// and the parameter schema are tied together (every parameter of `Params` has a schema in `meta.params`, and no
// schema names a parameter `Params` lacks), and `check` sees `ctx.params` typed. Catalogs hold `CatalogRule`: the
// engine hands each rule only parameters that its own schema validated (src/policy/validate.ts), merged over the
// schema's defaults, which is what makes `ctx.params` a `Params`.
import type { Defaulter, Injection, JsonSchema, Problem, Resource, Rule, RuleContext, RuleMeta } from "../engine/types.ts";

/** One JSON schema per parameter of P, no more, no fewer. */
export type ParamsSchema<P> = { [K in keyof P]-?: JsonSchema };

export interface RuleDefinition<P> {
  meta: Omit<RuleMeta, "params"> & { params: ParamsSchema<P> };
  check(resource: Resource, ctx: RuleContext<P>): Problem[];
}

/** A rule of any parameter type, as the catalogs (and the engine) hold it. */
export type CatalogRule = Rule<never>;

/** Declares a rule whose `ctx.params` is `P`, checked against its `meta.params` schema. A rule without parameters omits P. */
export function defineRule<P extends object = Record<string, never>>(definition: RuleDefinition<P>): Rule<P> {
  return definition as Rule<P>;
}

/** A defaulter of any parameter type, as the catalogs hold it (the same contract as CatalogRule). */
export type CatalogDefaulter = Defaulter<never>;

/**
 * Runs a catalog rule. The one place its erased parameter type is trusted: `ctx.params` must be what the rule's own
 * schema validated, merged over its defaults (as the engine and the rule tester build it).
 */
export function checkRule(rule: CatalogRule, resource: Resource, ctx: RuleContext): Problem[] {
  return (rule as unknown as Rule).check(resource, ctx);
}

/** Runs a catalog defaulter, with the same contract as checkRule. */
export function applyDefaulter(defaulter: CatalogDefaulter, resource: Resource, ctx: RuleContext): Injection[] {
  return (defaulter as unknown as Defaulter).apply(resource, ctx);
}
