// Writes the audit's PolicyReports to the cluster: each report is replaced whole (get + create or replace, with the
// resourceVersion read, so a concurrent writer makes us retry instead of being overwritten), which drops results that
// no longer hold; reports of ours in namespaces that have no audited object any more are deleted.
import { requestOptions } from "../lookups/request-options.ts";
import type { KubeConfig } from "@kubernetes/client-node";
import { MANAGED_BY, POLICY_REPORT_GROUP, POLICY_REPORT_VERSION, REPORT_NAME, type PolicyReportObject } from "./policy-report.ts";

export interface WriteScope {
  /** `--namespace`: only this namespace's report is written or removed; the cluster report is left alone. */
  namespace?: string;
}

export interface WriteOutcome {
  written: string[];
  deleted: string[];
  errors: string[];
}

type Api = InstanceType<typeof import("@kubernetes/client-node").CustomObjectsApi>;

const GV = { group: POLICY_REPORT_GROUP, version: POLICY_REPORT_VERSION };

function codeOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === "number" ? code : undefined;
}

function explain(err: unknown, what: string): string {
  const code = codeOf(err);
  if (code === 403)
    return `${what}: forbidden (HTTP 403): the audit's ServiceAccount may not write PolicyReports (RBAC overlay deploy/overlays/audit-policy-reports)`;
  if (code === 404) return `${what}: not found (HTTP 404): are the wgpolicyk8s.io/v1alpha2 CRDs installed (Policy Reporter or Kyverno install them)?`;
  const message = (err as Error)?.message ?? String(err);
  return `${what}: ${code ? `HTTP ${code}: ` : ""}${message.split("\n")[0]!.slice(0, 300)}`;
}

function label(r: { kind: string; metadata: { name?: string; namespace?: string } }): string {
  return `${r.kind} ${r.metadata.namespace ? `${r.metadata.namespace}/` : ""}${r.metadata.name}`;
}

/** Creates the report, or replaces the one there (one retry when someone else changed it in between). */
async function upsert(api: Api, report: PolicyReportObject, options: object): Promise<void> {
  const ns = report.metadata.namespace;
  const plural = ns === undefined ? "clusterpolicyreports" : "policyreports";
  for (let attempt = 0; ; attempt++) {
    let existing: { metadata?: { resourceVersion?: string } } | undefined;
    try {
      existing =
        ns === undefined
          ? await api.getClusterCustomObject({ ...GV, plural, name: REPORT_NAME }, options as never)
          : await api.getNamespacedCustomObject({ ...GV, namespace: ns, plural, name: REPORT_NAME }, options as never);
    } catch (err) {
      if (codeOf(err) !== 404) throw err;
    }
    try {
      if (!existing) {
        if (ns === undefined) await api.createClusterCustomObject({ ...GV, plural, body: report }, options as never);
        else await api.createNamespacedCustomObject({ ...GV, namespace: ns, plural, body: report }, options as never);
      } else {
        const body = { ...report, metadata: { ...report.metadata, resourceVersion: existing.metadata?.resourceVersion } };
        if (ns === undefined) await api.replaceClusterCustomObject({ ...GV, plural, name: REPORT_NAME, body }, options as never);
        else await api.replaceNamespacedCustomObject({ ...GV, namespace: ns, plural, name: REPORT_NAME, body }, options as never);
      }
      return;
    } catch (err) {
      if (codeOf(err) === 409 && attempt < 2) continue; // changed or created meanwhile: read it again
      throw err;
    }
  }
}

/** Client options that bound every request of the write phase (connect included) to `ms` in total. */
export function timeoutOptions(ms: number): object {
  return requestOptions(AbortSignal.timeout(ms));
}

export const WRITE_TIMEOUT_MS = 120_000;

export async function writePolicyReports(
  kc: KubeConfig,
  reports: { namespaced: readonly PolicyReportObject[]; cluster: PolicyReportObject },
  scope: WriteScope,
  options: object = timeoutOptions(WRITE_TIMEOUT_MS),
): Promise<WriteOutcome> {
  const k8s = await import("../lookups/kube-client.ts");
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  const out: WriteOutcome = { written: [], deleted: [], errors: [] };
  const wanted = scope.namespace === undefined ? reports.namespaced : reports.namespaced.filter((r) => r.metadata.namespace === scope.namespace);
  for (const r of wanted) {
    try {
      await upsert(api, r, options);
      out.written.push(label(r));
    } catch (err) {
      out.errors.push(explain(err, `cannot write ${label(r)}`));
      if (codeOf(err) === 403 || codeOf(err) === 404) return out; // the same for every namespace: say it once
    }
  }
  // Ours (by name and label) in namespaces without an audited object any more: their results are all stale.
  const keep = new Set(wanted.map((r) => r.metadata.namespace));
  try {
    const selector = { labelSelector: `${MANAGED_BY.key}=${MANAGED_BY.value}`, fieldSelector: `metadata.name=${REPORT_NAME}` };
    const list = (
      scope.namespace === undefined
        ? await api.listClusterCustomObject({ ...GV, plural: "policyreports", ...selector }, options as never)
        : await api.listNamespacedCustomObject({ ...GV, namespace: scope.namespace, plural: "policyreports", ...selector }, options as never)
    ) as { items?: { metadata?: { name?: string; namespace?: string } }[] };
    for (const item of list.items ?? []) {
      const ns = item.metadata?.namespace;
      if (item.metadata?.name !== REPORT_NAME || ns === undefined || keep.has(ns)) continue;
      try {
        await api.deleteNamespacedCustomObject({ ...GV, namespace: ns, plural: "policyreports", name: REPORT_NAME }, options as never);
        out.deleted.push(`PolicyReport ${ns}/${REPORT_NAME}`);
      } catch (err) {
        if (codeOf(err) !== 404) out.errors.push(explain(err, `cannot delete the stale PolicyReport ${ns}/${REPORT_NAME}`));
      }
    }
  } catch (err) {
    out.errors.push(explain(err, "cannot list PolicyReports to remove stale ones"));
  }
  if (scope.namespace === undefined) {
    try {
      await upsert(api, reports.cluster, options);
      out.written.push(label(reports.cluster));
    } catch (err) {
      out.errors.push(explain(err, `cannot write ${label(reports.cluster)}`));
    }
  }
  return out;
}
