import { placeholderNotChecked, problem } from "../../../rules/util.ts";
import { getPath, isObject } from "../../../util/object.ts";
import { APPLIES_TO, REPO_NAME, RESTORE_PATH, reposOf, show } from "../model.ts";
import { CPO_DOCS, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

export const rule = defineRule({
  meta: {
    id: "cpo-restore-repo-required",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "A restore (restore.id set) needs restore.repo naming one of the repos (repo1..repo4).",
      rationale:
        `The operator scales the cluster to 0 and then records the restore (${operatorCode("pkg/cluster/restore.go", 64, 73)}), ` +
        "which calls repoNumberFromName(restore.repo): an empty repo panics " +
        `(${operatorCode("pkg/cluster/k8sres.go", 3647, 3654)}), the operator has no recover(), and it ` +
        "crash-loops for every cluster while this one stays down. The CRD does not require repo. A repo that is not in repos makes " +
        "pgBackRest fail the restore after the downtime has started. The docs' full restore example omits repo, and its PITR fragment " +
        `uses repo: '1', which the CRD pattern ^repo[1-4]$ rejects (${CPO_DOCS}/restore/).`,
      bad: "restore:\n  id: '1'\n  options: {type: time, target: '2024-05-16 07:46:05+00'}",
      good: "restore:\n  id: '1'\n  repo: repo1\n  options: {type: time, target: '2024-05-16 07:46:05+00'}",
      fix: "Set restore.repo to the repo holding the backup, e.g. `repo: repo1` (not '1').",
    },
  },
  check(resource) {
    const restore = getPath(resource, RESTORE_PATH);
    if (!isObject(restore)) return [];
    const id = restore.id;
    if (id == null || id === "") return []; // no restore is triggered
    const repo = restore.repo;
    const path = `${RESTORE_PATH}.repo`;
    const repos = reposOf(resource) ?? [];
    const names = repos.map((r) => r.name).filter((n): n is string => n !== undefined && REPO_NAME.test(n));
    const suggest = names[0] ?? "repo1";
    if (repo == null || repo === "") {
      return [
        problem(
          repo == null ? RESTORE_PATH : path,
          `restore.id is ${show(id)} but restore.repo is not set: the operator stops the cluster and then panics on the empty repo name, crash-looping for every cluster it manages. ` +
            `Add \`repo: ${suggest}\`.`,
        ),
      ];
    }
    const unresolved = placeholderNotChecked(repo, path, "restore.repo");
    if (unresolved) return [unresolved];
    if (typeof repo !== "string" || !REPO_NAME.test(repo)) {
      const digit = typeof repo === "string" && /^[1-4]$/.test(repo) ? `repo${repo}` : suggest;
      return [problem(path, `restore.repo is ${show(repo)}, but it must be a repo name repo1..repo4 (the CRD pattern ^repo[1-4]$ rejects anything else). Write \`repo: ${digit}\`.`)];
    }
    if (names.length > 0 && !names.includes(repo)) {
      return [
        problem(
          path,
          `restore.repo is ${repo}, which is not one of the repos (${names.join(", ")}): pgBackRest would fail the restore after the operator has already stopped the cluster. ` +
            `Use one of: ${names.join(", ")}.`,
        ),
      ];
    }
    return [];
  },
});
