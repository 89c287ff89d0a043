// What every formatter receives: plain data about one run, in input order.
import type { ExemptionEntry, Finding, NotChecked } from "../engine/types.ts";
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

export function resourceLabel(r: Pick<ResourceResult, "kind" | "namespace" | "name">): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ""}${r.name ?? "(unnamed)"}`;
}
