import type { Problem, Rule } from "../../engine/types.ts";
import { problem } from "../util.ts";
import { APPLIES_TO, REPOS_PATH, reposOf, show } from "./model.ts";

export const rule: Rule = {
  meta: {
    id: "cpo-repo-names",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "repos[i].name must be repo{i+1} (repo1 first), at most 4 repos.",
      rationale:
        "The operator builds PVC repo config, repo-host mount paths and volume names from the list index (repo{i+1}) but the CronJobs and the " +
        "PVC template from `name`, so a list that is not repo1, repo2, ... in order makes the config and the jobs disagree. The bootstrap " +
        "backup and the post-upgrade backup always go to --repo=1, so repo1 must exist. The CRD allows only repo1..repo4 " +
        "(research/cpo.md §b, §c 'Order matters').",
      bad: "repos:\n  - {name: repo2, storage: s3, ...}",
      good: "repos:\n  - {name: repo1, storage: s3, ...}",
      fix: "Name the repos repo1, repo2, ... in list order; keep at most 4.",
    },
  },
  check(resource) {
    const repos = reposOf(resource);
    if (!repos) return [];
    const problems: Problem[] = [];
    if (repos.length > 4) {
      problems.push(
        problem(REPOS_PATH, `repos has ${repos.length} entries, but pgBackRest and the operator support only repo1..repo4: remove ${repos.length - 4} of them.`),
      );
    }
    for (const repo of repos) {
      if (!repo.obj || repo.index >= 4) continue;
      const want = `repo${repo.index + 1}`;
      if (repo.obj.name === want) continue;
      const got = repo.obj.name === undefined ? "has no name" : `is named ${show(repo.obj.name)}`;
      const extra = repo.index === 0 ? " The operator's bootstrap backup always uses --repo=1, so repo1 must come first." : "";
      problems.push(
        problem(
          `${repo.path}.name`,
          `repos[${repo.index}] ${got}: the operator derives PVC paths and repo-host config from the list position (${want}) but the backup jobs from the name, so they would disagree.${extra} Write \`name: ${want}\`.`,
        ),
      );
    }
    return problems;
  },
};
