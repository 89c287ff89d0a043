import type { Rule } from "../../../engine/types.ts";
import { BoundedProblems, problem } from "../../../rules/util.ts";
import { analyzeIntervals } from "../../../cron/index.ts";
import { DURATION_PATTERN, formatDuration } from "../../../util/duration.ts";
import { durationParam } from "../../../rules/schedule/common.ts";
import { APPLIES_TO, parsedSchedulesByRepo, reposOf, suspendedNote } from "../model.ts";
import { CONTROLLER_PGBACKREST, operatorCode } from "../links.ts";

const DEFAULT_MIN = "5m";
const DEFAULT_MAX = "2d";

interface Params {
  minInterval: string;
  maxInterval: string;
}

export const rule: Rule<Params> = {
  meta: {
    id: "pgo-incremental-interval",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: {
      minInterval: {
        type: "string",
        pattern: DURATION_PATTERN,
        default: DEFAULT_MIN,
        description: "Shortest allowed gap between two differential (or two incremental) backups of a repo.",
      },
      maxInterval: {
        type: "string",
        pattern: DURATION_PATTERN,
        default: DEFAULT_MAX,
        description: "Longest allowed gap between two differential (or two incremental) backups of a repo (exactly this value passes).",
      },
    },
    docs: {
      summary: "differential/incremental schedules must fire more often than the repo's full schedule, within minInterval..maxInterval.",
      rationale:
        "Differential and incremental backups exist to be cheaper than fulls between two fulls. One that fires no more often than the full " +
        "(both daily, say) costs a Job and pgBackRest's backup lock without adding a restore point a full would not give. Gaps are computed " +
        `exactly from the Kubernetes cron expression in UTC (PGO sets no CronJob timeZone: ${operatorCode(CONTROLLER_PGBACKREST, 3220, 3235)}).`,
      bad: "schedules:\n  full: '30 2 * * *'\n  incremental: '0 3 * * *'",
      good: "schedules:\n  full: '30 2 * * 0'\n  incremental: '0 3 * * 1-6'",
      fix: "Make differential/incremental fire more often than full (e.g. full weekly, differential daily), or delete the key.",
    },
  },
  check(resource, ctx) {
    const repos = reposOf(resource);
    if (!repos) return [];
    const min = durationParam(ctx.params.minInterval, DEFAULT_MIN).seconds;
    const max = durationParam(ctx.params.maxInterval, DEFAULT_MAX).seconds;
    const note = suspendedNote(resource);
    // Only repo1..repo4 can work (pgo-repo-names reports the rest); bounded in case a list repeats a name.
    const listed = new BoundedProblems();
    for (const parsed of parsedSchedulesByRepo(resource, repos)) {
      if (parsed[0]?.repo.number === undefined) continue;
      const full = parsed.find((s) => s.key === "full");
      const fullGaps = full ? analyzeIntervals(full.schedule) : undefined;
      for (const s of parsed) {
        if (s.key === "full") continue;
        const gaps = analyzeIntervals(s.schedule);
        if (!gaps.fires) continue; // schedule-never-fires' concern
        if (fullGaps?.fires && gaps.longestGapSeconds >= fullGaps.longestGapSeconds) {
          listed.add(() =>
            problem(
              s.path,
              `${s.key} '${s.text}' is not more frequent than full '${full!.text}': its longest gap is ${formatDuration(gaps.longestGapSeconds)}, ` +
                `the full's is ${formatDuration(fullGaps.longestGapSeconds)}, so it adds Jobs without adding restore points between fulls. ` +
                `Make ${s.key} fire more often or full rarer (e.g. full '30 2 * * 0'), or delete ${s.key}.${note}`,
            ),
          );
        } else if (gaps.shortestGapSeconds < min) {
          listed.add(() =>
            problem(
              s.path,
              `${s.key} '${s.text}' fires as often as every ${formatDuration(gaps.shortestGapSeconds)}, more often than the policy's minInterval ` +
                `${formatDuration(min)}; each run is a Job holding pgBackRest's backup lock. Use a gap of at least ${formatDuration(min)}, e.g. '15 * * * *'.${note}`,
            ),
          );
        } else if (gaps.longestGapSeconds > max) {
          listed.add(() =>
            problem(
              s.path,
              `${s.key} '${s.text}' leaves a gap of up to ${formatDuration(gaps.longestGapSeconds)}, longer than the policy's maxInterval ` +
                `${formatDuration(max)}. Make it fire at least every ${formatDuration(max)}, e.g. '30 2 * * 1-6'.${note}`,
            ),
          );
        }
      }
    }
    return listed.finish("spec.backups.pgbackrest.repos", "differential/incremental schedules with a problem");
  },
};
