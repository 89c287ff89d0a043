// The built-in recommended policy: every rule at its default action with its default parameters.
import type { JsonSchema } from "../engine/types.ts";
import type { EffectivePolicy, ExemptionSettings } from "./types.ts";
import { allRules } from "../rules/index.ts";
import { allDefaulters } from "../defaults/index.ts";
import type { CatalogRule, CatalogDefaulter } from "../rules/define.ts";

export const BUILTIN_POLICY_NAME = "builtin:recommended";
export const DEFAULT_RPO_SECONDS = 300;

export const DEFAULT_EXEMPTIONS: ExemptionSettings = {
  allowed: true,
  requireReason: true,
  requireExpiry: false,
  neverExempt: [],
};

/** The `default` values of a parameter schema map. */
export function paramDefaults(params: Record<string, JsonSchema>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(params)) {
    if ("default" in schema) out[name] = structuredClone(schema.default);
  }
  return out;
}

export function recommendedPolicy(
  rules: readonly CatalogRule[] = allRules,
  defaulters: readonly CatalogDefaulter[] = allDefaulters,
): EffectivePolicy {
  return {
    sources: [BUILTIN_POLICY_NAME],
    settings: { rpoSeconds: DEFAULT_RPO_SECONDS },
    rules: new Map(rules.map((r) => [r.meta.id, { action: r.meta.defaultAction, params: paramDefaults(r.meta.params) }])),
    defaults: new Map(
      defaulters.map((d) => [d.meta.id, { enabled: d.meta.enabledByDefault, params: paramDefaults(d.meta.params) }]),
    ),
    exemptions: { ...DEFAULT_EXEMPTIONS, neverExempt: [...DEFAULT_EXEMPTIONS.neverExempt] },
  };
}
