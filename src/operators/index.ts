// The operator registry: the one list every catalog is derived from (covered types, rules, defaults, schedule
// sources, lookup kinds in lookups/kinds.ts, the CRD table's inputs, the webhook configurations' rules, the
// metrics' kind label). Adding an operator = a folder under src/operators/ and one line here.
//
// Import discipline (ESM cycles): modules under src/operators/ never import this file, nor the generic rules in
// src/rules/schedule/{syntax,never-fires,too-frequent,too-rare,index}.ts or src/rules/index.ts; they may import
// src/rules/util.ts and src/rules/schedule/{common,sources}.ts, which never import this file either. Modules that do
// import this file from code operator modules load (lookups/kinds.ts) read it only inside functions.
import type { Defaulter, Resource, ResourceType } from "../engine/types.ts";
import type { ScheduleSource } from "../rules/schedule/sources.ts";
import { DIALECTS, type Dialect } from "../cron/types.ts";
import { typesOf, type CoveredKind, type Operator } from "./types.ts";
import { operator as cnpg } from "./cnpg/index.ts";
import { operator as cpo } from "./cpo/index.ts";
import { operator as pgo } from "./pgo/index.ts";
import type { CatalogRule } from "../rules/define.ts";

export const operators: readonly Operator[] = [cnpg, cpo, pgo];

/** "CloudNativePG, CYBERTEC postgres-operator or Crunchy Data PGO": the operators, for messages. */
export const OPERATOR_TITLES = operators.map((o) => o.title).join(", ").replace(/, ([^,]*)$/, " or $1");

export function findOperator(name: string): Operator | undefined {
  return operators.find((o) => o.name === name);
}

/** Every covered kind with the operator it belongs to, in registry order. */
export const coveredKinds: readonly (CoveredKind & { operator: string })[] = operators.flatMap((o) =>
  o.kinds.map((k) => ({ ...k, operator: o.name })),
);

/** Every covered resource type (`group/version/Kind`), in registry order. */
export const COVERED_TYPES: readonly ResourceType[] = coveredKinds.flatMap(typesOf);

const operatorOfType: ReadonlyMap<string, Operator> = new Map(
  operators.flatMap((o) => o.kinds.flatMap((k) => typesOf(k).map((t) => [t, o] as const))),
);

/** The operator a resource type belongs to. */
export function operatorOf(type: string): Operator | undefined {
  return operatorOfType.get(type);
}

/** Covered types whose CRD declares `spec` as an object (the resource-shape check). */
export const SPEC_IS_OBJECT: ReadonlySet<ResourceType> = new Set(coveredKinds.filter((k) => k.specIsObject).flatMap(typesOf));

/** Every operator's rules, in registry order (the generic rules come first in rules/index.ts). */
export const operatorRules: readonly CatalogRule[] = operators.flatMap((o) => o.rules);

export const allDefaulters: readonly Defaulter[] = operators.flatMap((o) => o.defaulters) as Defaulter[];

/** Types of the operators that have backup schedules: what the generic schedule-* rules apply to. */
export const SCHEDULED_TYPES: readonly ResourceType[] = coveredKinds.filter((k) => k.schedules).flatMap(typesOf);

/**
 * `--dialect` values: the dialects' own names, and each operator's name as an alias of its dialect
 * (`cnpg` = robfig-v1, `cpo` and `pgo` = kubernetes).
 */
export const DIALECT_ALIASES: Readonly<Record<string, Dialect>> = Object.fromEntries([
  ...DIALECTS.map((d) => [d, d] as const),
  ...operators.flatMap((o) => (o.dialect ? [[o.name, o.dialect] as const] : [])),
]);

// While the engine evaluates an object (rules are pure: none changes it), its schedule sources are read once and
// shared by every rule that asks; outside an evaluation nothing is remembered (defaulters change objects).
const evaluating = new WeakMap<object, readonly ScheduleSource[] | null>();

/** Runs `fn` with the schedule sources of `resource` memoised (the engine's evaluate wraps its rule loop in it). */
export function withScheduleMemo<T>(resource: Resource, fn: () => T): T {
  if (typeof resource !== "object" || resource === null || evaluating.has(resource)) return fn();
  evaluating.set(resource, null);
  try {
    return fn();
  } finally {
    evaluating.delete(resource);
  }
}

/** Every backup schedule string of a resource, from its operator; [] for anything else. Never throws. */
export function scheduleSourcesOf(resource: Resource): readonly ScheduleSource[] {
  if (typeof resource !== "object" || resource === null) return [];
  const memo = evaluating.get(resource);
  if (memo) return memo;
  const op = operatorOfType.get(`${String(resource.apiVersion)}/${String(resource.kind)}`);
  const out: readonly ScheduleSource[] = Object.freeze(op?.scheduleSources?.(resource) ?? []);
  if (memo === null) evaluating.set(resource, out);
  return out;
}
