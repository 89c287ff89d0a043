import type { Problem } from "../../../engine/types.ts";
import { BoundedProblems, placeholderOneOfNotChecked, problem } from "../../../rules/util.ts";
import { getPath } from "../../../util/object.ts";
import { APPLIES_TO, MAX_REPOS, REPOS_PATH, reposOf, show } from "../model.ts";
import { CONTROLLER_PGBACKREST, PGBACKREST_CONFIG, crdLines, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

const REPO_NAMES = ["repo1", "repo2", "repo3", "repo4"];

export const rule = defineRule({
  meta: {
    id: "pgo-repo-names",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "repos[].name must be exactly repo1, repo2, repo3 or repo4.",
      rationale:
        `The CRD's pattern ^repo[1-4] is not anchored at the end (${crdLines(3072)}), so the API server accepts repo1x or repo12. ` +
        `PGO writes pgBackRest options under the name as is (\`<name>-path\`, \`<name>-s3-bucket\`: ${operatorCode(PGBACKREST_CONFIG, 382, 391)}) ` +
        `but passes the repo to pgBackRest as --repo=<first digits of the name> (${operatorCode(CONTROLLER_PGBACKREST, 106, 107)}, ` +
        `${operatorCode(CONTROLLER_PGBACKREST, 793, 797)}): for repo1x the options are invalid for pgBackRest, for repo12 --repo=12 ` +
        "names a repo with no options; both break archiving and backups. Only four repos can be valid, so more entries are reported too.",
      bad: "repos:\n  - name: repo-s3\n    s3: {...}",
      good: "repos:\n  - name: repo1\n    s3: {...}",
      fix: "Name the repos repo1..repo4 (each at most once).",
    },
  },
  check(resource) {
    const raw = getPath(resource, REPOS_PATH);
    const repos = reposOf(resource);
    if (!Array.isArray(raw) || !repos) return [];
    const listed = new BoundedProblems();
    const unresolved: Problem[] = [];
    for (const repo of repos) {
      if (!repo.obj || repo.number !== undefined) continue;
      const name = repo.name;
      if (name === undefined) {
        listed.add(() => problem(repo.path, `repos[${repo.index}] has no name (the CRD requires one): name it repo1, repo2, repo3 or repo4.`));
        continue;
      }
      const notChecked = placeholderOneOfNotChecked(name, REPO_NAMES, `${repo.path}.name`, "repo name");
      if (notChecked) {
        unresolved.push(notChecked);
        continue;
      }
      listed.add(() => {
        const digits = /\d+/.exec(name)?.[0];
        const effect = `PGO writes its options as ${name}-path, ${name}-… but runs backups with --repo=${digits}`;
        const shown = show(name.length > 40 ? `${name.slice(0, 37)}...` : name);
        if (!/^repo[1-4]/.test(name)) {
          return problem(`${repo.path}.name`, `repo name ${shown} is not repo1..repo4: the API server rejects it (CRD pattern ^repo[1-4]). Rename it to repo1, repo2, repo3 or repo4.`);
        }
        return problem(
          `${repo.path}.name`,
          `repo name ${shown} is not repo1..repo4: the CRD pattern ^repo[1-4] is not anchored, so it is accepted, but ${effect}, and pgBackRest refuses the configuration or uses the wrong repo. Rename it to repo1, repo2, repo3 or repo4.`,
        );
      });
    }
    const out = [...unresolved, ...listed.finish(REPOS_PATH, "repos with an invalid name")];
    if (raw.length > 4) {
      out.push(
        problem(
          REPOS_PATH,
          `repos has ${raw.length} entries: pgBackRest in PGO supports only repo1..repo4, so at most four can work` +
            (raw.length > MAX_REPOS ? ` (only the first ${MAX_REPOS} were read)` : "") +
            ". Remove the others.",
        ),
      );
    }
    return out;
  },
});
