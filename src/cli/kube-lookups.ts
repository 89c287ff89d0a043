// `validate --kubeconfig FILE`: list every lookup kind once from a live cluster into an inventory.
// @kubernetes/client-node is imported here lazily: the offline CLI must never pay for loading it.
import type { LookupKind, Resource } from "../engine/types.ts";
import { InventoryLookups, LOOKUP_KINDS } from "../lookups/inventory.ts";

export const KUBE_TIMEOUT_MS = 10_000;

/** Where each lookup kind is listed. Core and storage kinds go through the custom-objects path too: one code path. */
const SOURCES: Record<LookupKind, { group: string; version: string; plural: string }> = {
  VolumeSnapshotClass: { group: "snapshot.storage.k8s.io", version: "v1", plural: "volumesnapshotclasses" },
  StorageClass: { group: "storage.k8s.io", version: "v1", plural: "storageclasses" },
  ObjectStore: { group: "barmancloud.cnpg.io", version: "v1", plural: "objectstores" },
  Cluster: { group: "postgresql.cnpg.io", version: "v1", plural: "clusters" },
  ScheduledBackup: { group: "postgresql.cnpg.io", version: "v1", plural: "scheduledbackups" },
  Namespace: { group: "", version: "v1", plural: "namespaces" },
};

export type KubeLookupsOutcome =
  | { ok: true; lookups: InventoryLookups; notes: string[] }
  | { ok: false; message: string };

function errorCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "number" ? code : undefined;
}

function describeError(err: unknown, server: string, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "AbortError" || e?.name === "TimeoutError" || /aborted/i.test(String(e?.message)))
    return `the API server at ${server} did not answer within ${timeoutMs / 1000}s`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return `cannot reach the API server at ${server}: ${e?.message ?? String(err)}${cause ? ` (${cause})` : ""}`;
}

/**
 * Lists the lookup kinds from the cluster in `kubeconfigPath`. A kind whose CRD is not installed (404)
 * counts as known and empty; a kind we may not list (403) stays unknown, so its rules are "not checked".
 */
export async function kubeLookups(kubeconfigPath: string, timeoutMs = KUBE_TIMEOUT_MS): Promise<KubeLookupsOutcome> {
  const k8s = await import("@kubernetes/client-node");
  const kc = new k8s.KubeConfig();
  try {
    kc.loadFromFile(kubeconfigPath);
  } catch (err) {
    return { ok: false, message: `cannot load kubeconfig ${kubeconfigPath}: ${(err as Error)?.message ?? String(err)}` };
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) return { ok: false, message: `kubeconfig ${kubeconfigPath} has no current cluster (set current-context)` };

  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const signal = AbortSignal.timeout(timeoutMs);
  // The object-parameter API hands options straight to the observable layer, whose middleware returns
  // "observables" (anything with toPromise). The signal bounds every request, connect included.
  const settled = <T>(value: T) => ({ toPromise: () => Promise.resolve(value) });
  const options = {
    middleware: [
      {
        pre: (ctx: { setSignal(s: AbortSignal): void }) => {
          ctx.setSignal(signal);
          return settled(ctx);
        },
        post: <T>(res: T) => settled(res),
      },
    ],
    middlewareMergeStrategy: "append" as const,
  };

  const objects: Resource[] = [];
  const known: LookupKind[] = [];
  const notes: string[] = [];
  for (const kind of Object.keys(SOURCES) as LookupKind[]) {
    const src = SOURCES[kind];
    const spec = LOOKUP_KINDS[kind];
    try {
      const list: { items?: unknown[] } =
        kind === "Namespace"
          ? ((await core.listNamespace({}, options as never)) as { items?: unknown[] })
          : await custom.listClusterCustomObject({ group: src.group, version: src.version, plural: src.plural }, options as never);
      for (const item of list.items ?? []) {
        // Typed clients and list responses omit apiVersion/kind on items.
        objects.push({ ...(item as object), apiVersion: spec.apiVersions[0], kind: spec.kind } as Resource);
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
  return { ok: true, lookups: new InventoryLookups(objects, { known }), notes };
}
