// `--format json`: the documented shape (DESIGN.md "CLI"); extra keys are only ever added, never renamed.
import { summarize, type ResourceResult, type RunReport } from "./model.ts";
import { ITEMS_HOLE, jsonParts } from "./parts.ts";

export function formatJson(report: RunReport): string {
  return formatJsonParts(report).join("");
}

/** The JSON report in parts whose concatenation is formatJson's text (src/report/parts.ts: why). */
export function formatJsonParts(report: RunReport): string[] {
  return jsonParts({ summary: summarize(report.results), results: ITEMS_HOLE }, report.results.map(jsonResult), 2);
}

function jsonResult(r: ResourceResult) {
  return {
    source: r.source,
    line: r.line,
    apiVersion: r.apiVersion,
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    allowed: r.allowed,
    findings: r.findings.map((f) => ({ rule: f.rule, action: f.action, path: f.path, ...(f.field ? { field: f.field } : {}), line: f.line ?? r.line, message: f.message })),
    notChecked: r.notChecked,
    exemptions: r.exemptions,
    defaulted: r.changes.map((c) => ({ id: c.defaulter, path: c.path, value: c.value, note: c.note })),
    apiServer: r.apiServer ?? [],
    ...(r.policies ? { policies: r.policies.map((u) => ({ name: u.name, applied: u.applied, why: u.why })) } : {}),
  };
}
