import { BoundedProblems, placeholderScheduleNotChecked, problem } from "../../../rules/util.ts";
import { collisionParams, collisions, formatUtcMinute, scheduleLabel, type CollisionParams } from "../../pgbackrest/schedules.ts";
import { APPLIES_TO, parsedSchedulesByRepo, reposOf, suspendedNote, type ParsedSchedule } from "../model.ts";
import { scheduleSources } from "../sources.ts";
import { CONTROLLER_PGBACKREST, issue, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

type Params = CollisionParams;

/** Only repo1..repo4 can work (pgo-repo-names reports the rest): at most 4 repos x 3 types are compared pairwise. */
const MAX_COMPARED = 4;

function label(s: ParsedSchedule): string {
  return scheduleLabel(s.repo, s.key, s.text);
}

/** Why two colliding Jobs fail (or may): volume repos share the one repo host. */
function why(a: ParsedSchedule, b: ParsedSchedule): string {
  if (a.repo.storage === "volume" && b.repo.storage === "volume") {
    return "both Jobs run pgBackRest in the one repo host on stanza db, and one of them fails to get its backup lock (db-backup.lock)";
  }
  return a.repo === b.repo
    ? "both Jobs back up stanza db to the same repo at once (before PGO v6 one of them failed on pgBackRest's backup lock; since v6 cloud-repo Jobs run in separate pods)"
    : "both Jobs back up stanza db at once";
}

export const rule = defineRule<Params>({
  meta: {
    id: "pgo-schedule-collision",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: collisionParams(
      "Also compare schedules of different cloud repos (volume repos are always compared with each other).",
    ),
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
    // Volume repos are always compared with each other (one repo host); cloud repos only with acrossRepos.
    const across = (a: ParsedSchedule, other: readonly ParsedSchedule[]) =>
      (a.repo.storage === "volume" && other[0]!.repo.storage === "volume") || Boolean(ctx.params.acrossRepos);
    const note = suspendedNote(resource);
    const found = collisions(groups, across, ctx.now).map(({ a, b, when }) =>
      problem(
        b.path,
        `${label(b)} fires in the same minute as ${label(a)}, first at ${formatUtcMinute(when)}: ${why(a, b)}. ` +
          `Move it to minutes the other never uses (e.g. offset it by 30 minutes).${note}`,
      ),
    );
    // A schedule still holding a placeholder is compared once substituted: not checked, when it has a schedule to meet.
    const sources = scheduleSources(resource).filter((s) => s.repoIndex !== undefined && repos[s.repoIndex]?.number !== undefined);
    const meets = (s: number, o: number) =>
      s === o || Boolean(ctx.params.acrossRepos) || (repos[s]!.storage === "volume" && repos[o]!.storage === "volume");
    const unresolved = new BoundedProblems();
    for (const s of sources) {
      const p = placeholderScheduleNotChecked(s.text, s.path);
      if (p && sources.some((o) => o !== s && o.text !== null && meets(s.repoIndex!, o.repoIndex!))) unresolved.add(() => p);
    }
    const more = unresolved.finish("spec.backups.pgbackrest.repos", "schedules holding a placeholder");
    return [...found, ...more.map((p) => ({ ...p, notChecked: true, cause: "placeholder" as const }))];
  },
});
