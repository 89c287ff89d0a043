// What every formatter receives: plain data about one run, in input order.
import type { ApiServerChange, ExemptionEntry, Finding, NotChecked } from "../engine/types.ts";
import type { Change } from "../engine/engine.ts";
import type { IgnoredDocument } from "../input/types.ts";
import type { RuleMeta } from "../engine/types.ts";

export interface ResourceResult {
  source: string;
  line: number;
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string | null;
  allowed: boolean;
  findings: Finding[];
  notChecked: NotChecked[];
  exemptions: ExemptionEntry[];
  /** Defaults the simulated admission injected before validation. */
  changes: Change[];
  /** What the simulated API server did first: CRD defaults and pruned (unknown) fields. */
  apiServer?: ApiServerChange[];
  /** Rules that ran on the resource (applicable, not off, not exempted): JUnit makes one testcase each. */
  evaluatedRules: string[];
  /**
   * Every policy considered for the resource, in the order they apply (built-in first): whether it applied and why
   * (e.g. why a namespaceSelector did not match). Absent when the producer does not say (then `RunReport.policies`).
   */
  policies?: PolicyUse[];
}

export interface PolicyUse {
  name: string;
  applied: boolean;
  why: string;
}

export interface RunReport {
  results: ResourceResult[];
  /** Every source read, in order (files with no covered resource included: JUnit lists them). */
  sources: string[];
  ignored: IgnoredDocument[];
  /** Names of the policies in play (built-in first); the summary names those that applied to some resource. */
  policies: string[];
}

/** The policies that applied to at least one resource, in `report.policies` order (all of them when results do not say). */
export function appliedPolicies(report: Pick<RunReport, "results" | "policies">): string[] {
  if (report.results.length === 0 || report.results.some((r) => r.policies === undefined)) {
    return report.results.length === 0 ? report.policies.slice(0, 1) : report.policies;
  }
  const used = new Set(report.results.flatMap((r) => (r.policies ?? []).filter((p) => p.applied).map((p) => p.name)));
  return report.policies.filter((name) => used.has(name));
}

/** An exemption in words: `exempt rule (reason) until X by policy P`, or why it was ignored. */
export function exemptionText(e: ExemptionEntry): string {
  const from = e.source && e.source !== "annotation" ? ` (${e.source})` : "";
  return e.applied
    ? `exempt ${e.rule}${e.reason ? ` (${e.reason})` : ""}${e.until ? ` until ${e.until}` : ""}${from}`
    : `exemption for ${e.rule}${from} ignored: ${e.ignoredBecause ?? "not applicable"}`;
}

/** The `note  policies` line: which policies applied and which did not, with why. */
export function policiesText(uses: readonly PolicyUse[]): string {
  const applied = uses.filter((u) => u.applied).map((u) => u.name);
  const not = uses.filter((u) => !u.applied).map((u) => `${u.name} (${u.why})`);
  return [`applied: ${applied.join(", ") || "none"}`, ...(not.length > 0 ? [`not applied: ${not.join("; ")}`] : [])].join("; ");
}

/** Whether anything but the built-in policy was considered (only then is the per-resource line worth printing). */
export function morePoliciesThanBuiltin(uses: readonly PolicyUse[] | undefined): uses is PolicyUse[] {
  return uses !== undefined && uses.length > 1;
}

export interface Summary {
  resources: number;
  denied: number;
  warned: number;
}

export function summarize(results: readonly ResourceResult[]): Summary {
  return {
    resources: results.length,
    denied: results.filter((r) => r.findings.some((f) => f.action === "deny")).length,
    warned: results.filter((r) => r.findings.some((f) => f.action === "warn")).length,
  };
}

/** What formatters need to know about rules (SARIF driver rules, JUnit names). */
export type RuleCatalog = readonly { meta: RuleMeta }[];

/** One line per injected default and per pruned field: what every format lists, so a pass that depends on a default is visible. */
export interface ResultNote {
  /** Rule-like id: the defaulter's id, or `crd-prune` for a field the API server drops. */
  id: string;
  path: string;
  value?: unknown;
  text: string;
}

export function resultNotes(r: Pick<ResourceResult, "changes" | "apiServer">): ResultNote[] {
  const out: ResultNote[] = r.changes.map((c) => ({ id: c.defaulter, path: c.path, value: c.value, text: `default injected: ${c.note}` }));
  for (const c of r.apiServer ?? []) {
    if (c.kind !== "prune") continue;
    out.push({
      id: "crd-prune",
      path: c.path,
      text:
        `${c.path} is not in the CRD's schema: the API server drops it before anything reads it (kubectl ` +
        "--validate=strict, the default, rejects the object instead). Check the field name.",
    });
  }
  return out;
}

export { resourceLabel } from "../engine/resource.ts";
