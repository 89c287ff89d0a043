// `audit --policy-reports`: the audit's results as wgpolicyk8s.io/v1alpha2 PolicyReport objects (one per namespace)
// and a ClusterPolicyReport (cluster-scoped objects), the format Policy Reporter and Kyverno's dashboards read.
// Field names and enums follow the CRD in kubernetes-sigs/wg-policy-prototypes (policy-report/crd/v1alpha2).
import type { Resource } from "../engine/types.ts";
import type { Audited } from "./run.ts";

export const POLICY_REPORT_GROUP = "wgpolicyk8s.io";
export const POLICY_REPORT_VERSION = "v1alpha2";
export const POLICY_REPORT_API_VERSION = `${POLICY_REPORT_GROUP}/${POLICY_REPORT_VERSION}`;
/** The name of every report this tool writes: one per namespace, and the cluster one. */
export const REPORT_NAME = "pg-backup-guard";
export const MANAGED_BY = { key: "app.kubernetes.io/managed-by", value: "pg-backup-guard" } as const;
export const SOURCE = "pg-backup-guard";
/** Pass results kept per report (a report is one etcd object, at most ~1.5 MB); fail/warn/skip/error are all kept. */
export const MAX_PASS_RESULTS = 1000;
export const OMITTED_PASS_ANNOTATION = "pgbackupguard.io/omitted-pass-results";

export type PolicyResult = "pass" | "fail" | "warn" | "error" | "skip";

export interface ObjectReference {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
}

export interface PolicyReportResult {
  source: string;
  policy: string;
  category: string;
  severity: "critical" | "high" | "medium" | "low" | "info";
  timestamp: { seconds: number; nanos: number };
  result: PolicyResult;
  scored: boolean;
  resources: ObjectReference[];
  message: string;
  properties: Record<string, string>;
}

export interface PolicyReportObject {
  apiVersion: typeof POLICY_REPORT_API_VERSION;
  kind: "PolicyReport" | "ClusterPolicyReport";
  metadata: { name: string; namespace?: string; labels: Record<string, string>; annotations?: Record<string, string> };
  summary: Record<PolicyResult, number>;
  results: PolicyReportResult[];
}

function subject(o: Resource): ObjectReference {
  const ref: ObjectReference = { apiVersion: o.apiVersion, kind: o.kind, name: String(o.metadata.name ?? "") };
  if (typeof o.metadata.namespace === "string" && o.metadata.namespace !== "") ref.namespace = o.metadata.namespace;
  if (typeof o.metadata.uid === "string" && o.metadata.uid !== "") ref.uid = o.metadata.uid;
  return ref;
}

const SEVERITY = { deny: "high", warn: "medium", audit: "low" } as const;

/** The results of one audited object: a fail/warn/error per finding, a skip per unchecked rule, a pass per clean rule. */
function resultsOf(a: Audited, timestamp: PolicyReportResult["timestamp"]): PolicyReportResult[] {
  const out: PolicyReportResult[] = [];
  const resources = [subject(a.object)];
  const base = { source: SOURCE, category: "PostgreSQL backup", timestamp, scored: true, resources };
  const touched = new Set<string>();
  for (const f of a.result.findings) {
    touched.add(f.rule);
    const result: PolicyResult = f.cause === "rule-error" ? "error" : f.action === "deny" ? "fail" : "warn";
    out.push({ ...base, policy: f.rule, severity: SEVERITY[f.action], result, message: f.path ? `${f.path}: ${f.message}` : f.message, properties: { action: f.action, path: f.path } });
  }
  for (const n of a.result.notChecked) {
    if (touched.has(n.rule)) continue;
    touched.add(n.rule);
    out.push({ ...base, policy: n.rule, severity: "info", result: "skip", message: `not checked: ${n.reason}`, properties: { path: n.path } });
  }
  for (const rule of a.result.evaluatedRules) {
    if (touched.has(rule)) continue;
    out.push({ ...base, policy: rule, severity: "info", result: "pass", message: "passed", properties: {} });
  }
  return out;
}

function report(kind: PolicyReportObject["kind"], namespace: string | undefined, audited: readonly Audited[], now: Date): PolicyReportObject {
  const timestamp = { seconds: Math.floor(now.getTime() / 1000), nanos: 0 };
  const all = audited.flatMap((a) => resultsOf(a, timestamp));
  let passes = 0;
  let omitted = 0;
  const results = all.filter((r) => {
    if (r.result !== "pass") return true;
    if (passes < MAX_PASS_RESULTS) return ++passes > 0;
    omitted++;
    return false;
  });
  const summary: Record<PolicyResult, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) summary[r.result]++;
  const metadata: PolicyReportObject["metadata"] = { name: REPORT_NAME, labels: { [MANAGED_BY.key]: MANAGED_BY.value } };
  if (namespace !== undefined) metadata.namespace = namespace;
  if (omitted > 0) metadata.annotations = { [OMITTED_PASS_ANNOTATION]: String(omitted) };
  return { apiVersion: POLICY_REPORT_API_VERSION, kind, metadata, summary, results };
}

/** A PolicyReport per namespace with audited objects, and the ClusterPolicyReport for cluster-scoped ones. */
export function buildPolicyReports(audited: readonly Audited[], now: Date): { namespaced: PolicyReportObject[]; cluster: PolicyReportObject } {
  const byNamespace = new Map<string, Audited[]>();
  const clusterScoped: Audited[] = [];
  for (const a of audited) {
    if (a.result.namespace === null) clusterScoped.push(a);
    else {
      const list = byNamespace.get(a.result.namespace) ?? [];
      list.push(a);
      byNamespace.set(a.result.namespace, list);
    }
  }
  const namespaced = [...byNamespace.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([ns, list]) => report("PolicyReport", ns, list, now));
  return { namespaced, cluster: report("ClusterPolicyReport", undefined, clusterScoped, now) };
}
