// Real informers from @kubernetes/client-node. Imported only by `serve` when a cluster is used.
import type { LookupKind, Resource } from "../engine/types.ts";
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
  Secret: { group: "", version: "v1", plural: "secrets" },
  CpoCluster: { group: "cpo.opensource.cybertec.at", version: "v1", plural: "postgresqls" },
};

/** Kinds without an informer unless switched on: Secrets need list/watch on secrets (deploy/overlays/secret-lookups). */
export const OPT_IN_KINDS: readonly LookupKind[] = ["Secret"];

/**
 * The API server's metadata-only representation (what client-go's metadata informers ask for): the list and the
 * watch answer with PartialObjectMetadata, so a Secret's data never leaves the API server.
 */
export const PARTIAL_METADATA_LIST_ACCEPT = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
export const PARTIAL_METADATA_ACCEPT = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";

/**
 * What the Secret cache keeps of an object: its identity and the resourceVersion the informer needs, nothing else.
 * Applied to every listed and watched object, so even an API server that ignored the Accept header could not put
 * a Secret's data into the cache.
 */
export function secretMetadata(obj: unknown): Resource {
  const meta = ((obj as { metadata?: unknown } | null)?.metadata ?? {}) as Record<string, unknown>;
  const metadata: Resource["metadata"] = {};
  for (const key of ["name", "namespace", "uid", "resourceVersion"]) if (typeof meta[key] === "string") metadata[key] = meta[key];
  return { apiVersion: "v1", kind: "Secret", metadata };
}

/** Client-node middleware that sets the Accept header (the generated clients have no parameter for it). */
export function acceptHeader(value: string) {
  const settled = <T>(v: T) => ({ toPromise: () => Promise.resolve(v) });
  return {
    middleware: [
      {
        pre: (ctx: { setHeaderParam(k: string, v: string): void }) => {
          ctx.setHeaderParam("Accept", value);
          return settled(ctx);
        },
        post: <T>(res: T) => settled(res),
      },
    ],
    middlewareMergeStrategy: "append" as const,
  };
}

/** Secrets by name only: a metadata-only list + watch (PartialObjectMetadata), every object stripped to its name. */
export function secretNamesInformer(conn: ClusterConnection): InformerLike {
  const { kc, k8s } = conn;
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const list = async () => {
    const res = (await core.listSecretForAllNamespaces({}, acceptHeader(PARTIAL_METADATA_LIST_ACCEPT) as never)) as unknown as {
      metadata?: unknown;
      items?: unknown[];
    };
    return { metadata: res.metadata, items: (res.items ?? []).map(secretMetadata) };
  };
  // client-node's Watch takes its headers from the KubeConfig's authentication step: this view of the config adds
  // the Accept header there, for the watch requests only.
  const watchConfig = {
    getCurrentCluster: () => kc.getCurrentCluster(),
    applySecurityAuthentication: async (ctx: { setHeaderParam(k: string, v: string): void }) => {
      await kc.applySecurityAuthentication(ctx as never);
      ctx.setHeaderParam("Accept", PARTIAL_METADATA_ACCEPT);
    },
  };
  const watch = new k8s.Watch(watchConfig as unknown as import("@kubernetes/client-node").KubeConfig);
  const stripping = {
    watch: (path: string, query: Record<string, unknown>, callback: (phase: string, obj: unknown, raw?: unknown) => void, done: (err: unknown) => void) =>
      // ERROR events carry a Status (code 410 and the like), not a Secret.
      watch.watch(path, query as never, (phase: string, obj: unknown) => callback(phase, phase === "ERROR" ? obj : secretMetadata(obj)), done),
  };
  return new k8s.ListWatch("/api/v1/secrets", stripping as never, list as never, false) as unknown as InformerLike;
}

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

export interface LiveLookupsOptions extends WatchedKindOptions {
  /** Watch Secrets (names only). Off by default: it needs list/watch on secrets cluster-wide. */
  secrets?: boolean;
}

export function liveLookups(conn: ClusterConnection, options: LiveLookupsOptions = {}): LiveLookups {
  const { secrets, ...watchOptions } = options;
  const kinds = new Map<LookupKind, WatchedKind>();
  const disabled: LookupKind[] = [];
  for (const [kind, gvr] of Object.entries(LOOKUP_GVR) as [LookupKind, Gvr][]) {
    if (kind === "Secret") {
      if (secrets) kinds.set(kind, new WatchedKind(kind, secretNamesInformer(conn), watchOptions));
      else disabled.push(kind);
      continue;
    }
    kinds.set(kind, new WatchedKind(kind, informerFor(conn, gvr), watchOptions));
  }
  return new LiveLookups(kinds, { disabled });
}
