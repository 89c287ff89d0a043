// `validate --kubeconfig FILE`: list every lookup kind once from a live cluster into an inventory.
// @kubernetes/client-node is imported here lazily: the offline CLI must never pay for loading it.
import { requestOptions } from "../lookups/request-options.ts";
import type { LookupKind, Resource } from "../engine/types.ts";
import { InventoryLookups, secretName } from "../lookups/inventory.ts";
import { apiVersionsOf, lookupKindSpecs } from "../lookups/kinds.ts";
import { DROPPED_ANNOTATIONS, keptAnnotations } from "../lookups/live-informers.ts";
import { isObject } from "../util/object.ts";

/** Secrets are listed as metadata only (PartialObjectMetadataList): their data never leaves the API server. */
export const SECRET_LIST_ACCEPT = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";

export const KUBE_TIMEOUT_MS = 10_000;


/** Objects per list request (`limit`); the rest comes page by page through `continue`. */
export const PAGE_SIZE = 500;

/** A kind listed besides the lookup kinds (audit: Backups, BackupPolicies); its items get `apiVersion`/`kind`. */
export interface ExtraKind {
  group: string;
  version: string;
  plural: string;
  kind: string;
}

export interface KubeListOptions {
  /** `--context`: a context of the kubeconfig instead of its current one. */
  context?: string;
  pageSize?: number;
  /** More kinds to list; each answer lands in `extra` under its plural (absent when it may not be listed). */
  extra?: readonly ExtraKind[];
  /** Called after every page with the kind's plural and the objects listed so far (audit's progress line). */
  onPage?: (plural: string, listed: number) => void;
}

export type KubeLookupsOutcome =
  | { ok: true; lookups: InventoryLookups; notes: string[]; extra: Map<string, Resource[]>; server: string; context: string }
  | { ok: false; message: string };

function errorCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "number" ? code : undefined;
}

/** At most this many tries of one page when the API server says "later" (429, or 503 while it starts). */
export const MAX_TRIES = 6;
/** Longest wait between tries we accept from Retry-After (the overall timeout still bounds everything). */
const MAX_RETRY_AFTER_MS = 5000;

/** How long the API server asked us to wait (Retry-After seconds), or a short backoff; undefined: do not retry. */
export function retryDelayMs(err: unknown, attempt: number): number | undefined {
  const code = errorCode(err);
  if (code !== 429 && code !== 503) return undefined;
  const headers = (err as { headers?: Record<string, unknown> })?.headers ?? {};
  const raw = headers["retry-after"] ?? headers["Retry-After"];
  const seconds = typeof raw === "string" && /^\d{1,4}$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
  return Math.min(seconds !== undefined ? seconds * 1000 : 250 * 2 ** attempt, MAX_RETRY_AFTER_MS);
}

/** `call`, tried again after the server's Retry-After when it answers 429/503 (a starting or busy API server). */
async function withRetry<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const delay = attempt + 1 < MAX_TRIES ? retryDelayMs(err, attempt) : undefined;
      if (delay === undefined || signal.aborted) throw err;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay);
        signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
      });
      if (signal.aborted) throw err;
    }
  }
}

function describeError(err: unknown, server: string, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "AbortError" || e?.name === "TimeoutError" || /aborted/i.test(String(e?.message)))
    return `the API server at ${server} did not answer within ${timeoutMs / 1000}s`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return `cannot reach the API server at ${server}: ${e?.message ?? String(err)}${cause ? ` (${cause})` : ""}`;
}

/**
 * A listed object without what the API server and kubectl add to every object and no rule reads:
 * metadata.managedFields and the last-applied-configuration annotation (kubectl's copy of the whole manifest).
 * Dropped page by page as the lists arrive, so `audit` of a large cluster holds the objects it judges, not their
 * bookkeeping (a third or more of a listed object; bench/RESULTS.md "Webhook at cluster scale": audit). The
 * webhook's caches drop the same (src/lookups/live-informers.ts, trimForCache) and more.
 */
export function withoutBookkeeping(item: unknown): unknown {
  if (!isObject(item) || !isObject(item.metadata)) return item;
  const meta = item.metadata;
  const annotations = meta.annotations;
  const dropAnnotations = isObject(annotations) && DROPPED_ANNOTATIONS.some((k) => k in annotations);
  if (!("managedFields" in meta) && !dropAnnotations) return item;
  const metadata: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) {
    if (k === "managedFields") continue;
    if (k === "annotations" && dropAnnotations) {
      const kept = keptAnnotations(annotations);
      if (kept) metadata[k] = kept;
      continue;
    }
    metadata[k] = v;
  }
  return { ...item, metadata };
}

/**
 * Lists the lookup kinds from the cluster in `kubeconfigPath`. A kind whose CRD is not installed (404)
 * counts as known and empty; a kind we may not list (403) stays unknown, so its rules are "not checked".
 */
export async function kubeLookups(
  kubeconfigPath: string | undefined,
  timeoutMs = KUBE_TIMEOUT_MS,
  listOptions: KubeListOptions = {},
): Promise<KubeLookupsOutcome> {
  const k8s = await import("../lookups/kube-client.ts");
  const loaded = loadKubeConfig(k8s, kubeconfigPath, listOptions.context);
  if (!loaded.ok) return loaded;
  const { kc, cluster } = loaded;

  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const signal = AbortSignal.timeout(timeoutMs);
  // The signal bounds every request, connect included; Secrets are listed as metadata only.
  const options = requestOptions(signal);
  const secretOptions = requestOptions(signal, { Accept: SECRET_LIST_ACCEPT });

  const objects: Resource[] = [];
  const known: LookupKind[] = [];
  const notes: string[] = [];
  const extra = new Map<string, Resource[]>();
  /** Every page of one list: `limit` objects at a time, following `continue` until the server has no more. */
  const listAll = async (plural: string, page: (p: { limit: number; _continue?: string }) => Promise<unknown>): Promise<{ items?: unknown[] }> => {
    const items: unknown[] = [];
    let next: string | undefined;
    do {
      const args = { limit: listOptions.pageSize ?? PAGE_SIZE, ...(next ? { _continue: next } : {}) };
      const list = (await withRetry(() => page(args), signal)) as {
        items?: unknown[];
        metadata?: { continue?: unknown; _continue?: unknown };
      };
      if (Array.isArray(list?.items)) for (const item of list.items) items.push(withoutBookkeeping(item));
      const c = list?.metadata?.continue ?? list?.metadata?._continue;
      next = typeof c === "string" && c !== "" ? c : undefined;
      listOptions.onPage?.(plural, items.length);
    } while (next);
    return { items };
  };
  for (const x of listOptions.extra ?? []) {
    try {
      const list = await listAll(x.plural, (p) => custom.listClusterCustomObject({ group: x.group, version: x.version, plural: x.plural, ...p }, options as never));
      extra.set(x.plural, (list.items ?? []).map((item) => ({ ...(item as object), apiVersion: `${x.group}/${x.version}`, kind: x.kind }) as Resource));
    } catch (err) {
      const code = errorCode(err);
      if (code === 404) extra.set(x.plural, []);
      else if (code === 401 || code === 403) notes.push(`not allowed to list ${x.plural} (HTTP ${code}); they are not checked`);
      else return { ok: false, message: describeError(err, cluster.server, timeoutMs) };
    }
  }
  // Core and storage kinds go through the custom-objects path too: one code path.
  for (const spec of lookupKindSpecs()) {
    const kind = spec.name;
    const src = { group: spec.group, version: spec.versions[0]!, plural: spec.plural };
    try {
      const list: { items?: unknown[] } =
        kind === "Namespace"
          ? await listAll(src.plural, (p) => core.listNamespace(p, options as never))
          : kind === "Secret"
            ? await listAll(src.plural, (p) => core.listSecretForAllNamespaces(p, secretOptions as never))
            : await listAll(src.plural, (p) => custom.listClusterCustomObject({ group: src.group, version: src.version, plural: src.plural, ...p }, options as never));
      for (const item of list.items ?? []) {
        // Secrets: names only, whatever the server sent. Typed clients and list responses omit apiVersion/kind on items.
        if (kind === "Secret") objects.push(secretName(item as { metadata?: unknown }));
        else objects.push({ ...(item as object), apiVersion: apiVersionsOf(spec)[0], kind: spec.kind } as Resource);
      }
      known.push(kind);
    } catch (err) {
      const code = errorCode(err);
      if (code === 404) known.push(kind);
      else if (code === 401 || code === 403)
        notes.push(`not allowed to list ${src.plural} (HTTP ${code}); rules that need them are not checked`);
      else return { ok: false, message: describeError(err, cluster.server, timeoutMs) };
    }
  }
  return { ok: true, lookups: new InventoryLookups(objects, { known }), notes, extra, server: cluster.server, context: kc.getCurrentContext() };
}

type KubeConfigOutcome =
  | { ok: true; kc: import("@kubernetes/client-node").KubeConfig; cluster: { server: string } }
  | { ok: false; message: string };

/**
 * The kubeconfig file, or (no file) the default one: $KUBECONFIG, ~/.kube/config, else the in-cluster service
 * account (a CronJob). `context` switches away from the current context.
 */
export function loadKubeConfig(
  k8s: typeof import("../lookups/kube-client.ts"),
  kubeconfigPath: string | undefined,
  context?: string,
): KubeConfigOutcome {
  const kc = new k8s.KubeConfig();
  const where = kubeconfigPath ?? "(default)";
  try {
    if (kubeconfigPath !== undefined) kc.loadFromFile(kubeconfigPath);
    else kc.loadFromDefault();
  } catch (err) {
    return { ok: false, message: `cannot load kubeconfig ${where}: ${(err as Error)?.message ?? String(err)}` };
  }
  if (context !== undefined) {
    if (!kc.getContexts().some((c) => c.name === context)) {
      const names = kc.getContexts().map((c) => c.name).slice(0, 20).join(", ");
      return { ok: false, message: `kubeconfig ${where} has no context "${context}"${names ? ` (it has ${names})` : ""}` };
    }
    kc.setCurrentContext(context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) return { ok: false, message: `kubeconfig ${where} has no current cluster (set current-context)` };
  return { ok: true, kc, cluster };
}
