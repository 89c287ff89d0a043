// The default, human-readable report: one block per resource, a summary line at the end.
import {
  appliedPolicies,
  exemptionText,
  morePoliciesThanBuiltin,
  policiesText,
  resourceLabel,
  resultNotes,
  summarize,
  type ResourceResult,
  type RunReport,
} from "./model.ts";
import { OPERATOR_TITLES } from "../operators/index.ts";

export interface TextOptions {
  color: boolean;
  /** `--quiet`: only resources with findings get a block (the summary still counts every resource). */
  quiet?: boolean;
}

type Paint = (code: string, s: string) => string;

const CODES = { red: "31", yellow: "33", blue: "34", green: "32", dim: "2", bold: "1" } as const;

function painter(color: boolean): (c: keyof typeof CODES, s: string) => string {
  const paint: Paint = (code, s) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  return (c, s) => paint(CODES[c], s);
}

/** Continuation lines of a multi-line message, indented under its first line. */
function indent(text: string, pad: string): string {
  return text.replace(/\n/g, `\n${pad}`);
}

function resourceBlock(r: ResourceResult, p: ReturnType<typeof painter>): string[] {
  const denied = r.findings.some((f) => f.action === "deny");
  const warned = r.findings.some((f) => f.action !== "deny");
  const status = denied ? p("red", "denied") : warned ? p("yellow", "warnings") : p("green", "ok");
  const lines = [`${p("bold", `${r.source}:${r.line}`)}  ${resourceLabel(r)}  ${status}`];
  for (const f of r.findings) {
    const tag = f.action === "deny" ? p("red", "deny ") : f.action === "warn" ? p("yellow", "warn ") : p("blue", "audit");
    const path = f.path ? `${f.path}: ` : "";
    const at = f.line !== undefined ? `line ${f.line}  ` : "";
    lines.push(`  ${tag} ${p("bold", f.rule)}  ${at}${path}${indent(f.message, "        ")}`);
  }
  for (const n of resultNotes(r)) {
    lines.push(p(n.id === "crd-prune" ? "yellow" : "dim", `  ${n.id === "crd-prune" ? "prune" : "note "} ${n.id}  ${n.text}`));
  }
  for (const n of r.notChecked) {
    lines.push(p("dim", `  skip  ${n.rule}  not checked: ${indent(n.reason, "        ")}`));
  }
  for (const e of r.exemptions) lines.push(p("dim", `  note  ${exemptionText(e)}`));
  if (morePoliciesThanBuiltin(r.policies)) lines.push(p("dim", `  note  policies  ${policiesText(r.policies)}`));
  return lines;
}

export function formatText(report: RunReport, options: TextOptions): string {
  const p = painter(options.color);
  const out: string[] = [];
  for (const r of report.results) if (!options.quiet || r.findings.length > 0) out.push(...resourceBlock(r, p));
  const s = summarize(report.results);
  const ok = s.resources - report.results.filter((r) => r.findings.length > 0).length;
  const parts = [
    `${s.resources} resource${s.resources === 1 ? "" : "s"} checked`,
    s.denied > 0 ? p("red", `${s.denied} denied`) : `${s.denied} denied`,
    s.warned > 0 ? p("yellow", `${s.warned} with warnings`) : `${s.warned} with warnings`,
    `${ok} clean`,
  ];
  const notChecked = report.results.reduce((n, r) => n + r.notChecked.length, 0);
  if (notChecked > 0) parts.push(`${notChecked} check${notChecked === 1 ? "" : "s"} skipped for lack of lookups`);
  if (report.ignored.length > 0) parts.push(`${report.ignored.length} non-resource document${report.ignored.length === 1 ? "" : "s"} ignored`);
  if (out.length > 0) out.push("");
  out.push(`${parts.join(", ")} (policy: ${appliedPolicies(report).join(" + ")})`);
  if (s.resources === 0) {
    out.push(`No ${OPERATOR_TITLES} resources found in the input (nothing to check).`);
  }
  return `${out.join("\n")}\n`;
}
