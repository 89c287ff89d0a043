import type { Problem } from "../../../engine/types.ts";
import { problem } from "../../../rules/util.ts";
import { isObject } from "../../../util/object.ts";
import { APPLIES_TO, REPOS_PATH, hasSchedule, pgbackrestOf, repoLabel, reposOf, standbyEnabled } from "../model.ts";
import { CONTROLLER_PGBACKREST, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

interface Params {
  perRepo: boolean;
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
        "cannot back up until it is promoted, and then this rule applies. The mutating side adds a full schedule (pgo-schedules).",
      bad: "repos:\n  - name: repo1\n    volume: {...}",
      good: "repos:\n  - name: repo1\n    volume: {...}\n    schedules:\n      full: '30 2 * * 0'\n      differential: '30 2 * * 1-6'",
      fix: "Add schedules.full to a repo (5-field Kubernetes cron, UTC), e.g. `schedules: {full: '30 2 * * 0', differential: '30 2 * * 1-6'}`.",
    },
  },
  check(resource, ctx) {
    if (!pgbackrestOf(resource) || standbyEnabled(resource)) return [];
    const repos = reposOf(resource)?.filter((r) => r.obj);
    if (!repos || repos.length === 0) return [];
    const example = "`schedules: {full: '30 2 * * 0'}` (or another 5-field cron, evaluated in UTC)";
    if (ctx.params.perRepo === true) {
      const problems: Problem[] = [];
      for (const repo of repos) {
        if (hasSchedule(repo, "full")) continue;
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
