// schedule-too-rare: the longest gap between base/full backups exceeds the policy's maxInterval.
import { describeSchedule } from "../../cron/index.ts";
import { DURATION_PATTERN, formatDuration } from "../../util/duration.ts";
import { durationParam, suggestSchedule } from "./common.ts";
import { judgeBaseSchedules } from "./of.ts";
import { SCHEDULED_TYPES } from "../../operators/index.ts";
import { defineRule } from "../define.ts";

const DEFAULT_MAX = "7d";

export const rule = defineRule<{ maxInterval?: string }>({
  meta: {
    id: "schedule-too-rare",
    appliesTo: [...SCHEDULED_TYPES],
    defaultAction: "deny",
    params: {
      maxInterval: {
        type: "string",
        pattern: DURATION_PATTERN,
        default: DEFAULT_MAX,
        description: "Longest allowed gap between two base (CNPG) or full (CPO) backups; a gap of exactly this length passes.",
      },
    },
    docs: {
      summary: "The longest gap between base/full backups must not exceed maxInterval (default 7d; exactly 7d passes).",
      rationale:
        "A restore starts from the latest base backup and replays every WAL segment archived since, so the gap between base backups bounds restore time and the length of the WAL chain that must be intact. The check uses the exact longest gap over the whole 400-year calendar cycle in UTC: a monthly schedule on the 31st skips short months (longest gap 61 days), \"0 0 0 29 2 *\" runs once every 4 years and 8 across 2100, and a 5-field CNPG value is read seconds first. CPO incr/diff schedules do not count: pgBackRest needs a full backup to restore.",
      bad: 'kind: ScheduledBackup\nspec:\n  schedule: "0 0 0 1 * *"   # monthly: gaps of up to 31 days',
      good: 'kind: ScheduledBackup\nspec:\n  schedule: "0 0 0 * * *"   # daily at 00:00 UTC',
      fix: "Schedule base/full backups at least as often as maxInterval, e.g. daily or weekly.",
    },
  },
  check(resource, ctx) {
    const max = durationParam(ctx.params.maxInterval, DEFAULT_MAX);
    return judgeBaseSchedules(resource, ({ s, schedule, gaps }) => {
      if (gaps.longestGapSeconds <= max.seconds) return undefined; // never-fires is its own rule
      const write = suggestSchedule(s.dialect, 0, max.seconds, `Schedule them at least every ${max.text}.`);
      return `"${s.text}" leaves up to ${formatDuration(gaps.longestGapSeconds)} between ${s.subject} (${describeSchedule(schedule)}), more than the policy's maxInterval of ${max.text}. A restore must replay all WAL since the last base backup, so long gaps mean slow restores and a long WAL chain that must stay intact. ${write}`;
    });
  },
});
