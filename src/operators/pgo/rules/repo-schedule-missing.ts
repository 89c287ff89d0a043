import { BoundedProblems, problem } from "../../../rules/util.ts";
import { isObject } from "../../../util/object.ts";
import { APPLIES_TO, REPOS_PATH, hasAnySchedule, hasSchedule, repoLabel } from "../model.ts";
import { placeholderRepoNotChecked, scheduledRepos } from "./full-schedule-required.ts";
import { CONTROLLER_PGBACKREST, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

const FULL_RULE = "pgo-full-schedule-required";

export const rule = defineRule({
  meta: {
    id: "pgo-repo-schedule-missing",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: {},
    docs: {
      summary: "A repo without schedules.full gets WAL but no fresh full backups.",
      rationale:
        "PGO's archive_command pushes WAL to every configured repo (pgbackrest archive-push without --repo, " +
        `${operatorCode("internal/pgbackrest/postgres.go", 27, 34)}), but base backups come only from that repo's own CronJobs ` +
        `(${operatorCode(CONTROLLER_PGBACKREST, 3090, 3129)}) and, for repos[0] only, the one-off replica-create backup. A repo without ` +
        "schedules therefore holds WAL that no backup of its own can use; with only differential/incremental schedules pgBackRest turns " +
        "the first into a full and then chains every later backup on that one full forever, so nothing ever expires. Not reported when " +
        `${FULL_RULE} already reports the cluster (no repo has a full schedule, or its perRepo is true), nor for a standby. ` +
        "A repo whose name still holds a `${...}` placeholder is not checked: the mutating side (pgo-schedules) gives repo1..repo4 a " +
        "full schedule, and which one it becomes is known only once substituted.",
      bad: "repos:\n  - name: repo1\n    volume: {...}\n    schedules: {full: '30 2 * * 0'}\n  - name: repo2\n    s3: {...}",
      good: "repos:\n  - name: repo1\n    volume: {...}\n    schedules: {full: '30 2 * * 0'}\n  - name: repo2\n    s3: {...}\n    schedules: {full: '30 3 * * 0'}",
      fix: "Give every repo its own schedules.full (shifted from the other repos' schedules), or remove the repo.",
    },
  },
  check(resource, ctx) {
    const repos = scheduledRepos(resource);
    if (!repos) return [];
    if (ctx.ruleActive?.(FULL_RULE) ?? true) {
      if (ctx.ruleParams?.(FULL_RULE)?.perRepo === true) return [];
      if (!repos.some((r) => hasSchedule(r, "full"))) return [];
    }
    const listed = new BoundedProblems();
    const unresolved = new BoundedProblems();
    const placeholder = placeholderRepoNotChecked(repos);
    for (const repo of repos) {
      if (hasSchedule(repo, "full")) continue;
      const p = placeholder(repo);
      if (p) {
        unresolved.add(() => p);
        continue;
      }
      const label = repoLabel(repo);
      if (!hasAnySchedule(repo)) {
        listed.add(() =>
          problem(
            repo.path,
            `${label} has no schedules: PGO pushes WAL to it but never takes a backup to it${repo.index === 0 ? " after the one-off replica-create backup" : ""}, so it cannot restore anything recent on its own. ` +
              "Add `schedules: {full: '<cron>'}` (shifted from the other repos' schedules), or remove the repo.",
          ),
        );
      } else {
        listed.add(() =>
          problem(
            isObject(repo.obj!.schedules) ? `${repo.path}.schedules` : repo.path,
            `${label} has differential/incremental schedules but no full: pgBackRest turns the first into a full backup and chains every later one on it, ` +
              "so the repo never gets a fresh full and nothing ever expires. Add schedules.full (e.g. weekly, '30 2 * * 0').",
          ),
        );
      }
    }
    return [
      ...listed.finish(REPOS_PATH, "repos without a full schedule"),
      ...unresolved.finish(REPOS_PATH, "repos named by a placeholder").map((p) => ({ ...p, notChecked: true, cause: "placeholder" as const })),
    ];
  },
});
