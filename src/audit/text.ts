// The audit's text report: one block per namespace, the namespaces with the most denied resources first, and in
// each the denied resources before those with warnings. Clean resources are only counted.
import { exemptionText, summarize, type ResourceResult, type RunReport } from "../report/model.ts";
import { OPERATOR_TITLES } from "../operators/index.ts";

const CODES = { red: "31", yellow: "33", blue: "34", green: "32", dim: "2", bold: "1" } as const;

function painter(color: boolean): (c: keyof typeof CODES, s: string) => string {
  return (c, s) => (color ? `\u001b[${CODES[c]}m${s}\u001b[0m` : s);
}

/** 0 denied, 1 warnings, 2 only skipped checks, 3 clean: the sort order. */
function badness(r: ResourceResult): number {
  if (r.findings.some((f) => f.action === "deny")) return 0;
  if (r.findings.length > 0) return 1;
  return r.notChecked.length > 0 ? 2 : 3;
}

function indent(text: string, pad: string): string {
  return text.replace(/\n/g, `\n${pad}`);
}

export function formatAuditText(report: RunReport, options: { color: boolean }): string {
  const p = painter(options.color);
  const groups = new Map<string, ResourceResult[]>();
  for (const r of report.results) {
    const key = r.namespace ?? "";
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  const score = (rs: ResourceResult[]) => [rs.filter((r) => badness(r) === 0).length, rs.filter((r) => badness(r) === 1).length];
  const ordered = [...groups.entries()].sort(([na, a], [nb, b]) => {
    const [da, wa] = score(a);
    const [db, wb] = score(b);
    return db! - da! || wb! - wa! || (na < nb ? -1 : na > nb ? 1 : 0);
  });
  const out: string[] = [];
  for (const [ns, results] of ordered) {
    const [denied, warned] = score(results);
    const shown = results.filter((r) => badness(r) < 3).sort((a, b) => badness(a) - badness(b));
    const head = ns === "" ? "cluster-scoped" : `namespace ${ns}`;
    const counts = `${results.length} checked, ${denied} denied, ${warned} with warnings`;
    out.push(`${p("bold", head)}  ${denied! > 0 ? p("red", counts) : warned! > 0 ? p("yellow", counts) : p("green", counts)}`);
    for (const r of shown) {
      const status = badness(r) === 0 ? p("red", "denied") : badness(r) === 1 ? p("yellow", "warnings") : p("dim", "not fully checked");
      out.push(`  ${r.kind} ${r.name ?? "(unnamed)"}  ${status}`);
      for (const f of r.findings) {
        const tag = f.action === "deny" ? p("red", "deny ") : f.action === "warn" ? p("yellow", "warn ") : p("blue", "audit");
        out.push(`    ${tag} ${p("bold", f.rule)}  ${f.path ? `${f.path}: ` : ""}${indent(f.message, "          ")}`);
      }
      for (const n of r.notChecked) out.push(p("dim", `    skip  ${n.rule}  not checked: ${indent(n.reason, "          ")}`));
      for (const e of r.exemptions)
        out.push(p("dim", `    note  ${exemptionText(e)}`));
    }
  }
  const s = summarize(report.results);
  const clean = report.results.filter((r) => r.findings.length === 0).length;
  const skipped = report.results.reduce((n, r) => n + r.notChecked.length, 0);
  const parts = [
    `${s.resources} resource${s.resources === 1 ? "" : "s"} audited in ${groups.size} namespace${groups.size === 1 ? "" : "s"}`,
    s.denied > 0 ? p("red", `${s.denied} denied`) : `${s.denied} denied`,
    s.warned > 0 ? p("yellow", `${s.warned} with warnings`) : `${s.warned} with warnings`,
    `${clean} clean`,
  ];
  if (skipped > 0) parts.push(`${skipped} check${skipped === 1 ? "" : "s"} skipped`);
  if (out.length > 0) out.push("");
  out.push(`${parts.join(", ")} (policy: ${report.policies.join(" + ")})`);
  if (s.resources === 0) out.push(`No ${OPERATOR_TITLES} resources found in the cluster (nothing to audit).`);
  return `${out.join("\n")}\n`;
}
