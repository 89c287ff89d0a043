import { placeholderScheduleNotChecked, problem } from "../../../rules/util.ts";
import { collisionParams, collisions, formatUtcMinute, scheduleLabel, type CollisionParams } from "../../pgbackrest/schedules.ts";
import { APPLIES_TO, MAX_REPOS, parsedSchedulesByRepo, reposOf, type ParsedSchedule } from "../model.ts";
import { scheduleSources } from "../schedules.ts";
import { CPO_DOCS, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

/**
 * Repos compared, in order. The operator makes CronJobs only for repo1..repo4 (cpo-repo-names reports any other
 * name), so a real object has at most 4; reposOf already stops at MAX_REPOS (4), this keeps the pairwise comparison
 * small even if that changes.
 */
const MAX_REPOS_COMPARED = MAX_REPOS;

type Params = CollisionParams;

function label(s: ParsedSchedule): string {
  return scheduleLabel(s.repo, s.type, s.text);
}

export const rule = defineRule<Params>({
  meta: {
    id: "cpo-schedule-collision",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: collisionParams(
      "Also compare schedules of different repos (pgBackRest's backup lock is per stanza, and the stanza is always db).",
    ),
    docs: {
      summary: "Two backup types of one repo must not fire in the same minute.",
      rationale:
        "Every (repo, type) becomes its own CronJob (concurrencyPolicy Forbid applies per job only, and the Job keeps Kubernetes' " +
        `default backoffLimit 6: ${operatorCode("pkg/cluster/k8sres.go", 3569, 3597)}). Two jobs that start in the same minute ` +
        "race for pgBackRest's backup lock on stanza db: one fails and is retried by the Job or lost. The docs' own S3 " +
        `example (full '30 2 * * *' + incr '*/30 * * * *', ${CPO_DOCS}/backup/aws/) collides daily at 02:30 UTC. The first common ` +
        "minute is computed exactly, not by comparing strings. `@every` schedules longer than a minute count from the CronJob's " +
        "creation time, which is unknown, so they are not compared.",
      bad: "schedule:\n  full: '30 2 * * *'\n  incr: '*/30 * * * *'",
      good: "schedule:\n  full: '30 2 * * *'\n  incr: '15,45 * * * *'",
      fix: "Shift one schedule so they never share a minute, e.g. incr '15,45 * * * *' next to full '30 2 * * *'.",
    },
  },
  check(resource, ctx) {
    const repos = reposOf(resource);
    if (!repos) return [];
    const groups = parsedSchedulesByRepo(resource, repos).slice(0, MAX_REPOS_COMPARED);
    const found = collisions(groups, () => Boolean(ctx.params.acrossRepos), ctx.now).map(({ a, b, when }) =>
      problem(
        b.path,
        `${label(b)} fires in the same minute as ${label(a)}, first at ${formatUtcMinute(when)}: both jobs take pgBackRest's lock on stanza db, ` +
          `so one of them fails. Move ${b.type} to minutes the other never uses (e.g. offset it by 15 minutes).`,
      ),
    );
    // A schedule still holding a placeholder is compared once substituted: not checked, when it has a schedule to meet.
    const sources = scheduleSources(resource).filter((s) => s.repoIndex !== undefined && s.repoIndex < MAX_REPOS_COMPARED);
    for (const s of sources) {
      const unresolved = placeholderScheduleNotChecked(s.text, s.path);
      if (unresolved && sources.some((o) => o !== s && o.text !== null && (o.repoIndex === s.repoIndex || Boolean(ctx.params.acrossRepos)))) found.push(unresolved);
    }
    return found;
  },
});
