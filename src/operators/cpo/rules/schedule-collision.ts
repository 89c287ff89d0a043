import type { Problem, Rule } from "../../../engine/types.ts";
import { problem } from "../../../rules/util.ts";
import { firstCommonMinute } from "../../../cron/index.ts";
import { APPLIES_TO, MAX_REPOS, formatUtcMinute, parsedSchedulesByRepo, reposOf, type ParsedSchedule } from "../model.ts";
import { CPO_DOCS, operatorCode } from "../links.ts";

/**
 * Repos compared, in order. The operator makes CronJobs only for repo1..repo4 (cpo-repo-names reports any other
 * name), so a real object has at most 4; reposOf already stops at MAX_REPOS (4), this keeps the pairwise comparison
 * small even if that changes.
 */
const MAX_REPOS_COMPARED = MAX_REPOS;

interface Params {
  acrossRepos: boolean;
}

function label(s: ParsedSchedule): string {
  return `${s.repo.name ?? `repos[${s.repo.index}]`} ${s.type} '${s.text}'`;
}

/** `@every d` (d > 1 min) counts from the CronJob's creation time, which is unknown: its minutes cannot be compared. */
function anchoredAtCreation(s: ParsedSchedule): boolean {
  return (s.schedule.everySeconds ?? 0) > 60;
}

export const rule: Rule<Params> = {
  meta: {
    id: "cpo-schedule-collision",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: {
      acrossRepos: {
        type: "boolean",
        default: false,
        description: "Also compare schedules of different repos (pgBackRest's backup lock is per stanza, and the stanza is always db).",
      },
    },
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
    const pairs: [ParsedSchedule, ParsedSchedule][] = [];
    for (const [gi, group] of groups.entries()) {
      for (const [i, a] of group.entries()) {
        for (const b of group.slice(i + 1)) pairs.push([a, b]);
        if (!ctx.params.acrossRepos) continue;
        for (const other of groups.slice(gi + 1)) for (const b of other) pairs.push([a, b]);
      }
    }
    const problems: Problem[] = [];
    for (const [a, b] of pairs) {
      if (anchoredAtCreation(a) || anchoredAtCreation(b)) continue;
      const when = firstCommonMinute(a.schedule, b.schedule, ctx.now);
      if (!when) continue;
      problems.push(
        problem(
          b.path,
          `${label(b)} fires in the same minute as ${label(a)}, first at ${formatUtcMinute(when)}: both jobs take pgBackRest's lock on stanza db, ` +
            `so one of them fails. Move ${b.type} to minutes the other never uses (e.g. offset it by 15 minutes).`,
        ),
      );
    }
    return problems;
  },
};
