// schedule-never-fires: a schedule that parses but names a time that never comes (Feb 30, Apr 31 ...).
import type { Problem } from "../../engine/types.ts";
import { analyzeIntervals, describeSchedule } from "../../cron/index.ts";
import { problem } from "../util.ts";
import { dialectName } from "./common.ts";
import type { ScheduleSource } from "./sources.ts";
import { parsedSchedulesOf, unresolvedSchedulesOf } from "./of.ts";
import { SCHEDULED_TYPES } from "../../operators/index.ts";
import { defineRule } from "../define.ts";

function consequence(s: ScheduleSource): string {
  return s.dialect === "robfig-v1"
    ? 'CNPG accepts it, then only emits a NoSchedule warning event ("No time satisfying the schedule ... have been found") and never takes a backup'
    : `the CronJob is created but never starts a job, so ${s.subject} never run`;
}

export const rule = defineRule({
  meta: {
    id: "schedule-never-fires",
    appliesTo: [...SCHEDULED_TYPES],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "A backup schedule must have at least one fire time.",
      rationale:
        "Both operators accept a syntactically valid schedule that names a date that never exists, such as February 30 or April 31. CNPG's controller then only emits a NoSchedule warning event (\"No time satisfying the schedule\"), and a CPO CronJob simply never runs: the database has no backups while everything looks configured. pg-backup-guard checks every date of the 400-year Gregorian cycle, in UTC.",
      bad: 'kind: ScheduledBackup\nspec:\n  schedule: "0 0 0 30 2 *"   # February 30',
      good: 'kind: ScheduledBackup\nspec:\n  schedule: "0 0 0 28 2 *"   # February 28 (better: a monthly or daily schedule)',
      fix: "Pick a date that exists (day 1-28 exists in every month), or a daily/weekly schedule.",
    },
  },
  check(resource) {
    const problems: Problem[] = unresolvedSchedulesOf(resource);
    for (const s of parsedSchedulesOf(resource)) {
      if (!s.parsed.ok || analyzeIntervals(s.parsed.schedule).fires) continue;
      problems.push(
        problem(
          s.path,
          `"${s.text}" is valid ${dialectName(s.dialect)} syntax but never fires: it means "${describeSchedule(s.parsed.schedule)}", a time that never occurs (UTC). ${consequence(s)}. Pick a day that exists (days 1-28 exist in every month), e.g. a daily schedule.${s.note ?? ""}`,
        ),
      );
    }
    return problems;
  },
});
