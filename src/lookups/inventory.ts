// Offline lookups: the objects among the validated inputs and the --lookup paths (inventory, not validated).
import type { LookupKind, Lookups, Resource } from "../engine/types.ts";
import { isKubernetesObject } from "../engine/resource.ts";

/** apiVersion/kind of each lookup kind; `namespaced` decides whether the namespace is part of the key. */
export const LOOKUP_KINDS: Record<LookupKind, { apiVersions: string[]; kind: string; namespaced: boolean }> = {
  VolumeSnapshotClass: { apiVersions: ["snapshot.storage.k8s.io/v1"], kind: "VolumeSnapshotClass", namespaced: false },
  StorageClass: { apiVersions: ["storage.k8s.io/v1"], kind: "StorageClass", namespaced: false },
  ObjectStore: { apiVersions: ["barmancloud.cnpg.io/v1"], kind: "ObjectStore", namespaced: true },
  Cluster: { apiVersions: ["postgresql.cnpg.io/v1"], kind: "Cluster", namespaced: true },
  ScheduledBackup: { apiVersions: ["postgresql.cnpg.io/v1"], kind: "ScheduledBackup", namespaced: true },
  Namespace: { apiVersions: ["v1"], kind: "Namespace", namespaced: false },
};

export function lookupKindOf(obj: { apiVersion?: unknown; kind?: unknown }): LookupKind | undefined {
  for (const [name, spec] of Object.entries(LOOKUP_KINDS) as [LookupKind, (typeof LOOKUP_KINDS)[LookupKind]][]) {
    if (spec.kind === obj.kind && spec.apiVersions.includes(String(obj.apiVersion))) return name;
  }
  return undefined;
}

/** A missing namespace is kept as "": objects applied together without one land in the same namespace. */
function nsKey(kind: LookupKind, namespace: string | undefined): string {
  return LOOKUP_KINDS[kind].namespaced ? (namespace ?? "") : "";
}

export class InventoryLookups implements Lookups {
  private readonly byKind = new Map<LookupKind, Map<string, Map<string, Resource>>>();
  private readonly forcedKnown = new Set<LookupKind>();

  constructor(objects: Iterable<unknown> = [], options: { known?: Iterable<LookupKind> } = {}) {
    for (const k of options.known ?? []) this.forcedKnown.add(k);
    for (const o of objects) this.add(o);
  }

  /** Adds an object when it is of a lookup kind; returns whether it was taken. */
  add(obj: unknown): boolean {
    if (!isKubernetesObject(obj)) return false;
    const kind = lookupKindOf(obj);
    if (!kind) return false;
    const meta = (obj.metadata ?? {}) as { name?: unknown; namespace?: unknown };
    if (typeof meta.name !== "string") return false;
    const namespace = typeof meta.namespace === "string" ? meta.namespace : undefined;
    let spaces = this.byKind.get(kind);
    if (!spaces) this.byKind.set(kind, (spaces = new Map()));
    const key = nsKey(kind, namespace);
    let names = spaces.get(key);
    if (!names) spaces.set(key, (names = new Map()));
    names.set(meta.name, obj);
    return true;
  }

  isKnown(kind: LookupKind): boolean {
    return this.forcedKnown.has(kind) || this.byKind.has(kind);
  }

  get(kind: LookupKind, namespace: string | undefined, name: string): Resource | null | undefined {
    if (!this.isKnown(kind)) return undefined;
    return this.byKind.get(kind)?.get(nsKey(kind, namespace))?.get(name) ?? null;
  }

  list(kind: LookupKind, namespace?: string): Resource[] | undefined {
    if (!this.isKnown(kind)) return undefined;
    const spaces = this.byKind.get(kind);
    if (!spaces) return [];
    if (!LOOKUP_KINDS[kind].namespaced) return [...(spaces.get("")?.values() ?? [])];
    if (namespace === undefined) return [...spaces.values()].flatMap((m) => [...m.values()]);
    return [...(spaces.get(namespace)?.values() ?? [])];
  }
}
