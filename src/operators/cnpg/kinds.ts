// The kinds CloudNativePG (and the barman-cloud plugin, and the CSI snapshot classes its Clusters name) covers.
import type { CoveredKind, LookupKindSpec } from "../types.ts";

declare module "../../engine/types.ts" {
  interface ResourceTypes {
    "postgresql.cnpg.io/v1/Cluster": true;
    "postgresql.cnpg.io/v1/Backup": true;
    "postgresql.cnpg.io/v1/ScheduledBackup": true;
    "barmancloud.cnpg.io/v1/ObjectStore": true;
    "snapshot.storage.k8s.io/v1/VolumeSnapshotClass": true;
  }
  interface LookupKinds {
    ObjectStore: true;
    Cluster: true;
    ScheduledBackup: true;
  }
}

const cnpg = (kind: string, plural: string): CoveredKind => ({
  group: "postgresql.cnpg.io",
  versions: ["v1"],
  kind,
  plural,
  scope: "Namespaced",
  admission: true,
  specIsObject: true,
});

export const kinds: readonly CoveredKind[] = [
  cnpg("Cluster", "clusters"),
  cnpg("Backup", "backups"),
  { ...cnpg("ScheduledBackup", "scheduledbackups"), schedules: true },
  { group: "barmancloud.cnpg.io", versions: ["v1"], kind: "ObjectStore", plural: "objectstores", scope: "Namespaced", admission: true, specIsObject: true },
  // Judged as manifests (the CLI); the webhook does not intercept classes, which are cluster-scoped and not CNPG's.
  {
    group: "snapshot.storage.k8s.io",
    versions: ["v1"],
    kind: "VolumeSnapshotClass",
    plural: "volumesnapshotclasses",
    scope: "Cluster",
    admission: false,
    specIsObject: false,
  },
];

export const lookupKinds: readonly LookupKindSpec[] = [
  {
    name: "ObjectStore",
    group: "barmancloud.cnpg.io",
    versions: ["v1"],
    kind: "ObjectStore",
    plural: "objectstores",
    namespaced: true,
    cached: { fields: ["spec"], labels: false, annotations: false },
    readBy: "object-store-exists, archive-destination-unique, retention-required, the cnpg defaults (spec.configuration, spec.retentionPolicy)",
  },
  {
    name: "Cluster",
    group: "postgresql.cnpg.io",
    versions: ["v1"],
    kind: "Cluster",
    plural: "clusters",
    namespaced: true,
    cached: { fields: ["spec"], labels: false, annotations: true },
    readBy:
      "cnpg rules through operators/cnpg/model.ts (spec.backup, plugins, externalClusters, storage, walStorage, replica, postgresql, ...); annotation cnpg.io/skipWalArchiving",
  },
  {
    name: "ScheduledBackup",
    group: "postgresql.cnpg.io",
    versions: ["v1"],
    kind: "ScheduledBackup",
    plural: "scheduledbackups",
    namespaced: true,
    cached: { fields: ["spec"], labels: false, annotations: false },
    readBy: "cnpg/model.ts scheduled backups by cluster (cluster, method, ...)",
  },
];
