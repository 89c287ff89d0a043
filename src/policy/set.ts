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
/** Effective policies remembered per set of matching documents (few in practice: one per combination that occurs). */
export const MAX_CACHED_MERGES = 256;

export class PolicySet {
  /** The documents, in the order they apply: ascending priority, then name. */
  readonly policies: readonly PolicyDocument[];
  readonly names: readonly string[];
  readonly #base: () => EffectivePolicy;
  #baseValue: EffectivePolicy | undefined;
  /** (namespace, labels) -> effective policy, least recently used first. */
  readonly #cache = new Map<string, EffectivePolicy>();
  /** Indices of the matching documents -> their merge: every namespace matched by the same documents shares it. */
  readonly #merged = new Map<string, EffectivePolicy>();
  /** Counters for tests and benchmarks. */
  readonly stats = { namespaceHits: 0, merges: 0 };

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
   * Memoised per (namespace, labels) and, behind that, per set of matching documents, so namespaces that the
   * same documents match share one merged policy (a PolicySet never changes: a policy change builds a new set).
   * The result is shared between calls: do not modify it.
   */
  forNamespace(namespace: string | undefined, labels?: Readonly<Record<string, string>>): EffectivePolicy {
    const key = cacheKey(namespace, labels);
    const hit = this.#cache.get(key);
    if (hit) {
      // Refresh its place so the least recently used entry is the one dropped.
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      this.stats.namespaceHits++;
      return hit;
    }
    const indices: number[] = [];
    for (const [i, p] of this.policies.entries()) if (matchPolicy(p, namespace, labels).matches) indices.push(i);
    const mergeKey = indices.join(",");
    let policy = this.#merged.get(mergeKey);
    if (!policy) {
      this.#baseValue ??= this.#base();
      policy = mergePolicies(indices.map((i) => this.policies[i]!), this.#baseValue);
      this.stats.merges++;
      if (this.#merged.size >= MAX_CACHED_MERGES) this.#merged.delete(this.#merged.keys().next().value!);
      this.#merged.set(mergeKey, policy);
    }
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
