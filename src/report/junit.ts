// `--format junit`: one testsuite per source file, one testcase per resource x evaluated rule.
// deny -> <failure>; warn/audit -> passing testcase with the finding in <system-out> (GitLab and Jenkins
// show it without failing the build); not checked -> <skipped message=...>.
import { resourceLabel, resultNotes, summarize, type ResourceResult, type RunReport } from "./model.ts";

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    // Characters XML 1.0 cannot carry at all.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "\uFFFD");
}

interface Case {
  name: string;
  classname: string;
  failure?: { message: string; body: string };
  skipped?: string;
  out?: string;
}

function casesOf(r: ResourceResult): Case[] {
  const classname = resourceLabel(r);
  const where = (f: { line?: number }) => `${r.source}:${f.line ?? r.line}`;
  const rules = [...new Set([...r.evaluatedRules, ...r.findings.map((f) => f.rule)])];
  return rules.map((rule) => {
    const c: Case = { name: rule, classname };
    const findings = r.findings.filter((f) => f.rule === rule);
    const denies = findings.filter((f) => f.action === "deny");
    const others = findings.filter((f) => f.action !== "deny");
    if (denies.length > 0) {
      c.failure = {
        message: denies.map((f) => `${f.path}: ${f.message}`).join("; "),
        body: denies.map((f) => `${where(f)} ${f.path}: ${f.message}`).join("\n"),
      };
    }
    if (others.length > 0) c.out = others.map((f) => `${f.action.toUpperCase()} ${where(f)} ${f.path}: ${f.message}`).join("\n");
    const nc = r.notChecked.filter((n) => n.rule === rule);
    if (nc.length > 0 && findings.length === 0) c.skipped = `not checked: ${nc.map((n) => n.reason).join("; ")}`;
    return c;
  });
}

/** Injected defaults and pruned fields: one passing testcase per resource that has any, listed in <system-out>. */
function notesCase(r: ResourceResult): Case[] {
  const notes = resultNotes(r);
  if (notes.length === 0) return [];
  return [{ name: "defaults-and-pruning", classname: resourceLabel(r), out: notes.map((n) => `${n.id} ${r.source}:${r.line} ${n.text}`).join("\n") }];
}

function renderCase(c: Case): string {
  const open = `    <testcase name="${escapeXml(c.name)}" classname="${escapeXml(c.classname)}" time="0"`;
  const inner: string[] = [];
  if (c.failure) inner.push(`      <failure message="${escapeXml(c.failure.message)}" type="deny">${escapeXml(c.failure.body)}</failure>`);
  if (c.skipped) inner.push(`      <skipped message="${escapeXml(c.skipped)}"/>`);
  if (c.out) inner.push(`      <system-out>${escapeXml(c.out)}</system-out>`);
  return inner.length === 0 ? `${open}/>` : `${open}>\n${inner.join("\n")}\n    </testcase>`;
}

export function formatJunit(report: RunReport): string {
  const bySource = new Map<string, ResourceResult[]>();
  for (const s of report.sources) bySource.set(s, []);
  for (const r of report.results) {
    if (!bySource.has(r.source)) bySource.set(r.source, []);
    bySource.get(r.source)!.push(r);
  }
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const [source, results] of bySource) {
    const cases = results.flatMap((r) => [...casesOf(r), ...notesCase(r)]);
    const f = cases.filter((c) => c.failure).length;
    const s = cases.filter((c) => c.skipped).length;
    tests += cases.length;
    failures += f;
    skipped += s;
    const head = `  <testsuite name="${escapeXml(source)}" tests="${cases.length}" failures="${f}" errors="0" skipped="${s}" time="0"`;
    suites.push(cases.length === 0 ? `${head}/>` : `${head}>\n${cases.map(renderCase).join("\n")}\n  </testsuite>`);
  }
  const sum = summarize(report.results);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<!-- pg-backup-guard: ${sum.resources} resources, ${sum.denied} denied, ${sum.warned} with warnings -->`,
    `<testsuites name="pg-backup-guard" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="0">`,
    ...suites,
    `</testsuites>`,
    ``,
  ].join("\n");
}
