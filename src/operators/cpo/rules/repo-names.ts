import type { Problem } from "../../../engine/types.ts";
import { placeholderOneOfNotChecked, problem } from "../../../rules/util.ts";
import { APPLIES_TO, MAX_REPOS, REPOS_PATH, repoCount, reposOf, show } from "../model.ts";
import { containerCode, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

export const rule = defineRule({
  meta: {
    id: "cpo-repo-names",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "repos[i].name must be repo{i+1} (repo1 first), at most 4 repos.",
      rationale:
        "For pvc repos the operator builds the pgBackRest repo config (repo{i+1}-host) and the repo-host mount paths and volume names from " +
        "the list index, but the backup CronJobs (--repo=N) and the PVC template from `name`, so a list that is not repo1, repo2, ... in " +
        `order makes the config and the jobs disagree (${operatorCode("pkg/cluster/k8sres.go", 3288, 3308)}). The container's initial ` +
        `backup and its post-upgrade backup always go to --repo=1 (${containerCode("scripts/postgres/init_pgbackrest.sh", 21, 31)}), ` +
        "so repo1 must exist. The CRD allows only repo1..repo4.",
      bad: "repos:\n  - {name: repo2, storage: s3, ...}",
      good: "repos:\n  - {name: repo1, storage: s3, ...}",
      fix: "Name the repos repo1, repo2, ... in list order; keep at most 4.",
    },
  },
  check(resource) {
    const repos = reposOf(resource);
    if (!repos) return [];
    const problems: Problem[] = [];
    const count = repoCount(resource) ?? repos.length;
    if (count > MAX_REPOS) {
      problems.push(
        problem(
          REPOS_PATH,
          `repos has ${count} entries, but pgBackRest and the operator support only repo1..repo4 (the CRD refuses more): remove ${count - MAX_REPOS} of them. Entries after the ${MAX_REPOS}th are not checked by the other rules.`,
        ),
      );
    }
    for (const repo of repos) {
      if (!repo.obj || repo.index >= 4) continue;
      const want = `repo${repo.index + 1}`;
      if (repo.obj.name === want) continue;
      const unresolved = placeholderOneOfNotChecked(repo.obj.name, [want], `${repo.path}.name`, `repos[${repo.index}].name`);
      if (unresolved) {
        problems.push(unresolved);
        continue;
      }
      const got = repo.obj.name === undefined ? "has no name" : `is named ${show(repo.obj.name)}`;
      const extra = repo.index === 0 ? " The container's initial backup always uses --repo=1, so repo1 must come first." : "";
      problems.push(
        problem(
          `${repo.path}.name`,
          `repos[${repo.index}] ${got}: ${repo.storage === "pvc" ? `the operator derives this pvc repo's pgBackRest config and repo-host volume from the list position (${want}) but its backup jobs and PVC from the name, so they would disagree.` : `repos must be named repo1, repo2, ... in list order (the operator configures pvc repos by list position and backup jobs by name).`}${extra} Write \`name: ${want}\`.`,
        ),
      );
    }
    return problems;
  },
});
