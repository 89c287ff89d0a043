// Which namespaces a policy applies to: names and `*` globs, exclusions, and a standard label selector.
import type { LabelSelector } from "./types.ts";
import type { PolicyDocument } from "./document.ts";

export interface MatchResult {
  matches: boolean;
  /** Why, in words: shown by `describeMatch` in the CLI and in webhook logs. */
  reason: string;
}

/**
 * `prod-*` matches `prod-eu`; `*` alone matches every name; anything else must be equal. No regular expression:
 * `^.*-a-.*-b-.*$` backtracks polynomially on a long name (a manifest's namespace is any length in CI). The parts
 * between stars are found leftmost-first, which is exact for `*`-only globs.
 */
export function globMatches(pattern: string, name: string): boolean {
  if (!pattern.includes("*")) return pattern === name;
  const parts = pattern.split("*");
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (name.length < first.length + last.length || !name.startsWith(first) || !name.endsWith(last)) return false;
  let at = first.length;
  const end = name.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i]!;
    if (part === "") continue;
    const found = name.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

export function isEmptySelector(s: LabelSelector | undefined): boolean {
  return !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);
}

/** Kubernetes label-selector semantics: every matchLabels pair and every expression must hold. */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (!has(k) || labels[k] !== v) return false;
  for (const x of selector.matchExpressions ?? []) {
    const values = x.values ?? [];
    switch (x.operator) {
      case "In":
        if (!has(x.key) || !values.includes(labels[x.key]!)) return false;
        break;
      case "NotIn":
        if (has(x.key) && values.includes(labels[x.key]!)) return false;
        break;
      case "Exists":
        if (!has(x.key)) return false;
        break;
      case "DoesNotExist":
        if (has(x.key)) return false;
        break;
      default:
        return false; // validated policies never get here; an unknown operator must not match everything
    }
  }
  return true;
}

/**
 * Whether a policy applies to a namespace. `namespace` is undefined for cluster-scoped resources and for
 * manifests without one: only policies without a namespace list or selector apply then. `labels` undefined
 * means "not known" (CLI without a cluster): a policy with a non-empty namespaceSelector does not apply.
 */
export function matchPolicy(
  doc: PolicyDocument,
  namespace: string | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): MatchResult {
  const m = doc.spec.match ?? {};
  const names = m.namespaces ?? [];
  const selector = isEmptySelector(m.namespaceSelector) ? undefined : m.namespaceSelector;
  if (namespace === undefined) {
    if (names.length > 0) return { matches: false, reason: "the resource has no namespace and the policy lists namespaces" };
    if (selector) return { matches: false, reason: "the resource has no namespace and the policy has a namespaceSelector" };
    return { matches: true, reason: "the policy applies to every namespace" };
  }
  const excluded = (m.excludeNamespaces ?? []).find((p) => globMatches(p, namespace));
  if (excluded !== undefined) return { matches: false, reason: `namespace ${namespace} is excluded by "${excluded}"` };
  let reason = "the policy applies to every namespace";
  if (names.length > 0) {
    const hit = names.find((p) => globMatches(p, namespace));
    if (hit === undefined) return { matches: false, reason: `namespace ${namespace} is not in spec.match.namespaces` };
    reason = `namespace ${namespace} matches "${hit}"`;
  }
  if (selector) {
    if (labels === undefined)
      return {
        matches: false,
        reason: `namespace labels unknown: pass the Namespace with --lookup (or validate against a cluster with --kubeconfig); without the labels of namespace ${namespace} its namespaceSelector cannot match`,
      };
    if (!selectorMatches(selector, labels)) return { matches: false, reason: `the labels of namespace ${namespace} do not match its namespaceSelector` };
    reason = names.length > 0 ? `${reason} and its labels match the namespaceSelector` : `the labels of namespace ${namespace} match its namespaceSelector`;
  }
  return { matches: true, reason };
}
