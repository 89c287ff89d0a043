// Helpers shared by rule modules.
import type { LookupKind, Lookups, NotCheckedCause, Problem, Resource } from "../engine/types.ts";
import { firstPlaceholder, hasPlaceholder, placeholderPattern, withoutPlaceholders } from "../util/placeholder.ts";
import { isClusterScopedKind } from "../lookups/generic-kinds.ts";

export function problem(path: string, message: string): Problem {
  return { path, message };
}

/** At most this many problems of one kind are listed by a rule on one object; the rest are counted in one more. */
export const MAX_LISTED = 20;

/**
 * Problems of one kind (one per map key or list entry), listed up to `max` and counted beyond: a map with 60,000
 * bad keys gets 20 problems and a 21st saying how many more there are, never 60,000 messages (issue 12: the
 * messages, not the loop, held the event loop for 0.6 s). Build a message only when `listing` is true.
 */
export class BoundedProblems {
  readonly problems: Problem[] = [];
  private more = 0;
  private readonly max: number;
  constructor(max: number = MAX_LISTED) {
    this.max = max;
  }
  /** Whether the next problem is still listed (otherwise only counted). */
  get listing(): boolean {
    return this.problems.length < this.max;
  }
  /** Lists the problem `make` builds, or counts it once `max` are listed. */
  add(make: () => Problem): void {
    if (this.listing) this.problems.push(make());
    else this.more++;
  }
  /** Counts one more problem without building it (call only when `listing` is false). */
  count(): void {
    this.more++;
  }
  /** The listed problems, plus one at `path` saying how many more `what` were found, when some were only counted. */
  finish(path: string, what: string): Problem[] {
    if (this.more === 0) return this.problems;
    return [...this.problems, problem(path, `${this.more} more ${what} (only the first ${this.max} are listed; the others have the same kind of problem): fix them all.`)];
  }
}

/** Why a value holding an unresolved `${…}` placeholder cannot be judged (it is substituted at deploy time). */
export function placeholderReason(what: string, value: string): string {
  return `${what} "${value.length > 120 ? `${value.slice(0, 117)}...` : value}" contains the unresolved placeholder ${firstPlaceholder(value)} (substituted at deploy time); pass --var or --vars-file to check it`;
}

/**
 * The not-checked problem for a value still holding an unresolved `${…}` placeholder, or undefined when it holds
 * none: a GitOps source is judged after substitution, and judging `${RETENTION}` as written is a false finding.
 */
export function placeholderNotChecked(value: unknown, path: string, what: string): Problem | undefined {
  return hasPlaceholder(value) ? { path, message: placeholderReason(what, value), notChecked: true, cause: "placeholder" } : undefined;
}

/** Like placeholderNotChecked, for a whole number: `${DAYS}d` is wrong whatever is substituted, so it is judged. */
export function placeholderCountNotChecked(value: unknown, path: string, what: string): Problem | undefined {
  return hasPlaceholder(value) && /^[0-9]*$/.test(withoutPlaceholders(value).trim()) ? placeholderNotChecked(value, path, what) : undefined;
}

/**
 * Like placeholderNotChecked, for a value that must be one of `allowed` (an enum, a repo name): not checked when some
 * substitution gives an allowed value (`${STORAGE}`, `repo${N}`), undefined otherwise, so that what stays wrong
 * whatever is substituted (`${X}-s3`) is still judged.
 */
export function placeholderOneOfNotChecked(value: unknown, allowed: Iterable<string>, path: string, what: string): Problem | undefined {
  if (!hasPlaceholder(value)) return undefined;
  const matches = placeholderPattern(value);
  for (const a of allowed) if (matches(a)) return placeholderNotChecked(value, path, what);
  return undefined;
}

/**
 * Like placeholderNotChecked, for a value longer than `limit` as written: not checked when it holds a placeholder and
 * what is written around the placeholders fits (`${APP}-db` may become short enough), undefined otherwise (also when
 * the written text alone is too long, which stays wrong whatever is substituted).
 */
export function placeholderLengthNotChecked(value: unknown, limit: number, path: string, what: string): Problem | undefined {
  return hasPlaceholder(value) && value.length > limit && withoutPlaceholders(value).length <= limit ? placeholderNotChecked(value, path, what) : undefined;
}

/** The `what` of every not-checked answer about a schedule holding a placeholder (the same reason text in every rule). */
export const SCHEDULE_WHAT = "the schedule";

/** The not-checked problem for a schedule string still holding a placeholder, or undefined: every schedule rule's. */
export function placeholderScheduleNotChecked(value: unknown, path: string): Problem | undefined {
  return placeholderNotChecked(value, path, SCHEDULE_WHAT);
}

/** The problem to return when a rule needs an object of a kind that is not known here. */
export function notChecked(lookups: Lookups, kind: LookupKind, path: string): Problem {
  const why =
    lookups.unavailableReason?.(kind) ??
    `no ${kind} objects are known (pass them with --lookup, or validate against a live cluster)`;
  return { path, message: why, notChecked: true, cause: lookups.isDisabled?.(kind) ? "lookup-disabled" : "lookup-unavailable" };
}

/** What a lookup of one named object gave: found, known not to exist, or undecidable (with why). */
/** `cause` says why for machines (NotChecked.cause): a placeholder, an unknown kind, or several candidates. */
export type Lookup = { state: "found"; object: Resource } | { state: "missing" } | { state: "unknown"; reason: string; cause: NotCheckedCause };

/** The not-checked problem at `path` for a lookup that could not decide. */
export function lookupNotChecked(l: { reason: string; cause: NotCheckedCause }, path: string): Problem {
  return { path, message: l.reason, notChecked: true, cause: l.cause };
}

function kindUnknown(lookups: Lookups, kind: LookupKind): Lookup {
  const p = notChecked(lookups, kind, "");
  return { state: "unknown", reason: p.message, cause: p.cause ?? "lookup-unavailable" };
}

/** The object's own namespace, when it is a real one (not unset, not an unresolved placeholder). */
export function namespaceOf(r: Resource): string | undefined {
  const ns = r.metadata.namespace;
  return typeof ns === "string" && ns !== "" && !hasPlaceholder(ns) ? ns : undefined;
}

function sameName(o: Resource, name: string): boolean {
  return o.metadata.name === name;
}

/**
 * Looks up a named object the way manifests in a GitOps repository refer to each other:
 * - a name with an unresolved `${…}` placeholder matches nothing: the lookup is undecidable, never "missing";
 * - a namespace that is unset (or a placeholder) is filled in at deploy time (kustomize, Flux, Argo CD), so an unset
 *   namespace on either side matches the other side; several candidates in different namespaces are undecidable;
 * - an unknown kind is undecidable (the existing not-checked reason).
 */
export function findObject(lookups: Lookups, kind: LookupKind, namespace: string | undefined, name: string): Lookup {
  if (hasPlaceholder(name)) {
    return { state: "unknown", reason: placeholderReason("the name", name), cause: "placeholder" };
  }
  if (!lookups.isKnown(kind)) return kindUnknown(lookups, kind);
  const ns = namespace !== undefined && namespace !== "" && !hasPlaceholder(namespace) ? namespace : undefined;
  // generic-kinds.ts, not the whole table in lookups/kinds.ts: that one reads the operator registry, and operator
  // modules import this one.
  if (isClusterScopedKind(kind)) {
    const o = lookups.get(kind, undefined, name);
    return o ? { state: "found", object: o } : o === null ? missingUnlessPlaceholder(lookups, kind, undefined, name) : kindUnknown(lookups, kind);
  }
  if (ns !== undefined) {
    const o = lookups.get(kind, ns, name);
    if (o) return { state: "found", object: o };
    if (o === undefined) return kindUnknown(lookups, kind);
  }
  // Objects whose namespace is not decided yet (none written, or a placeholder) may land in any namespace.
  // Objects of the kind by name, built once per state of the kind (a miss must not scan every object).
  const byName = indexOf(lookups, [kind], "by-name", () => {
    const m = new Map<string, Resource[]>();
    for (const o of lookups.list(kind) ?? []) {
      const n = o.metadata.name;
      if (typeof n !== "string") continue;
      let bucket = m.get(n);
      if (!bucket) m.set(n, (bucket = []));
      bucket.push(o);
    }
    return m;
  });
  const candidates = (byName.get(name) ?? []).filter((o) => sameName(o, name) && (ns === undefined || namespaceOf(o) === undefined));
  if (candidates.length === 0) return missingUnlessPlaceholder(lookups, kind, ns, name);
  const spaces = new Set(candidates.map((o) => namespaceOf(o) ?? ""));
  if (spaces.size > 1) {
    const list = [...spaces].map((s) => s || "(none)").join(", ");
    return {
      state: "unknown",
      reason: `several ${kind} objects are named "${name}" (namespaces ${list}) and this object's namespace is not set; set it, or pass --namespace`,
      cause: "undecidable",
    };
  }
  return { state: "found", object: candidates[0]! };
}

/**
 * "missing", unless an object of the kind (that can be in namespace `ns`) has a name still holding a placeholder that
 * can become `name` (`${APP}-store` for orders-store): it may be the one, so the lookup is undecidable.
 */
function missingUnlessPlaceholder(lookups: Lookups, kind: LookupKind, ns: string | undefined, name: string): Lookup {
  // Built once per state of the kind; usually empty.
  const unresolved = indexOf(lookups, [kind], "placeholder-names", () =>
    (lookups.list(kind) ?? []).flatMap((o) => (hasPlaceholder(o.metadata.name) ? [{ o, matches: placeholderPattern(o.metadata.name) }] : [])),
  );
  const clusterScoped = isClusterScopedKind(kind);
  for (const { o, matches } of unresolved) {
    if (!clusterScoped && ns !== undefined && namespaceOf(o) !== undefined && namespaceOf(o) !== ns) continue;
    if (matches(name)) {
      return { state: "unknown", reason: `no ${kind} is named "${name}", but ${placeholderReason(`the ${kind} name`, o.metadata.name as string)}`, cause: "placeholder" };
    }
  }
  return { state: "missing" };
}

/**
 * A value derived from the objects of `kinds`, built once per state of those kinds when the lookups can memoise
 * (the CLI inventory, the webhook's informers), else built now. `build` must read only those kinds.
 */
export function indexOf<T>(lookups: Lookups, kinds: readonly LookupKind[], key: string, build: () => T): T {
  return lookups.memo ? lookups.memo(kinds, key, build) : build();
}
