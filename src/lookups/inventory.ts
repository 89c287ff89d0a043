// Offline lookups: the objects among the validated inputs and the --lookup paths (inventory, not validated).
import type { LookupKind, Lookups, Resource } from "../engine/types.ts";
import { isKubernetesObject } from "../engine/resource.ts";
import { DISABLED_REASON, apiVersionsOf, isNamespacedKind, lookupKindSpecs } from "./kinds.ts";

/**
 * What a lookup keeps of a Secret: apiVersion, kind, name and namespace. `data`, `stringData`, annotations (a
 * last-applied-configuration annotation holds the whole manifest, data included) and everything else are dropped
 * before the object is stored, so no rule, message or log can ever see a Secret's contents.
 */
export function secretName(obj: { metadata?: unknown }): Resource {
  const meta = (obj.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const metadata: Resource["metadata"] = {};
  if (typeof meta.name === "string") metadata.name = meta.name;
  if (typeof meta.namespace === "string") metadata.namespace = meta.namespace;
  return { apiVersion: "v1", kind: "Secret", metadata };
}

/** kind -> apiVersion -> lookup kind, the first spec in table order winning (the table is fixed once built). */
let byKindAndVersion: Map<unknown, Map<string, LookupKind>> | undefined;

export function lookupKindOf(obj: { apiVersion?: unknown; kind?: unknown }): LookupKind | undefined {
  if (byKindAndVersion === undefined) {
    byKindAndVersion = new Map();
    for (const spec of lookupKindSpecs()) {
      let versions = byKindAndVersion.get(spec.kind);
      if (!versions) byKindAndVersion.set(spec.kind, (versions = new Map()));
      for (const v of apiVersionsOf(spec)) if (!versions.has(v)) versions.set(v, spec.name);
    }
  }
  return byKindAndVersion.get(obj.kind)?.get(String(obj.apiVersion));
}

/** A missing namespace is kept as "": objects applied together without one land in the same namespace. */
function nsKey(kind: LookupKind, namespace: string | undefined): string {
  return isNamespacedKind(kind) ? (namespace ?? "") : "";
}

/** Memoised derived values, each valid while the versions of its kinds are the ones it was built at. */
export class MemoTable {
  private readonly entries = new Map<string, { stamp: string; value: unknown }>();

  get<T>(stamp: string, key: string, build: () => T): T {
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp) return hit.value as T;
    const value = build();
    this.entries.set(key, { stamp, value });
    return value;
  }
}

export class InventoryLookups implements Lookups {
  private readonly versions = new Map<LookupKind, number>();
  /**
   * Memoised values by kinds and key, each valid while the versions of its kinds are the ones it was built at
   * (`stamp`); `adds` is the count of objects taken when that was last confirmed.
   */
  private readonly memos = new Map<string, Map<string, { stamp: string; adds: number; value: unknown }>>();
  /** `list` answers per kind, valid while the kind's version is `version`. */
  private readonly lists = new Map<LookupKind, { version: number; all: Resource[] | undefined; byNamespace: Map<string, Resource[]> }>();
  /** Every object taken so far (any kind): a memo confirmed at this count is still valid. */
  private adds = 0;
  private readonly byKind = new Map<LookupKind, Map<string, Map<string, Resource>>>();
  private readonly forcedKnown = new Set<LookupKind>();
  private readonly disabled = new Set<LookupKind>();

  /**
   * `known`: kinds that count as known even with no object of them (a live cluster listed them).
   * `disabled`: kinds switched off on purpose; their objects are not taken and they are never known.
   */
  constructor(objects: Iterable<unknown> = [], options: { known?: Iterable<LookupKind>; disabled?: Iterable<LookupKind> } = {}) {
    for (const k of options.disabled ?? []) this.disabled.add(k);
    for (const k of options.known ?? []) if (!this.disabled.has(k)) this.forcedKnown.add(k);
    for (const o of objects) this.add(o);
  }

  /** Adds an object when it is of a lookup kind; returns whether it was taken. */
  add(obj: unknown): boolean {
    if (!isKubernetesObject(obj)) return false;
    const kind = lookupKindOf(obj);
    if (!kind || this.disabled.has(kind)) return false;
    const meta = (obj.metadata ?? {}) as { name?: unknown; namespace?: unknown };
    if (typeof meta.name !== "string") return false;
    const namespace = typeof meta.namespace === "string" ? meta.namespace : undefined;
    let spaces = this.byKind.get(kind);
    if (!spaces) this.byKind.set(kind, (spaces = new Map()));
    const key = nsKey(kind, namespace);
    let names = spaces.get(key);
    if (!names) spaces.set(key, (names = new Map()));
    names.set(meta.name, kind === "Secret" ? secretName(obj) : obj);
    this.versions.set(kind, (this.versions.get(kind) ?? 0) + 1);
    this.adds++;
    return true;
  }

  isKnown(kind: LookupKind): boolean {
    return this.forcedKnown.has(kind) || this.byKind.has(kind);
  }

  isDisabled(kind: LookupKind): boolean {
    return this.disabled.has(kind);
  }

  unavailableReason(kind: LookupKind): string | undefined {
    return this.disabled.has(kind) ? (DISABLED_REASON[kind] ?? `${kind} lookups are off`) : undefined;
  }

  get(kind: LookupKind, namespace: string | undefined, name: string): Resource | null | undefined {
    if (!this.isKnown(kind)) return undefined;
    return this.byKind.get(kind)?.get(nsKey(kind, namespace))?.get(name) ?? null;
  }

  memo<T>(kinds: readonly LookupKind[], key: string, build: () => T): T {
    // Two levels (kinds, then key) of constant strings: no key string is built per call.
    const group = kinds.length === 1 ? kinds[0]! : kinds.join(",");
    let byKey = this.memos.get(group);
    if (!byKey) this.memos.set(group, (byKey = new Map()));
    const hit = byKey.get(key);
    // Nothing was added since this entry was last confirmed: no kind's version can have moved.
    if (hit !== undefined && hit.adds === this.adds) return hit.value as T;
    let stamp = "";
    for (let i = 0; i < kinds.length; i++) {
      const k = kinds[i]!;
      stamp += `${i === 0 ? "" : ","}${this.isKnown(k) ? 1 : 0}:${this.versions.get(k) ?? 0}`;
    }
    if (hit !== undefined && hit.stamp === stamp) {
      hit.adds = this.adds;
      return hit.value as T;
    }
    const value = build();
    byKey.set(key, { stamp, adds: this.adds, value });
    return value;
  }

  /**
   * The objects of a kind (in one namespace, or all), in the order they were added. Built once per version of the
   * kind and shared between calls, so the array is frozen: a caller that wants to change it copies it.
   */
  list(kind: LookupKind, namespace?: string): Resource[] | undefined {
    if (!this.isKnown(kind)) return undefined;
    const spaces = this.byKind.get(kind);
    if (!spaces) return [];
    const version = this.versions.get(kind) ?? 0;
    let lists = this.lists.get(kind);
    if (!lists || lists.version !== version) this.lists.set(kind, (lists = { version, all: undefined, byNamespace: new Map() }));
    const frozen = (objects: Resource[]): Resource[] => Object.freeze(objects) as Resource[];
    if (!isNamespacedKind(kind) || namespace === undefined) {
      lists.all ??= frozen(isNamespacedKind(kind) ? [...spaces.values()].flatMap((m) => [...m.values()]) : [...(spaces.get("")?.values() ?? [])]);
      return lists.all;
    }
    let inNamespace = lists.byNamespace.get(namespace);
    if (!inNamespace) lists.byNamespace.set(namespace, (inNamespace = frozen([...(spaces.get(namespace)?.values() ?? [])])));
    return inNamespace;
  }
}
