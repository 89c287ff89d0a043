import { placeholderScheduleNotChecked, problem } from "../../../rules/util.ts";
import { getPath } from "../../../util/object.ts";
import { describeSchedule, parseSchedule } from "../../../cron/index.ts";
import { suggestSixFieldSchedule } from "../../../cron/report.ts";
import { goFields } from "../../../cron/golang.ts";
import { SCHEDULED_BACKUP } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

interface Params {
  allowDescriptors: boolean;
}

const FORMAT = "second minute hour day-of-month month day-of-week";

/** What the schedule means to the operator, in words, or why CNPG rejects it. */
function reading(text: string): string {
  const parsed = parseSchedule(text, "robfig-v1");
  return parsed.ok ? `CNPG reads it as: ${describeSchedule(parsed.schedule)}` : `CNPG rejects it: "${parsed.error}"`;
}

function suggestion(text: string): string {
  const six = suggestSixFieldSchedule(text);
  if (six === undefined) return `Write it with 6 fields (${FORMAT}), e.g. "0 0 1 * * *" for 01:00 UTC daily.`;
  const parsed = parseSchedule(six, "robfig-v1");
  const meaning = parsed.ok ? ` — ${describeSchedule(parsed.schedule)}` : "";
  return `Write spec.schedule: "${six}"${meaning}.`;
}

export const rule = defineRule<Params>({
  meta: {
    id: "cnpg-schedule-six-fields",
    appliesTo: [SCHEDULED_BACKUP],
    defaultAction: "deny",
    params: {
      allowDescriptors: {
        type: "boolean",
        default: true,
        description: "Accept descriptors such as @daily (CNPG parses them, with a field-count warning).",
      },
    },
    docs: {
      summary: "A ScheduledBackup schedule needs 6 fields (seconds first); a 5-field crontab string means something else.",
      rationale:
        "CNPG parses spec.schedule with robfig/cron v1 cron.Parse: second minute hour day-of-month month " +
        "[day-of-week]. A 5-field crontab string is read seconds first, so \"0 1 * * *\" runs every hour at minute 1 " +
        "instead of daily at 01:00 — and CNPG only warns (\"usually six arguments are needed\"). Users ended up with " +
        "thousands of Backup objects and an OOMKilled operator (#883, Panfactum/stack#120, gavinmcfall/home-ops#2021); " +
        "\"0 1 * * 0\" is rejected because 0 lands in the month field.",
      bad: "spec:\n  schedule: \"0 1 * * *\"   # hourly at minute 1",
      good: "spec:\n  schedule: \"0 0 1 * * *\"   # daily at 01:00:00 UTC",
      fix: "Prepend the seconds field: \"m h dom mon dow\" becomes \"0 m h dom mon dow\".",
    },
  },
  check(resource, ctx) {
    const text = getPath(resource, "spec.schedule");
    if (typeof text !== "string") return []; // schedule-syntax reports a missing or non-string schedule
    const unresolved = placeholderScheduleNotChecked(text, "spec.schedule");
    if (unresolved) return [unresolved];
    if (text.startsWith("@")) {
      if (ctx.params.allowDescriptors !== false) return [];
      return [
        problem(
          "spec.schedule",
          `the descriptor "${text}" is not allowed by this policy (CNPG accepts it with a field-count warning). ` +
            suggestion(text),
        ),
      ];
    }
    // Count fields as CNPG does (Go strings.Fields), not with JS whitespace.
    if (goFields(text).length !== 5) return [];
    return [
      problem(
        "spec.schedule",
        `schedule "${text}" has 5 fields, but CNPG reads ScheduledBackup schedules seconds first (${FORMAT}), so ` +
          `${reading(text)}. ${suggestion(text)}`,
      ),
    ];
  },
});
