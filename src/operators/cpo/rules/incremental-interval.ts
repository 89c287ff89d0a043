import type { Problem, Rule } from "../../../engine/types.ts";
import { problem } from "../../../rules/util.ts";
import { analyzeIntervals } from "../../../cron/index.ts";
import { DURATION_PATTERN, formatDuration } from "../../../util/duration.ts";
import { durationParam } from "../../../rules/schedule/common.ts";
import { APPLIES_TO, parsedSchedulesByRepo, reposOf } from "../model.ts";
import { operatorCode } from "../links.ts";

const DEFAULT_MIN = "5m";
const DEFAULT_MAX = "2d";

interface Params {
  minInterval: string;
  maxInterval: string;
}

export const rule: Rule<Params> = {
  meta: {
    id: "cpo-incremental-interval",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: {
      minInterval: {
        type: "string",
        pattern: DURATION_PATTERN,
        default: DEFAULT_MIN,
        description: "Shortest allowed gap between two incr (or two diff) backups of a repo.",
      },
      maxInterval: {
        type: "string",
        pattern: DURATION_PATTERN,
        default: DEFAULT_MAX,
        description: "Longest allowed gap between two incr (or two diff) backups of a repo (exactly this value passes).",
      },
    },
    docs: {
      summary: "incr/diff schedules must fire more often than the repo's full schedule, within minInterval..maxInterval.",
      rationale:
        "incr and diff backups exist to be cheaper than fulls between two fulls. An incr/diff that fires no more often than the full " +
        "(e.g. both daily) costs a job run and a pgBackRest lock without adding a restore point that a full would not give. Gaps are " +
        "computed exactly from the Kubernetes cron expression, in UTC (the operator sets no CronJob timeZone: " +
        `${operatorCode("pkg/cluster/k8sres.go", 3585, 3597)}).`,
      bad: "schedule:\n  full: '30 2 * * *'\n  incr: '0 3 * * *'",
      good: "schedule:\n  full: '30 2 * * 0'\n  incr: '0 3 * * 1-6'",
      fix: "Make incr/diff fire more often than full (e.g. full weekly or daily, incr hourly), or delete the incr/diff key.",
    },
  },
  check(resource, ctx) {
    const repos = reposOf(resource);
    if (!repos) return [];
    const min = durationParam(ctx.params.minInterval, DEFAULT_MIN).seconds;
    const max = durationParam(ctx.params.maxInterval, DEFAULT_MAX).seconds;
    const problems: Problem[] = [];
    for (const parsed of parsedSchedulesByRepo(resource, repos)) {
      const full = parsed.find((s) => s.type === "full");
      const fullGaps = full ? analyzeIntervals(full.schedule) : undefined;
      for (const s of parsed) {
        if (s.type === "full") continue;
        const gaps = analyzeIntervals(s.schedule);
        if (!gaps.fires) continue; // schedule-never-fires' concern
        if (fullGaps?.fires && gaps.longestGapSeconds >= fullGaps.longestGapSeconds) {
          problems.push(
            problem(
              s.path,
              `${s.type} '${s.text}' is not more frequent than full '${full!.text}': its longest gap is ${formatDuration(gaps.longestGapSeconds)}, ` +
                `the full's is ${formatDuration(fullGaps.longestGapSeconds)}, so it adds job runs without adding restore points between fulls. ` +
                `Make ${s.type} fire more often (e.g. '0 * * * *') or make full rarer (e.g. '30 2 * * 0'), or delete ${s.type}.`,
            ),
          );
          continue;
        }
        if (gaps.shortestGapSeconds < min) {
          problems.push(
            problem(
              s.path,
              `${s.type} '${s.text}' fires as often as every ${formatDuration(gaps.shortestGapSeconds)}, more often than the policy's minInterval ` +
                `${formatDuration(min)}; each run takes the pgBackRest lock and costs a job. Use a gap of at least ${formatDuration(min)}, e.g. '*/30 * * * *'.`,
            ),
          );
        } else if (gaps.longestGapSeconds > max) {
          problems.push(
            problem(
              s.path,
              `${s.type} '${s.text}' leaves a gap of up to ${formatDuration(gaps.longestGapSeconds)}, longer than the policy's maxInterval ` +
                `${formatDuration(max)}. Make it fire at least every ${formatDuration(max)}, e.g. '0 * * * *'.`,
            ),
          );
        }
      }
    }
    return problems;
  },
};
