// The policies in force: which apply to a namespace, and the effective policy there (memoized).
import { recommendedPolicy } from "./builtin.ts";
import type { PolicyDocument } from "./document.ts";
import { matchPolicy } from "./match.ts";
import { byPriority, mergePolicies } from "./merge.ts";
import { GenerationCache } from "../cron/cache.ts";
import type { EffectivePolicy } from "./types.ts";

export interface PolicyMatchInfo {
  name: string;
  source: string;
  priority: number;
  matches: boolean;
  reason: string;
}

/** Namespaces (with their labels) remembered, at most; the webhook sees an unbounded stream of them over time. */
export const MAX_CACHED_NAMESPACES = 2000;
/** Effective policies remembered per set of matching documents (few in practice: one per combination that occurs). */
export const MAX_CACHED_MERGES = 256;

export class PolicySet {
  /** The documents, in the order they apply: ascending priority, then name. */
  readonly policies: readonly PolicyDocument[];
  readonly names: readonly string[];
  readonly #base: () => EffectivePolicy;
  #baseValue: EffectivePolicy | undefined;
  /**
   * Namespace -> the labels it was last seen with and what was worked out for them; every namespace used within the
   * last MAX_CACHED_NAMESPACES / 2 new entries is kept (two generations, cron/cache.ts: no reordering on a hit and no
   * delete-oldest on a miss). A namespace seen with other labels (relabelled) is worked out again and replaces its entry.
   */
  readonly #cache = new GenerationCache<string | undefined, NamespaceEntry>(MAX_CACHED_NAMESPACES / 2);
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
    return this.#described(this.#entry(namespace, labels), namespace, labels).map((m) => ({ ...m })); // the caller's own copies
  }

  /** Each document's match for the entry's (namespace, labels), worked out once (forNamespace reads it too). */
  #described(entry: NamespaceEntry, namespace: string | undefined, labels: Readonly<Record<string, string>> | undefined): readonly PolicyMatchInfo[] {
    return (entry.described ??= this.policies.map((p) => ({
      name: p.name,
      source: p.source,
      priority: p.spec.priority ?? 0,
      ...matchPolicy(p, namespace, labels),
    })));
  }

  /** The cache entry for (namespace, labels), made (empty) when there is none for these labels. */
  #entry(namespace: string | undefined, labels: Readonly<Record<string, string>> | undefined): NamespaceEntry {
    const hit = this.#cache.get(namespace);
    if (hit && sameLabels(hit.labels, labels)) return hit;
    const entry: NamespaceEntry = { labels: snapshot(labels) };
    this.#cache.set(namespace, entry);
    return entry;
  }

  /**
   * The effective policy for a namespace: the built-in policy with every matching policy applied in order.
   * Memoised per (namespace, labels) and, behind that, per set of matching documents, so namespaces that the
   * same documents match share one merged policy (a PolicySet never changes: a policy change builds a new set).
   * The result is shared between calls: do not modify it.
   */
  forNamespace(namespace: string | undefined, labels?: Readonly<Record<string, string>>): EffectivePolicy {
    const entry = this.#entry(namespace, labels);
    if (entry.policy) {
      this.stats.namespaceHits++;
      return entry.policy;
    }
    const indices: number[] = [];
    const described = this.#described(entry, namespace, labels);
    for (let i = 0; i < described.length; i++) if (described[i]!.matches) indices.push(i);
    const mergeKey = indices.join(",");
    let policy = this.#merged.get(mergeKey);
    if (!policy) {
      this.#baseValue ??= this.#base();
      policy = mergePolicies(indices.map((i) => this.policies[i]!), this.#baseValue);
      this.stats.merges++;
      if (this.#merged.size >= MAX_CACHED_MERGES) this.#merged.delete(this.#merged.keys().next().value!);
      this.#merged.set(mergeKey, policy);
    }
    entry.policy = policy;
    return policy;
  }
}

/** What a PolicySet worked out for one namespace with these labels. */
interface NamespaceEntry {
  /** The labels as they were (a copy), or undefined for unknown labels. */
  labels: ReadonlyMap<string, unknown> | undefined;
  policy?: EffectivePolicy;
  described?: PolicyMatchInfo[];
}

function snapshot(labels: Readonly<Record<string, string>> | undefined): ReadonlyMap<string, unknown> | undefined {
  if (labels === undefined) return undefined;
  const out = new Map<string, unknown>();
  for (const k of Object.keys(labels)) out.set(k, labels[k]);
  return out;
}

/** The same keys with the same values (in any order); unknown labels equal only unknown labels. */
function sameLabels(seen: ReadonlyMap<string, unknown> | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (seen === undefined || labels === undefined) return seen === undefined && labels === undefined;
  const keys = Object.keys(labels);
  if (keys.length !== seen.size) return false;
  for (const k of keys) if (!seen.has(k) || seen.get(k) !== labels[k]) return false;
  return true;
}
