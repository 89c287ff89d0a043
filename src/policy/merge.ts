// Merging policies over the built-in recommended policy: rule by rule, parameter by parameter.
import { parseDuration } from "../util/duration.ts";
import { recommendedPolicy } from "./builtin.ts";
import type { PolicyDocument } from "./document.ts";
import type { EffectivePolicy } from "./types.ts";

/** (priority, name) order; documents with equal both keep their input order (sort is stable). */
export function byPriority(a: PolicyDocument, b: PolicyDocument): number {
  const pa = a.spec.priority ?? 0;
  const pb = b.spec.priority ?? 0;
  if (pa !== pb) return pa - pb;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Applies one validated policy over `into` (modified in place). */
function apply(into: EffectivePolicy, doc: PolicyDocument): void {
  const spec = doc.spec;
  into.sources.push(doc.name);
  if (spec.rpo !== undefined) {
    const seconds = parseDuration(spec.rpo);
    if (seconds !== undefined) into.settings.rpoSeconds = seconds;
  }
  if (spec.ruleErrors !== undefined) into.ruleErrors = spec.ruleErrors;
  const ex = spec.exemptions;
  if (ex) {
    if (ex.allowed !== undefined) into.exemptions.allowed = ex.allowed;
    if (ex.requireReason !== undefined) into.exemptions.requireReason = ex.requireReason;
    if (ex.requireExpiry !== undefined) into.exemptions.requireExpiry = ex.requireExpiry;
    if (ex.neverExempt !== undefined) into.exemptions.neverExempt = [...ex.neverExempt];
    // Each policy's own entries: they add up (like Kyverno PolicyExceptions), they never replace another's.
    if (ex.resources !== undefined && ex.resources.length > 0)
      into.exemptions.resources = [
        ...(into.exemptions.resources ?? []),
        ...ex.resources.map((r, index) => ({ ...structuredClone(r), policy: doc.name, index })),
      ];
  }
  for (const [id, entry] of Object.entries(spec.rules ?? {})) {
    const setting = into.rules.get(id);
    if (!setting) continue; // validated documents name known rules only; a rule removed since is ignored
    const { action, ...params } = entry;
    // Rules get their parameters as written (e.g. "7d") and parse them themselves.
    into.rules.set(id, { action: action ?? setting.action, params: { ...setting.params, ...structuredClone(params) } });
  }
  for (const [id, entry] of Object.entries(spec.defaults ?? {})) {
    const setting = into.defaults.get(id);
    if (!setting) continue;
    const { enabled, ...params } = entry;
    into.defaults.set(id, { enabled: enabled ?? setting.enabled, params: { ...setting.params, ...structuredClone(params) } });
  }
}

/**
 * The effective policy of a set of validated documents: sorted by (priority, name) and applied one after the
 * other over the built-in recommended policy (or `base`). `match` is not looked at here; see PolicySet.
 */
export function mergePolicies(docs: readonly PolicyDocument[], base: EffectivePolicy = recommendedPolicy()): EffectivePolicy {
  const out: EffectivePolicy = {
    sources: [...base.sources],
    settings: { ...base.settings },
    rules: new Map([...base.rules].map(([id, s]) => [id, { action: s.action, params: structuredClone(s.params) }])),
    defaults: new Map([...base.defaults].map(([id, s]) => [id, { enabled: s.enabled, params: structuredClone(s.params) }])),
    exemptions: { ...base.exemptions, neverExempt: [...base.exemptions.neverExempt] },
  };
  if (base.exemptions.resources) out.exemptions.resources = structuredClone(base.exemptions.resources);
  if (base.ruleErrors !== undefined) out.ruleErrors = base.ruleErrors;
  for (const doc of [...docs].sort(byPriority)) apply(out, doc);
  return out;
}
