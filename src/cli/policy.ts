// Which policy applies to a resource: the built-in recommended policy, or the --policy files merged over it.
import type { EffectivePolicy } from "../policy/types.ts";
import { BUILTIN_POLICY_NAME } from "../policy/builtin.ts";
import { loadPolicyFiles } from "../policy/load.ts";
import { PolicySet, type PolicyMatchInfo } from "../policy/set.ts";
import { formatPolicyError } from "../policy/document.ts";

export interface PolicyResolver {
  /** Names of the policies in play, for the report (built-in first). */
  names: string[];
  forNamespace(namespace: string | undefined, labels?: Record<string, string>): EffectivePolicy;
  /** For each policy document (not the built-in one): whether it applies to the namespace, and why. */
  describe?(namespace: string | undefined, labels?: Record<string, string>): PolicyMatchInfo[];
}

export type PolicyOutcome = { ok: true; resolver: PolicyResolver } | { ok: false; errors: string[] };

/** Loads --policy files; every mistake is reported as `file:line: path: message` (exit 2 at the edge). */
export function loadPolicy(paths: readonly string[]): PolicyOutcome {
  const loaded = loadPolicyFiles(paths);
  if (!loaded.ok) return { ok: false, errors: loaded.errors.map((e) => `invalid policy: ${formatPolicyError(e)}`) };
  const set = new PolicySet(loaded.policies);
  return {
    ok: true,
    resolver: {
      names: [BUILTIN_POLICY_NAME, ...set.names],
      forNamespace: (ns, labels) => set.forNamespace(ns, labels),
      describe: (ns, labels) => set.describeMatch(ns, labels),
    },
  };
}
