// The rule catalog: the generic rules, then every operator's (src/operators/index.ts), audit-only rules last. Order
// here is the order of findings and of the README table.
import type { Rule } from "../engine/types.ts";
import { scheduleRules } from "./schedule/index.ts";
import { operatorRules } from "../operators/index.ts";
import type { CatalogRule } from "./define.ts";

const ordered: CatalogRule[] = [...scheduleRules, ...operatorRules];

export const allRules: readonly Rule[] = [...ordered.filter((r) => !r.meta.auditOnly), ...ordered.filter((r) => r.meta.auditOnly)] as Rule[];

export const ruleIds: ReadonlySet<string> = new Set(allRules.map((r) => r.meta.id));

export function findRule(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
