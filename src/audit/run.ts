// Judging live objects: every covered object of the cluster through the same engine as the webhook, as stored
// (no defaults injected), with the audit-only rules switched on.
import { judge } from "../engine/judge.ts";
import type { Lookups, Resource } from "../engine/types.ts";
import { resourceTypeOf } from "../engine/resource.ts";
import type { ResourceResult, RunReport } from "../report/model.ts";
import type { PolicyResolver } from "../cli/policy.ts";

/** The `source` of results for cluster-scoped objects (namespaced ones use `namespace/NS`). */
export const CLUSTER_SCOPED_SOURCE = "cluster-scoped";

export function sourceOf(namespace: string | null): string {
  return namespace === null ? CLUSTER_SCOPED_SOURCE : `namespace/${namespace}`;
}

export interface AuditInput {
  /** The covered objects read from the cluster (any order; results are sorted by namespace, kind, name). */
  objects: readonly Resource[];
  lookups: Lookups;
  resolver: PolicyResolver;
  now: Date;
}

/** One audited object and its result (the object is kept for PolicyReport subjects: uid, apiVersion). */
export interface Audited {
  object: Resource;
  result: ResourceResult;
}

function str(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : null;
}

function order(a: Resource, b: Resource): number {
  const key = (r: Resource) => [str(r.metadata.namespace) ?? "", r.kind, str(r.metadata.name) ?? ""].join("\u0000");
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function auditObjects(input: AuditInput): { audited: Audited[]; report: RunReport } {
  const audited: Audited[] = [];
  const namespaces = new Set<string>();
  for (const object of [...input.objects].filter((o) => resourceTypeOf(o)).sort(order)) {
    const namespace = str(object.metadata.namespace);
    if (namespace !== null) namespaces.add(namespace);
    const j = judge({ object }, { policies: input.resolver, lookups: input.lookups, now: input.now, mode: "audit" }, "validate");
    if (!j.applies) continue; // the resolver always has the built-in policy
    const evaluation = j.evaluation;
    audited.push({
      object,
      result: {
        source: sourceOf(namespace),
        line: 1,
        apiVersion: object.apiVersion,
        kind: object.kind,
        namespace,
        name: str(object.metadata.name),
        allowed: evaluation.allowed,
        findings: evaluation.findings,
        notChecked: evaluation.notChecked,
        exemptions: evaluation.exemptions,
        changes: [],
        evaluatedRules: evaluation.evaluatedRules,
      },
    });
  }
  const sources = [...new Set(audited.map((a) => a.result.source))];
  return { audited, report: { results: audited.map((a) => a.result), sources, ignored: [], policies: input.resolver.names } };
}
