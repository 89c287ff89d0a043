import type { Problem } from "../../../engine/types.ts";
import { placeholderScheduleNotChecked, problem } from "../../../rules/util.ts";
import { formatDuration } from "../../../util/duration.ts";
import { intervalBounds, intervalParams, judgeIntervals, type IntervalFinding, type IntervalParams } from "../../pgbackrest/schedules.ts";
import { APPLIES_TO, parsedSchedulesByRepo, reposOf, type ParsedSchedule } from "../model.ts";
import { scheduleSources } from "../schedules.ts";
import { operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

type Params = IntervalParams;

function message(f: IntervalFinding<ParsedSchedule>, min: number, max: number): string {
  const { schedule: s, gaps } = f;
  switch (f.kind) {
    case "not-more-frequent":
      return (
        `${s.type} '${s.text}' is not more frequent than full '${f.full.text}': its longest gap is ${formatDuration(gaps.longestGapSeconds)}, ` +
        `the full's is ${formatDuration(f.fullGaps.longestGapSeconds)}, so it adds job runs without adding restore points between fulls. ` +
        `Make ${s.type} fire more often (e.g. '0 * * * *') or make full rarer (e.g. '30 2 * * 0'), or delete ${s.type}.`
      );
    case "too-often":
      return (
        `${s.type} '${s.text}' fires as often as every ${formatDuration(gaps.shortestGapSeconds)}, more often than the policy's minInterval ` +
        `${formatDuration(min)}; each run takes the pgBackRest lock and costs a job. Use a gap of at least ${formatDuration(min)}, e.g. '*/30 * * * *'.`
      );
    case "too-rare":
      return (
        `${s.type} '${s.text}' leaves a gap of up to ${formatDuration(gaps.longestGapSeconds)}, longer than the policy's maxInterval ` +
        `${formatDuration(max)}. Make it fire at least every ${formatDuration(max)}, e.g. '0 * * * *'.`
      );
  }
}

export const rule = defineRule<Params>({
  meta: {
    id: "cpo-incremental-interval",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: intervalParams("incr (or two diff)"),
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
    const bounds = intervalBounds(ctx.params);
    const problems: Problem[] = [];
    for (const parsed of parsedSchedulesByRepo(resource, repos)) {
      judgeIntervals(parsed, bounds, (f) => problems.push(problem(f.schedule.path, message(f, bounds.min, bounds.max))));
    }
    // A schedule still holding a placeholder is judged once substituted: an incr/diff always, a full when its repo has one.
    const sources = scheduleSources(resource);
    for (const s of sources) {
      const unresolved = placeholderScheduleNotChecked(s.text, s.path);
      if (unresolved && (s.role !== "full" || sources.some((o) => o.repoIndex === s.repoIndex && o.role !== "full"))) problems.push(unresolved);
    }
    return problems;
  },
});
