import type { Problem, Rule } from "../../../engine/types.ts";
import { problem } from "../../../rules/util.ts";
import { firstCommonMinute } from "../../../cron/index.ts";
import { APPLIES_TO, formatUtcMinute, parsedSchedulesByRepo, reposOf, suspendedNote, type ParsedSchedule } from "../model.ts";
import { CONTROLLER_PGBACKREST, issue, operatorCode } from "../links.ts";

interface Params {
  acrossRepos: boolean;
}

/** Only repo1..repo4 can work (pgo-repo-names reports the rest): at most 4 repos x 3 types are compared pairwise. */
const MAX_COMPARED = 4;

function label(s: ParsedSchedule): string {
  return `${s.repo.name ?? `repos[${s.repo.index}]`} ${s.key} '${s.text}'`;
}

/** `@every d` (d > 1 min) counts from the CronJob's creation time, which is unknown: its minutes cannot be compared. */
function anchoredAtCreation(s: ParsedSchedule): boolean {
  return (s.schedule.everySeconds ?? 0) > 60;
}

export const rule: Rule<Params> = {
  meta: {
    id: "pgo-schedule-collision",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: {
      acrossRepos: {
        type: "boolean",
        default: false,
        description: "Also compare schedules of different cloud repos (volume repos are always compared with each other).",
      },
    },
    docs: {
      summary: "Two backup types of one repo, or two volume repos, must not fire in the same minute.",
      rationale:
        "Every (repo, type) is its own CronJob with concurrencyPolicy Forbid, which serialises runs of that CronJob only " +
        `(${operatorCode(CONTROLLER_PGBACKREST, 3220, 3226)}). A full and an incremental starting together fail with pgBackRest's ` +
        `"unable to acquire lock on file '/tmp/pgbackrest/db-backup.lock'" (${issue(3145)}): the lock is per stanza, and PGO's stanza is ` +
        "always db. Backups to volume repos all run inside the one repo host, so two volume repos collide as well. Cloud-repo Jobs run " +
        "in their own pods since v6.0.0; whether two of them still collide was not verified, so different cloud repos are compared only " +
        "with acrossRepos. The first common minute is computed exactly; `@every` schedules longer than a minute are not compared.",
      bad: "schedules:\n  full: '0 1 * * 0'\n  incremental: '0 * * * *'",
      good: "schedules:\n  full: '0 1 * * 0'\n  incremental: '30 * * * *'",
      fix: "Shift one schedule so they never share a minute, e.g. incremental '30 * * * *' next to full '0 1 * * 0'.",
    },
  },
  check(resource, ctx) {
    const repos = reposOf(resource);
    if (!repos) return [];
    const groups = parsedSchedulesByRepo(resource, repos)
      .filter((g, i) => g.length > 0 && repos[i]!.number !== undefined)
      .slice(0, MAX_COMPARED);
    const pairs: [ParsedSchedule, ParsedSchedule][] = [];
    for (const [gi, group] of groups.entries()) {
      for (const [i, a] of group.entries()) {
        for (const b of group.slice(i + 1)) pairs.push([a, b]);
        for (const other of groups.slice(gi + 1)) {
          const bothVolume = a.repo.storage === "volume" && other[0]!.repo.storage === "volume";
          if (!bothVolume && !ctx.params.acrossRepos) continue;
          for (const b of other) pairs.push([a, b]);
        }
      }
    }
    const note = suspendedNote(resource);
    const problems: Problem[] = [];
    for (const [a, b] of pairs) {
      if (anchoredAtCreation(a) || anchoredAtCreation(b)) continue;
      const when = firstCommonMinute(a.schedule, b.schedule, ctx.now);
      if (!when) continue;
      const volume = a.repo.storage === "volume" && b.repo.storage === "volume";
      const why = volume
        ? "both Jobs run pgBackRest in the one repo host on stanza db, and one of them fails to get its backup lock (db-backup.lock)"
        : a.repo === b.repo
          ? "both Jobs back up stanza db to the same repo at once (before PGO v6 one of them failed on pgBackRest's backup lock; since v6 cloud-repo Jobs run in separate pods)"
          : "both Jobs back up stanza db at once";
      problems.push(
        problem(
          b.path,
          `${label(b)} fires in the same minute as ${label(a)}, first at ${formatUtcMinute(when)}: ${why}. ` +
            `Move it to minutes the other never uses (e.g. offset it by 30 minutes).${note}`,
        ),
      );
    }
    return problems;
  },
};
