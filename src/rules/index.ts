// The rule catalog. Order here is the order of findings and of the README table.
import type { Rule } from "../engine/types.ts";
import { scheduleRules } from "./schedule/index.ts";
import { cnpgRules } from "./cnpg/index.ts";
import { cpoRules } from "./cpo/index.ts";
import { auditRules } from "./audit/index.ts";

export const allRules: readonly Rule[] = [...scheduleRules, ...cnpgRules, ...cpoRules, ...auditRules] as Rule[];

export const ruleIds: ReadonlySet<string> = new Set(allRules.map((r) => r.meta.id));

export function findRule(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
