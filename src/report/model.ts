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
}

export interface RunReport {
  results: ResourceResult[];
  /** Every source read, in order (files with no covered resource included: JUnit lists them). */
  sources: string[];
  ignored: IgnoredDocument[];
  /** Names of the policies applied (built-in first). */
  policies: string[];
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

export function resourceLabel(r: Pick<ResourceResult, "kind" | "namespace" | "name">): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ""}${r.name ?? "(unnamed)"}`;
}
