// schedule-too-frequent: base/full backups closer together than the policy's minInterval.
import { describeSchedule } from "../../cron/index.ts";
import { DURATION_PATTERN, formatDuration } from "../../util/duration.ts";
import { durationParam, suggestSchedule } from "./common.ts";
import { judgeBaseSchedules } from "./of.ts";
import { SCHEDULED_TYPES } from "../../operators/index.ts";
import { defineRule } from "../define.ts";

const DEFAULT_MIN = "1h";

export const rule = defineRule<{ minInterval?: string }>({
  meta: {
    id: "schedule-too-frequent",
    appliesTo: [...SCHEDULED_TYPES],
    defaultAction: "deny",
    params: {
      minInterval: {
        type: "string",
        pattern: DURATION_PATTERN,
        default: DEFAULT_MIN,
        description: "Shortest allowed gap between two base (CNPG) or full (CPO) backups.",
      },
    },
    docs: {
      summary: "Base/full backups must not fire more often than minInterval (default 1h).",
      rationale:
        "Every CNPG scheduled backup and every pgBackRest full backup copies the whole database. A schedule that fires every minute or second (easy to write by accident: CNPG reads \"* * * * *\" seconds first, i.e. every second) overloads storage and the instance, and CNPG runs one backup per cluster at a time, so the rest queue up as pending. Point-in-time recovery between base backups comes from the WAL archive, not from more base backups. Incremental/differential CPO schedules are checked by cpo-incremental-interval instead.",
      bad: 'kind: ScheduledBackup\nspec:\n  schedule: "0 * * * * *"   # every minute',
      good: 'kind: ScheduledBackup\nspec:\n  schedule: "0 0 0 * * *"   # daily at 00:00 UTC',
      fix: "Schedule base/full backups daily or a few times a day, and rely on continuous WAL archiving for recovery points in between.",
    },
  },
  check(resource, ctx) {
    const min = durationParam(ctx.params.minInterval, DEFAULT_MIN);
    return judgeBaseSchedules(resource, ({ s, schedule, gaps }) => {
      if (gaps.shortestGapSeconds >= min.seconds) return undefined;
      const write = suggestSchedule(s.dialect, min.seconds, Infinity, `Space the runs at least ${min.text} apart.`);
      return `"${s.text}" runs ${s.subject} as often as every ${formatDuration(gaps.shortestGapSeconds)} (${describeSchedule(schedule)}), but the policy's minInterval is ${min.text}. Each run is a full base backup: this overloads the database and the backup storage, and recovery points between backups come from WAL archiving anyway. ${write}`;
    });
  },
});
