// `--format github`: GitHub Actions workflow commands, one annotation per finding.
// Escaping follows actions/toolkit `command.ts`: data escapes % \r \n; properties also : and ,.
import { exemptionText, resourceLabel, resultNotes, summarize, type RunReport } from "./model.ts";

export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

const COMMAND = { deny: "error", warn: "warning", audit: "notice" } as const;

export function formatGithub(report: RunReport): string {
  const lines: string[] = [];
  for (const r of report.results) {
    for (const f of r.findings) {
      const props = [`file=${escapeProperty(r.source)}`, `line=${f.line ?? r.line}`, `title=${escapeProperty(`${f.rule} (${resourceLabel(r)})`)}`];
      lines.push(`::${COMMAND[f.action]} ${props.join(",")}::${escapeData(`${f.path}: ${f.message}`)}`);
    }
    for (const n of resultNotes(r)) {
      const props = [`file=${escapeProperty(r.source)}`, `line=${r.line}`, `title=${escapeProperty(`${n.id} (${resourceLabel(r)})`)}`];
      lines.push(`::notice ${props.join(",")}::${escapeData(n.text)}`);
    }
    // Exemptions that did not count (expired, no reason, neverExempt, ...), as the text report lists them: a
    // forgotten expiry date shows up in the pull request instead of as a sudden deny later.
    for (const e of r.exemptions) {
      if (e.applied) continue;
      const props = [`file=${escapeProperty(r.source)}`, `line=${r.line}`, `title=${escapeProperty(`exemption ignored: ${e.rule} (${resourceLabel(r)})`)}`];
      lines.push(`::notice ${props.join(",")}::${escapeData(exemptionText(e))}`);
    }
  }
  const s = summarize(report.results);
  lines.push(`pg-backup-guard: ${s.resources} resources, ${s.denied} denied, ${s.warned} with warnings`);
  return `${lines.join("\n")}\n`;
}
