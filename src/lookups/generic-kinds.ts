// The lookup kinds that are no operator's own (CSI snapshot classes, storage classes, namespaces, Secrets). Every
// cluster-scoped lookup kind is one of these (lookups/kinds.ts refuses a cluster-scoped operator kind), so code that
// operator modules import (rules/util.ts) can tell the scope of any kind from this file alone, without the registry.
import type { LookupKind } from "../engine/types.ts";
import type { LookupKindSpec } from "../operators/types.ts";

/** Kinds several operators' rules look up. */
export const GENERIC_LOOKUP_KINDS: readonly LookupKindSpec[] = [
  {
    name: "VolumeSnapshotClass",
    group: "snapshot.storage.k8s.io",
    versions: ["v1"],
    kind: "VolumeSnapshotClass",
    plural: "volumesnapshotclasses",
    namespaced: false,
    cached: { fields: ["driver"], labels: false, annotations: true },
    readBy: "snapshot-class-required/-exists, wal-snapshot-class (driver, is-default-class annotation)",
  },
  {
    name: "StorageClass",
    group: "storage.k8s.io",
    versions: ["v1"],
    kind: "StorageClass",
    plural: "storageclasses",
    namespaced: false,
    cached: { fields: ["provisioner"], labels: false, annotations: true },
    readBy: "storage drivers of volumes (provisioner); is-default-class annotations",
  },
  {
    name: "Namespace",
    group: "",
    versions: ["v1"],
    kind: "Namespace",
    plural: "namespaces",
    namespaced: false,
    cached: { fields: [], labels: true, annotations: false },
    readBy: "the policy's namespaceSelector (metadata-only)",
  },
  {
    // Names only: see secretName() in inventory.ts.
    name: "Secret",
    group: "",
    versions: ["v1"],
    kind: "Secret",
    plural: "secrets",
    namespaced: true,
    cached: { fields: [], labels: false, annotations: false },
    readBy: "credentials-exist rules: existence by name (metadata-only)",
  },
];


const CLUSTER_SCOPED: ReadonlySet<LookupKind> = new Set(GENERIC_LOOKUP_KINDS.filter((s) => !s.namespaced).map((s) => s.name));

/** Whether the kind is cluster-scoped (only generic kinds can be). */
export function isClusterScopedKind(kind: LookupKind): boolean {
  return CLUSTER_SCOPED.has(kind);
}
