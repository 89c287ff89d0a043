import type { Problem } from "../../../engine/types.ts";
import { problem } from "../../../rules/util.ts";
import { getPath } from "../../../util/object.ts";
import { APPLIES_TO, GLOBAL_PATH, globalOf, hasAnySchedule, pgbackrestOf, reposOf, show, standbyEnabled } from "../model.ts";
import { PGBACKREST_CONFIG, issue, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

export const rule = defineRule({
  meta: {
    id: "pgo-retention-required",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "global must set repoN-retention-full for every repo with backup schedules.",
      rationale:
        "PGO sets no retention option at all: its generated pgBackRest configuration holds repoN-path, the storage keys and what " +
        `global adds (${operatorCode(PGBACKREST_CONFIG, 360, 419)}). pgBackRest then never expires a full backup (it warns "option ` +
        "'repo1-retention-full' is not set ... the repository may run out of space\" in every backup Job's log, nowhere else), and WAL is " +
        `kept from the oldest backup on, so the repo grows until it is full and archiving and backups fail (${issue(3814)}, ${issue(2143)}, ` +
        `${issue(3020)}). Only repos with schedules are checked: expiry runs after backups, so a repo without any has nothing to expire. ` +
        "Not for a standby (it takes no backups until promoted). Retention written in a file projected through configuration[] cannot " +
        "be seen here: exempt the rule for such a cluster. Values are checked by pgo-retention-values; the mutating side adds " +
        "retention on CREATE (pgo-retention-full).",
      bad: "global:\n  repo1-path: /pgbackrest/prod/hippo/repo1\nrepos:\n  - {name: repo1, s3: {...}, schedules: {full: '30 2 * * 0'}}",
      good:
        "global:\n  repo1-path: /pgbackrest/prod/hippo/repo1\n  repo1-retention-full: '4'\n  repo1-retention-full-type: count\n" +
        "repos:\n  - {name: repo1, s3: {...}, schedules: {full: '30 2 * * 0'}}",
      fix: "Add `repoN-retention-full: '<number>'` (and `repoN-retention-full-type: count` or `time`, in days) to spec.backups.pgbackrest.global for each scheduled repo.",
    },
  },
  check(resource) {
    if (!pgbackrestOf(resource) || standbyEnabled(resource)) return [];
    const repos = reposOf(resource);
    if (!repos) return [];
    const rawGlobal = getPath(resource, GLOBAL_PATH);
    if (rawGlobal != null && globalOf(resource) === undefined) {
      return [problem(GLOBAL_PATH, `global is ${show(rawGlobal)}, not a map of strings: write e.g. \`global: {repo1-retention-full: '4'}\`.`)];
    }
    const global = globalOf(resource) ?? {};
    const problems: Problem[] = [];
    for (const repo of repos) {
      if (repo.number === undefined || !hasAnySchedule(repo)) continue;
      const key = `${repo.name}-retention-full`;
      if (global[key] != null) continue;
      problems.push(
        problem(
          GLOBAL_PATH,
          `global has no ${key}: pgBackRest then never expires full backups of ${repo.name} nor the WAL they need, so the repo grows until it is full and backups and archiving fail. ` +
            `Add \`${key}: '4'\` (full backups to keep) and \`${key}-type: count\`.`,
        ),
      );
    }
    return problems;
  },
});
