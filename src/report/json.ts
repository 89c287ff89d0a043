// `--format json`: the documented shape (DESIGN.md "CLI"); extra keys are only ever added, never renamed.
import { summarize, type RunReport } from "./model.ts";

export function formatJson(report: RunReport): string {
  const body = {
    summary: summarize(report.results),
    results: report.results.map((r) => ({
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
    })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
