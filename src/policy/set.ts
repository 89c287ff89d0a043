// The policies in force: which apply to a namespace, and the effective policy there (memoized).
import { recommendedPolicy } from "./builtin.ts";
import type { PolicyDocument } from "./document.ts";
import { matchPolicy } from "./match.ts";
import { byPriority, mergePolicies } from "./merge.ts";
import type { EffectivePolicy } from "./types.ts";

export interface PolicyMatchInfo {
  name: string;
  source: string;
  priority: number;
  matches: boolean;
  reason: string;
}

/** Namespaces (with their labels) remembered; the webhook sees an unbounded stream of them over time. */
export const MAX_CACHED_NAMESPACES = 2000;

export class PolicySet {
  /** The documents, in the order they apply: ascending priority, then name. */
  readonly policies: readonly PolicyDocument[];
  readonly names: readonly string[];
  readonly #base: () => EffectivePolicy;
  readonly #cache = new Map<string, EffectivePolicy>();

  /** From validated documents (see parsePolicyText / loadPolicyFiles / validatePolicyObject). */
  constructor(policies: readonly PolicyDocument[] = [], base: () => EffectivePolicy = () => recommendedPolicy()) {
    this.policies = [...policies].sort(byPriority);
    this.names = this.policies.map((p) => p.name);
    this.#base = base;
  }

  /** The documents that apply to a namespace, in the order they apply. */
  matching(namespace: string | undefined, labels?: Readonly<Record<string, string>>): PolicyDocument[] {
    return this.policies.filter((p) => matchPolicy(p, namespace, labels).matches);
  }

  /** For each policy: whether it applies to the namespace, and why (for `explain`-style output and logs). */
  describeMatch(namespace: string | undefined, labels?: Readonly<Record<string, string>>): PolicyMatchInfo[] {
    return this.policies.map((p) => ({
      name: p.name,
      source: p.source,
      priority: p.spec.priority ?? 0,
      ...matchPolicy(p, namespace, labels),
    }));
  }

  /**
   * The effective policy for a namespace: the built-in policy with every matching policy applied in order.
   * The result is shared between calls with the same namespace and labels: do not modify it.
   */
  forNamespace(namespace: string | undefined, labels?: Readonly<Record<string, string>>): EffectivePolicy {
    const key = cacheKey(namespace, labels);
    const hit = this.#cache.get(key);
    if (hit) {
      // Refresh its place so the least recently used entry is the one dropped.
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      return hit;
    }
    const policy = mergePolicies(this.matching(namespace, labels), this.#base());
    if (this.#cache.size >= MAX_CACHED_NAMESPACES) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(key, policy);
    return policy;
  }
}

function cacheKey(namespace: string | undefined, labels: Readonly<Record<string, string>> | undefined): string {
  const ns = namespace === undefined ? "\u0001" : namespace;
  if (labels === undefined) return `${ns}\u0000?`;
  const sorted = Object.keys(labels).sort().map((k) => [k, labels[k]]);
  return `${ns}\u0000${JSON.stringify(sorted)}`;
}
