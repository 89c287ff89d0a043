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

export function lookupKindOf(obj: { apiVersion?: unknown; kind?: unknown }): LookupKind | undefined {
  for (const spec of lookupKindSpecs()) {
    if (spec.kind === obj.kind && apiVersionsOf(spec).includes(String(obj.apiVersion))) return spec.name;
  }
  return undefined;
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
  private readonly memos = new MemoTable();
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
    const stamp = kinds.map((k) => `${this.isKnown(k) ? 1 : 0}:${this.versions.get(k) ?? 0}`).join(",");
    return this.memos.get(stamp, `${kinds.join(",")}\u0000${key}`, build);
  }

  list(kind: LookupKind, namespace?: string): Resource[] | undefined {
    if (!this.isKnown(kind)) return undefined;
    const spaces = this.byKind.get(kind);
    if (!spaces) return [];
    if (!isNamespacedKind(kind)) return [...(spaces.get("")?.values() ?? [])];
    if (namespace === undefined) return [...spaces.values()].flatMap((m) => [...m.values()]);
    return [...(spaces.get(namespace)?.values() ?? [])];
  }
}
