// Real informers from @kubernetes/client-node. Imported only by `serve` when a cluster is used.
//
// Memory at cluster scale (issue 13): every object is trimmed to what the rules read (the `cached` column of lookups/kinds.ts) as it
// enters a cache, from the list and from the watch alike; Namespaces and Secrets are listed and watched as
// PartialObjectMetadata (no spec, no data); every list is fetched in pages of LIST_PAGE_SIZE (limit/continue), each
// page trimmed before the next is asked for, so neither the first sync nor a re-list after a lost watch holds a
// whole unpaged list response.
import type { LookupKind, Resource } from "../engine/types.ts";
import { isObject } from "../util/object.ts";
import { apiVersionsOf, lookupKindSpec, lookupKindSpecs } from "./kinds.ts";
import { LiveLookups, WatchedKind, type InformerLike, type WatchedKindOptions } from "./live.ts";

interface Gvr {
  group: string;
  version: string;
  plural: string;
}

/** Where the informer of a kind lists and watches: its first version (lookups/kinds.ts). */
export function gvrOf(kind: LookupKind): Gvr {
  const spec = lookupKindSpec(kind);
  return { group: spec.group, version: spec.versions[0]!, plural: spec.plural };
}

/**
 * What the webhook's lookup caches keep of each kind is the `cached` entry of its row in lookups/kinds.ts: exactly
 * what the rules and defaults read of a looked-up object (each row says who reads it). Every kind keeps apiVersion
 * and kind (those of the watched resource), metadata.name, metadata.namespace and metadata.resourceVersion
 * (client-node's informer compares resourceVersions and resumes its watch from them). Nothing keeps
 * metadata.managedFields, labels or annotations that no rule reads, ownerReferences, finalizers, timestamps or
 * status: the only rules that read status are the audit-only ones (meta.auditOnly, never run by the webhook), and
 * `pg-backup-guard audit` lists the cluster itself (src/cli/kube-lookups.ts), not through these caches.
 *
 * `spec` is kept whole where rules read it: they read it across many sub-fields through shared helpers, and a field
 * wrongly dropped would turn a correct manifest into a finding. The bulk of a stored object is elsewhere anyway
 * (managedFields alone are 36-42 % of a Cluster; status and last-applied annotations most of the rest).
 */
/** Annotations never kept: `kubectl apply`'s copy of the whole last-applied manifest. */
export const DROPPED_ANNOTATIONS: readonly string[] = ["kubectl.kubernetes.io/last-applied-configuration"];

/** `annotations` without DROPPED_ANNOTATIONS; undefined when nothing is left. */
export function keptAnnotations(annotations: Record<string, unknown>): Record<string, unknown> | undefined {
  const kept: Record<string, unknown> = {};
  let n = 0;
  for (const [k, v] of Object.entries(annotations)) {
    if (DROPPED_ANNOTATIONS.includes(k)) continue;
    kept[k] = v;
    n++;
  }
  return n > 0 ? kept : undefined;
}

/** The object as a kind's cache keeps it (its `cached` entry in lookups/kinds.ts); tolerates anything (a non-object becomes an empty shell). */
export function trimForCache(kind: LookupKind, obj: unknown): Resource {
  if (kind === "Secret") return secretMetadata(obj);
  const o = isObject(obj) ? obj : {};
  const meta = isObject(o.metadata) ? o.metadata : {};
  const spec = lookupKindSpec(kind);
  const keep = spec.cached;
  const metadata: Resource["metadata"] = {};
  for (const key of ["name", "namespace", "resourceVersion"]) if (typeof meta[key] === "string") metadata[key] = meta[key];
  // The API server only stores string values here; they are passed on as received, as they were before trimming.
  if (keep.labels && isObject(meta.labels)) metadata.labels = meta.labels as Record<string, string>;
  if (keep.annotations && isObject(meta.annotations)) {
    const annotations = keptAnnotations(meta.annotations);
    if (annotations) metadata.annotations = annotations as Record<string, string>;
  }
  // The resource's own apiVersion/kind: metadata-only answers say meta.k8s.io/v1 PartialObjectMetadata.
  const out: Resource = { apiVersion: apiVersionsOf(spec)[0]!, kind: spec.kind, metadata };
  for (const field of keep.fields) if (field in o && o[field] !== undefined) (out as Record<string, unknown>)[field] = o[field];
  return out;
}

/**
 * Objects per list request. client-go's pager (k8s.io/client-go/tools/pager) asks for 500 too: small enough that a
 * page of 5,000-object kinds is a few MB at most, large enough that a list is few round trips.
 */
export const LIST_PAGE_SIZE = 500;

/** One page of a list answer, as the generated clients return it (V1ListMeta names it `_continue`) or raw. */
export interface ListPage {
  metadata?: { resourceVersion?: string; continue?: string; _continue?: string } | undefined;
  items?: unknown[] | undefined;
}

function statusOf(err: unknown): number | undefined {
  const e = err as { code?: unknown; statusCode?: unknown } | undefined;
  for (const v of [e?.code, e?.statusCode]) if (typeof v === "number") return v;
  return undefined;
}

/**
 * A whole list, page by page (limit/continue), each item trimmed as it arrives: only one page's raw answer is
 * alive at a time. All pages come from one snapshot, whose resourceVersion the watch then starts from. An expired
 * continue token (410 Gone, the snapshot compacted away between pages) starts the list over, twice at most.
 */
export async function listAllPages(
  fetchPage: (query: { limit: number; _continue?: string }) => Promise<ListPage>,
  trim: (obj: unknown) => unknown,
  pageSize: number = LIST_PAGE_SIZE,
): Promise<{ metadata: { resourceVersion: string }; items: unknown[] }> {
  for (let attempt = 1; ; attempt++) {
    const items: unknown[] = [];
    let resourceVersion = "";
    let cont: string | undefined;
    try {
      for (;;) {
        const page = await fetchPage(cont === undefined ? { limit: pageSize } : { limit: pageSize, _continue: cont });
        for (const item of page.items ?? []) items.push(trim(item));
        const meta = page.metadata ?? {};
        if (typeof meta.resourceVersion === "string") resourceVersion = meta.resourceVersion;
        const next = meta._continue || meta.continue || undefined;
        if (next === undefined) break;
        if (next === cont) throw new Error(`the API server answered the same continue token twice (${next.slice(0, 40)})`);
        cont = next;
      }
    } catch (err) {
      if (cont !== undefined && statusOf(err) === 410 && attempt < 3) continue;
      throw err;
    }
    return { metadata: { resourceVersion }, items };
  }
}

type WatchCallback = (phase: string, obj: unknown, raw?: unknown) => void;
interface WatchLike {
  watch(path: string, query: Record<string, unknown>, callback: WatchCallback, done: (err: unknown) => void): Promise<unknown>;
}

/** A watch whose events carry trimmed objects (ERROR events carry a Status, code 410 and the like: passed as is). */
function trimmingWatch(watch: WatchLike, trim: (obj: unknown) => unknown): WatchLike {
  return {
    watch: (path, query, callback, done) => watch.watch(path, query, (phase, obj) => callback(phase, phase === "ERROR" ? obj : trim(obj)), done),
  };
}

/**
 * A Watch that asks for PartialObjectMetadata. client-node's Watch takes its headers from the KubeConfig's
 * authentication step: this view of the config adds the Accept header there, for the watch requests only.
 */
function metadataWatch(conn: ClusterConnection): WatchLike {
  const { kc, k8s } = conn;
  const watchConfig = {
    getCurrentCluster: () => kc.getCurrentCluster(),
    applySecurityAuthentication: async (ctx: { setHeaderParam(k: string, v: string): void }) => {
      await kc.applySecurityAuthentication(ctx as never);
      ctx.setHeaderParam("Accept", PARTIAL_METADATA_ACCEPT);
    },
  };
  return new k8s.Watch(watchConfig as unknown as import("@kubernetes/client-node").KubeConfig) as unknown as WatchLike;
}

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
export function secretNamesInformer(conn: ClusterConnection, pageSize: number = LIST_PAGE_SIZE): InformerLike {
  const { kc, k8s } = conn;
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const list = () =>
    listAllPages((q) => core.listSecretForAllNamespaces(q, acceptHeader(PARTIAL_METADATA_LIST_ACCEPT) as never) as unknown as Promise<ListPage>, secretMetadata, pageSize);
  return new k8s.ListWatch("/api/v1/secrets", trimmingWatch(metadataWatch(conn), secretMetadata) as never, list as never, false) as unknown as InformerLike;
}

/** Namespaces by name and labels only (all the rules read of them): metadata-only list + watch, paginated. */
export function namespaceLabelsInformer(conn: ClusterConnection, pageSize: number = LIST_PAGE_SIZE): InformerLike {
  const { kc, k8s } = conn;
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const trim = (o: unknown) => trimForCache("Namespace", o);
  const list = () => listAllPages((q) => core.listNamespace(q, acceptHeader(PARTIAL_METADATA_LIST_ACCEPT) as never) as unknown as Promise<ListPage>, trim, pageSize);
  return new k8s.ListWatch("/api/v1/namespaces", trimmingWatch(metadataWatch(conn), trim) as never, list as never, false) as unknown as InformerLike;
}

export const BACKUP_POLICY_GVR: Gvr = { group: "pgbackupguard.io", version: "v1alpha1", plural: "backuppolicies" };

export interface ClusterConnection {
  kc: import("@kubernetes/client-node").KubeConfig;
  k8s: typeof import("./kube-client.ts");
}

/** Loads the kubeconfig: the given file, else in-cluster, else the default (~/.kube/config). */
export async function connect(kubeconfig?: string): Promise<ClusterConnection> {
  const k8s = await import("./kube-client.ts");
  const kc = new k8s.KubeConfig();
  if (kubeconfig) kc.loadFromFile(kubeconfig);
  else if (process.env.KUBERNETES_SERVICE_HOST) kc.loadFromCluster();
  else kc.loadFromDefault();
  return { kc, k8s };
}

export interface InformerOptions {
  /** Applied to every listed and watched object before it is cached (default: kept as received). */
  trim?: (obj: unknown) => unknown;
  pageSize?: number;
}

/** An informer over every object of a group/version/resource, cluster-wide (paginated list + watch, read-only). */
export function informerFor(conn: ClusterConnection, gvr: Gvr, options: InformerOptions = {}): InformerLike {
  const { kc, k8s } = conn;
  const path = gvr.group === "" ? `/api/${gvr.version}/${gvr.plural}` : `/apis/${gvr.group}/${gvr.version}/${gvr.plural}`;
  const trim = options.trim ?? ((o: unknown) => o);
  // Core-group kinds (Namespace, Secret) have their own metadata-only informers above.
  if (gvr.group === "") throw new Error(`informerFor: ${gvr.plural} is in the core group; use its own informer`);
  // Works for built-in groups too: it is a plain GET /apis/<group>/<version>/<plural>.
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const list = () =>
    listAllPages(
      (q) => custom.listClusterCustomObject({ group: gvr.group, version: gvr.version, plural: gvr.plural, ...q }) as Promise<ListPage>,
      trim,
      options.pageSize ?? LIST_PAGE_SIZE,
    );
  const watch = new k8s.Watch(kc) as unknown as WatchLike;
  return new k8s.ListWatch(path, (options.trim ? trimmingWatch(watch, trim) : watch) as never, list as never, false) as unknown as InformerLike;
}

export interface LiveLookupsOptions extends WatchedKindOptions {
  /** Watch Secrets (names only). Off by default: it needs list/watch on secrets cluster-wide. */
  secrets?: boolean;
  /** Objects per list request (default LIST_PAGE_SIZE). */
  pageSize?: number;
}

export function liveLookups(conn: ClusterConnection, options: LiveLookupsOptions = {}): LiveLookups {
  const { secrets, pageSize, ...watchOptions } = options;
  const kinds = new Map<LookupKind, WatchedKind>();
  const disabled: LookupKind[] = [];
  for (const { name: kind } of lookupKindSpecs()) {
    const gvr = gvrOf(kind);
    if (kind === "Secret") {
      if (secrets) kinds.set(kind, new WatchedKind(kind, secretNamesInformer(conn, pageSize), watchOptions));
      else disabled.push(kind);
      continue;
    }
    const informer =
      kind === "Namespace" ? namespaceLabelsInformer(conn, pageSize) : informerFor(conn, gvr, { trim: (o) => trimForCache(kind, o), ...(pageSize ? { pageSize } : {}) });
    kinds.set(kind, new WatchedKind(kind, informer, watchOptions));
  }
  return new LiveLookups(kinds, { disabled });
}
