// `schedule` output, from the cron layer's structured report.
import type { ScheduleReport } from "../cron/report.ts";
import type { Dialect } from "../cron/index.ts";

const DIALECT_NAMES: Record<Dialect, string> = {
  "robfig-v1": "robfig-v1, CNPG ScheduledBackup: robfig/cron v1, 6 fields, seconds first",
  kubernetes: "kubernetes, CPO and PGO pgBackRest repo schedules: Kubernetes CronJob, 5 fields",
};

export function formatScheduleText(r: ScheduleReport): string {
  const lines = [`"${r.input}"  (${DIALECT_NAMES[r.dialect]})`];
  if (!r.ok) {
    lines.push(`  invalid: ${r.error ?? "the operator rejects it"}`);
  } else {
    if (r.description) lines.push(`  reads as:      ${r.description}`);
    for (const w of r.warnings) lines.push(`  warning:       ${w}`);
  }
  if (r.suggestion) {
    lines.push(`  did you mean:  "${r.suggestion}"${r.suggestionDescription ? ` (${r.suggestionDescription})` : ""}`);
  }
  if (r.ok) {
    if (r.fires === false) lines.push("  fires:         never (no date matches)");
    else {
      lines.push(`  shortest gap:  ${r.shortestGap?.human ?? "?"}`, `  longest gap:   ${r.longestGap?.human ?? "?"}`);
      lines.push("  next fire times (UTC):", ...r.nextFireTimes.map((t) => `    ${t}`));
    }
  }
  return `${lines.join("\n")}\n`;
}

export function formatScheduleJson(r: ScheduleReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
