// Which policy applies to a resource: the built-in recommended policy, or the --policy files merged over it.
import type { EffectivePolicy } from "../policy/types.ts";
import { recommendedPolicy } from "../policy/builtin.ts";

export interface PolicyResolver {
  /** Names of the policies in play, for the report. */
  names: string[];
  forNamespace(namespace: string, labels?: Record<string, string>): EffectivePolicy;
}

export type PolicyOutcome = { ok: true; resolver: PolicyResolver } | { ok: false; errors: string[] };

export async function loadPolicy(paths: readonly string[]): Promise<PolicyOutcome> {
  if (paths.length > 0) {
    return { ok: false, errors: ["--policy: policy files are not supported by this build yet"] };
  }
  const builtin = recommendedPolicy();
  return { ok: true, resolver: { names: builtin.sources, forNamespace: () => builtin } };
}
