// schedule-syntax: a schedule the operator's own cron parser refuses.
import type { Problem } from "../../engine/types.ts";
import { describeSchedule, parseSchedule, type Dialect } from "../../cron/index.ts";
import { goFields } from "../../cron/golang.ts";
import { suggestSixFieldSchedule } from "../../cron/report.ts";
import { placeholderScheduleNotChecked, problem } from "../util.ts";
import type { ScheduleSource } from "./sources.ts";
import { scheduleSourcesOf } from "./of.ts";
import { SCHEDULED_TYPES } from "../../operators/index.ts";
import { defineRule } from "../define.ts";

function quoteWithMeaning(text: string, dialect: Dialect): string {
  const p = parseSchedule(text, dialect);
  return p.ok ? `"${text}" (${describeSchedule(p.schedule)})` : `"${text}"`;
}

function robfigHint(text: string): string {
  const trimmed = text.trim();
  if (trimmed !== text && trimmed.startsWith("@") && parseSchedule(trimmed, "robfig-v1").ok) {
    return `A descriptor must be the very first character of the value (leading whitespace turns it into fields); write ${quoteWithMeaning(trimmed, "robfig-v1")}, or better the explicit 6-field form.`;
  }
  if (/^(CRON_)?TZ=/.test(text)) {
    const rest = text.slice(text.indexOf(" ") + 1);
    const ok = text.includes(" ") && parseSchedule(rest, "robfig-v1").ok;
    return `CNPG's cron has no time-zone prefix; schedules run in the operator's time zone (UTC).${ok ? ` Write ${quoteWithMeaning(rest, "robfig-v1")} with the time converted to UTC.` : ""}`;
  }
  const fields = goFields(text);
  const suggestion = suggestSixFieldSchedule(text);
  if (fields.length === 5 && suggestion) {
    return `CNPG reads a 5-field value seconds first (second minute hour day-of-month month), not as standard crontab; for the crontab you likely meant, write ${quoteWithMeaning(suggestion, "robfig-v1")}.`;
  }
  if (/[LW#H]/.test(text.replace(/^@\S*/, ""))) return "CNPG's cron (robfig/cron v1) has no L, W, # or H; list the values explicitly.";
  if (fields.length === 6 && /(^|[,-])7($|[,/-])/.test(fields[5]!)) return "Day of week is 0-6 in CNPG (0 = Sunday); write 0 instead of 7.";
  if (fields.length === 7) return "CNPG takes at most 6 fields (there is no year field).";
  return 'CNPG schedules have six fields, seconds first: second minute hour day-of-month month day-of-week, e.g. "0 0 0 * * *" (daily at 00:00 UTC).';
}

function kubernetesHint(text: string): string {
  if (text.includes("TZ")) {
    const rest = /^(CRON_)?TZ=\S*\s+/.test(text) ? text.replace(/^(CRON_)?TZ=\S*\s+/, "") : undefined;
    const ok = rest !== undefined && parseSchedule(rest, "kubernetes").ok;
    return `Remove the time zone: the operator sets no CronJob timeZone (neither CPO nor PGO does), so schedules run in kube-controller-manager's time zone (normally UTC).${ok ? ` Write ${quoteWithMeaning(rest!, "kubernetes")} with the time converted to UTC.` : ""}`;
  }
  const fields = goFields(text);
  if (fields.length === 6) {
    const rest = fields.slice(1).join(" ");
    const ok = parseSchedule(rest, "kubernetes").ok;
    return `Kubernetes CronJobs take five fields (minute hour day-of-month month day-of-week), without seconds.${ok ? ` Write ${quoteWithMeaning(rest, "kubernetes")}.` : ""}`;
  }
  if (/[LW#H]/.test(text.replace(/^@\S*/, ""))) return "Kubernetes CronJob schedules have no L, W, # or H; list the values explicitly.";
  if (fields.length === 5 && /(^|[,-])7($|[,/-])/.test(fields[4]!)) return "Day of week is 0-6 in Kubernetes CronJobs (0 = Sunday); write 0 instead of 7.";
  return 'Write five fields: minute hour day-of-month month day-of-week, e.g. "30 2 * * *" (daily at 02:30 UTC).';
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `the ${typeof value} ${JSON.stringify(value)}`;
}

function wrongType(s: ScheduleSource): Problem {
  if (s.value === undefined) {
    return problem(
      s.path,
      'spec.schedule is missing: the ScheduledBackup CRD requires it, and without it CNPG takes no backups. Add a 6-field schedule, seconds first, e.g. schedule: "0 0 0 * * *" (daily at 00:00 UTC).',
    );
  }
  const example = s.dialect === "robfig-v1" ? '"0 0 0 * * *"' : '"30 2 * * *"';
  return problem(
    s.path,
    `The schedule must be a string, but it is ${typeName(s.value)}; the API server refuses a non-string schedule, so these backups are never scheduled. Quote it as a string, e.g. ${example}.`,
  );
}

export const rule = defineRule({
  meta: {
    id: "schedule-syntax",
    appliesTo: [...SCHEDULED_TYPES],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "A backup schedule must parse in its operator's cron dialect.",
      rationale:
        "CNPG parses ScheduledBackup.spec.schedule with robfig/cron v1.2.0 cron.Parse (seconds first, 5 or 6 fields, day of week 0-6, no L/W/#/H, no TZ= prefix) and its webhook rejects anything that fails. The CYBERTEC operator does not check repo schedules at all: it copies them into Kubernetes CronJobs, and the API server (robfig/cron v3 ParseStandard plus a ban on TZ/CRON_TZ) refuses invalid ones, leaving the cluster in CreateFailed/SyncFailed with no backup jobs. Catching it here gives the reason before anything is applied.",
      bad: 'kind: ScheduledBackup\nspec:\n  schedule: "0 1 * * 0"   # month field 0: CNPG rejects it',
      good: 'kind: ScheduledBackup\nspec:\n  schedule: "0 0 1 * * 0"  # 01:00 UTC every Sunday',
      fix: "Write the schedule in the operator's dialect: six fields seconds first for CNPG, five fields minute first (no TZ= prefix) for CPO. The message gives the operator's own error and the string to write.",
    },
  },
  check(resource) {
    const problems: Problem[] = [];
    for (const s of scheduleSourcesOf(resource)) {
      if (s.text === null) {
        problems.push(wrongType(s));
        continue;
      }
      const unresolved = placeholderScheduleNotChecked(s.text, s.path);
      if (unresolved) {
        problems.push(unresolved);
        continue;
      }
      const parsed = parseSchedule(s.text, s.dialect);
      if (parsed.ok) continue;
      const hint = s.dialect === "robfig-v1" ? robfigHint(s.text) : kubernetesHint(s.text);
      problems.push(problem(s.path, `"${s.text}" is not a valid schedule: ${parsed.error}. Why it matters: ${s.rejectedBy}. ${hint}`));
    }
    return problems;
  },
});
