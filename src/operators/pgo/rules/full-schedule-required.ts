import type { Problem, Resource } from "../../../engine/types.ts";
import { placeholderOneOfNotChecked, problem } from "../../../rules/util.ts";
import { hasPlaceholder } from "../../../util/placeholder.ts";
import { isObject } from "../../../util/object.ts";
import { APPLIES_TO, REPOS_PATH, hasSchedule, pgbackrestOf, repoLabel, reposOf, standbyEnabled, type RepoView } from "../model.ts";
import { CONTROLLER_PGBACKREST, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

/**
 * The repos whose schedules this rule and pgo-repo-schedule-missing judge: the object entries of the repos list, none
 * without spec.backups.pgbackrest or for a standby (PGO suspends its CronJobs); undefined when there is none.
 */
export function scheduledRepos(resource: Resource): RepoView[] | undefined {
  if (!pgbackrestOf(resource) || standbyEnabled(resource)) return undefined;
  const repos = reposOf(resource)?.filter((r) => r.obj);
  return repos && repos.length > 0 ? repos : undefined;
}

interface Params {
  perRepo: boolean;
}

const REPO_NAMES = ["repo1", "repo2", "repo3", "repo4"];

/** Whether the mutating side's pgo-schedules adds schedules.full to this repo when it is named repo1..repo4. */
function defaultable(repo: RepoView): boolean {
  const s = repo.obj?.schedules;
  return repo.obj !== undefined && (s == null || (isObject(s) && s.full == null));
}

/**
 * For the repos of a cluster, the not-checked answer about a repo without schedules.full whose name still holds a
 * placeholder, or undefined. pgo-schedules adds a full schedule to every repo1..repo4 without one, but it cannot know
 * what `${REPO}` becomes, so it leaves that repo alone (a schedule derived from the wrong name is no default): once
 * substituted, the repo gets one at admission, so its missing full is not checked here. Judged as usual when the name
 * can become no repo1..repo4 that no other repo has taken (repos is a list-map keyed by name), and when a repo named
 * repo1..repo4 lacks its full schedule in the same way: then no defaulter ran (off, or --no-defaults), and no
 * substitution adds one.
 */
export function placeholderRepoNotChecked(repos: RepoView[]): (repo: RepoView) => Problem | undefined {
  if (repos.some((r) => r.number !== undefined && defaultable(r) && !hasSchedule(r, "full"))) return () => undefined;
  const taken = new Set(repos.flatMap((r) => (r.number !== undefined ? [r.name!] : [])));
  const free = REPO_NAMES.filter((n) => !taken.has(n));
  return (repo) =>
    hasPlaceholder(repo.name) && defaultable(repo) ? placeholderOneOfNotChecked(repo.name, free, `${repo.path}.name`, "the repo name") : undefined;
}

export const rule = defineRule<Params>({
  meta: {
    id: "pgo-full-schedule-required",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {
      perRepo: {
        type: "boolean",
        default: false,
        description: "Require schedules.full on every repo, not only on one of them.",
      },
    },
    docs: {
      summary: "At least one repo (every repo with perRepo) needs schedules.full.",
      rationale:
        "PGO creates one CronJob per schedules key of each repo and nothing else " +
        `(${operatorCode(CONTROLLER_PGBACKREST, 3090, 3129)}). Without schedules the only backup PGO ever takes is the one-off ` +
        `"replica-create" backup to repos[0] after the stanza is created (${operatorCode(CONTROLLER_PGBACKREST, 2757, 2761)}); it is not ` +
        "repeated, so the backup ages while WAL keeps piling up behind it, and a restore must replay everything since the cluster was " +
        "created. No upstream sample sets schedules. Not for a standby (spec.standby.enabled): PGO suspends its CronJobs and it " +
        "cannot back up until it is promoted, and then this rule applies. The mutating side adds a full schedule (pgo-schedules) " +
        "to repo1..repo4; a repo whose name still holds a `${...}` placeholder is not checked (it gets one once substituted).",
      bad: "repos:\n  - name: repo1\n    volume: {...}",
      good: "repos:\n  - name: repo1\n    volume: {...}\n    schedules:\n      full: '30 2 * * 0'\n      differential: '30 2 * * 1-6'",
      fix: "Add schedules.full to a repo (5-field Kubernetes cron, UTC), e.g. `schedules: {full: '30 2 * * 0', differential: '30 2 * * 1-6'}`.",
    },
  },
  check(resource, ctx) {
    const repos = scheduledRepos(resource);
    if (!repos) return [];
    const example = "`schedules: {full: '30 2 * * 0'}` (or another 5-field cron, evaluated in UTC)";
    const placeholder = placeholderRepoNotChecked(repos);
    if (ctx.params.perRepo === true) {
      const problems: Problem[] = [];
      for (const repo of repos) {
        if (hasSchedule(repo, "full")) continue;
        const unresolved = placeholder(repo);
        if (unresolved) {
          problems.push(unresolved);
          continue;
        }
        const where = isObject(repo.obj!.schedules) ? `${repo.path}.schedules` : repo.path;
        problems.push(
          problem(
            where,
            `${repoLabel(repo)} has no schedules.full, so PGO creates no full-backup CronJob for it and it never gets a fresh base backup. Add ${example}.`,
          ),
        );
      }
      return problems;
    }
    if (repos.some((r) => hasSchedule(r, "full"))) return [];
    // One repo that gets a full schedule once substituted satisfies the rule.
    for (const repo of repos) {
      const unresolved = placeholder(repo);
      if (unresolved) return [unresolved];
    }
    const first = repoLabel(repos[0]!);
    return [
      problem(
        REPOS_PATH,
        `no repo has schedules.full, so PGO creates no full-backup CronJob: the only backup it ever takes is the one-off replica-create backup to ${first} (repos[0]), ` +
          `which is never repeated, so restores must replay all WAL since then. Add ${example} to ${first}.`,
      ),
    ];
  },
});
