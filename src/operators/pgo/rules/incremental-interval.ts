import { BoundedProblems, placeholderScheduleNotChecked, problem } from "../../../rules/util.ts";
import { formatDuration } from "../../../util/duration.ts";
import { intervalBounds, intervalParams, judgeIntervals, type IntervalFinding, type IntervalParams } from "../../pgbackrest/schedules.ts";
import { APPLIES_TO, parsedSchedulesByRepo, reposOf, suspendedNote, type ParsedSchedule } from "../model.ts";
import { scheduleSources } from "../sources.ts";
import { CONTROLLER_PGBACKREST, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

type Params = IntervalParams;

/** The finding in words; `note` says when the CronJobs are suspended. */
function message(f: IntervalFinding<ParsedSchedule>, min: number, max: number, note: string): string {
  const { schedule: s, gaps } = f;
  switch (f.kind) {
    case "not-more-frequent":
      return (
        `${s.key} '${s.text}' is not more frequent than full '${f.full.text}': its longest gap is ${formatDuration(gaps.longestGapSeconds)}, ` +
        `the full's is ${formatDuration(f.fullGaps.longestGapSeconds)}, so it adds Jobs without adding restore points between fulls. ` +
        `Make ${s.key} fire more often or full rarer (e.g. full '30 2 * * 0'), or delete ${s.key}.${note}`
      );
    case "too-often":
      return (
        `${s.key} '${s.text}' fires as often as every ${formatDuration(gaps.shortestGapSeconds)}, more often than the policy's minInterval ` +
        `${formatDuration(min)}; each run is a Job holding pgBackRest's backup lock. Use a gap of at least ${formatDuration(min)}, e.g. '15 * * * *'.${note}`
      );
    case "too-rare":
      return (
        `${s.key} '${s.text}' leaves a gap of up to ${formatDuration(gaps.longestGapSeconds)}, longer than the policy's maxInterval ` +
        `${formatDuration(max)}. Make it fire at least every ${formatDuration(max)}, e.g. '30 2 * * 1-6'.${note}`
      );
  }
}

export const rule = defineRule<Params>({
  meta: {
    id: "pgo-incremental-interval",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: intervalParams("differential (or two incremental)"),
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
    const bounds = intervalBounds(ctx.params);
    const note = suspendedNote(resource);
    // Only repo1..repo4 can work (pgo-repo-names reports the rest); bounded in case a list repeats a name.
    const listed = new BoundedProblems();
    for (const parsed of parsedSchedulesByRepo(resource, repos)) {
      if (parsed[0]?.repo.number === undefined) continue;
      judgeIntervals(parsed, bounds, (f) => listed.add(() => problem(f.schedule.path, message(f, bounds.min, bounds.max, note))));
    }
    // A schedule still holding a placeholder is judged once substituted: a differential/incremental always, a full when
    // its repo has one.
    const sources = scheduleSources(resource).filter((s) => s.repoIndex !== undefined && repos[s.repoIndex]?.number !== undefined);
    const unresolved = new BoundedProblems();
    for (const s of sources) {
      const p = placeholderScheduleNotChecked(s.text, s.path);
      if (p && (s.role !== "full" || sources.some((o) => o.repoIndex === s.repoIndex && o.role !== "full"))) unresolved.add(() => p);
    }
    const more = unresolved.finish("spec.backups.pgbackrest.repos", "schedules holding a placeholder");
    return [
      ...listed.finish("spec.backups.pgbackrest.repos", "differential/incremental schedules with a problem"),
      ...more.map((p) => ({ ...p, notChecked: true, cause: "placeholder" as const })),
    ];
  },
});
