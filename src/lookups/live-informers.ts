// Real informers from @kubernetes/client-node. Imported only by `serve` when a cluster is used.
import type { LookupKind } from "../engine/types.ts";
import { LiveLookups, WatchedKind, type InformerLike, type WatchedKindOptions } from "./live.ts";

interface Gvr {
  group: string;
  version: string;
  plural: string;
}

export const LOOKUP_GVR: Record<LookupKind, Gvr> = {
  VolumeSnapshotClass: { group: "snapshot.storage.k8s.io", version: "v1", plural: "volumesnapshotclasses" },
  StorageClass: { group: "storage.k8s.io", version: "v1", plural: "storageclasses" },
  ObjectStore: { group: "barmancloud.cnpg.io", version: "v1", plural: "objectstores" },
  Cluster: { group: "postgresql.cnpg.io", version: "v1", plural: "clusters" },
  ScheduledBackup: { group: "postgresql.cnpg.io", version: "v1", plural: "scheduledbackups" },
  Namespace: { group: "", version: "v1", plural: "namespaces" },
};

export const BACKUP_POLICY_GVR: Gvr = { group: "pgbackupguard.io", version: "v1alpha1", plural: "backuppolicies" };

export interface ClusterConnection {
  kc: import("@kubernetes/client-node").KubeConfig;
  k8s: typeof import("@kubernetes/client-node");
}

/** Loads the kubeconfig: the given file, else in-cluster, else the default (~/.kube/config). */
export async function connect(kubeconfig?: string): Promise<ClusterConnection> {
  const k8s = await import("@kubernetes/client-node");
  const kc = new k8s.KubeConfig();
  if (kubeconfig) kc.loadFromFile(kubeconfig);
  else if (process.env.KUBERNETES_SERVICE_HOST) kc.loadFromCluster();
  else kc.loadFromDefault();
  return { kc, k8s };
}

/** An informer over every object of a group/version/resource, cluster-wide (list + watch, read-only). */
export function informerFor(conn: ClusterConnection, gvr: Gvr): InformerLike {
  const { kc, k8s } = conn;
  const path = gvr.group === "" ? `/api/${gvr.version}/${gvr.plural}` : `/apis/${gvr.group}/${gvr.version}/${gvr.plural}`;
  let list: () => Promise<any>;
  if (gvr.group === "" && gvr.plural === "namespaces") {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    list = () => core.listNamespace();
  } else {
    // Works for built-in groups too: it is a plain GET /apis/<group>/<version>/<plural>.
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    list = () => custom.listClusterCustomObject({ group: gvr.group, version: gvr.version, plural: gvr.plural });
  }
  return k8s.makeInformer(kc, path, list) as unknown as InformerLike;
}

export function liveLookups(conn: ClusterConnection, options: WatchedKindOptions = {}): LiveLookups {
  const kinds = new Map<LookupKind, WatchedKind>();
  for (const [kind, gvr] of Object.entries(LOOKUP_GVR) as [LookupKind, Gvr][]) {
    kinds.set(kind, new WatchedKind(kind, informerFor(conn, gvr), options));
  }
  return new LiveLookups(kinds);
}
