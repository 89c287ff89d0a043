import type { Problem, Resource, Rule } from "../../engine/types.ts";
import { problem } from "../util.ts";
import { getPath } from "../../util/object.ts";
import { APPLIES_TO, PGBACKREST_PATH, REPOS_PATH, reposOf } from "./model.ts";

function pvcRepoNames(resource: Resource): string[] {
  return (reposOf(resource) ?? []).filter((r) => r.storage === "pvc").map((r) => r.name ?? `repo${r.index + 1}`);
}

export const rule: Rule = {
  meta: {
    id: "cpo-pvc-repo-removed",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "An update must not remove a pvc repo, change its storage, or remove spec.backup (the operator deletes the backup PVCs).",
      rationale:
        "When the spec stops having a pvc repo, syncPgbackrestRepoHostConfig calls deletePgbackrestRepoHostObjects, which deletes the " +
        "repo-host StatefulSet and its PVCs: every backup in that repo is gone. Removing spec.backup also deletes the CronJobs and sets " +
        "archive_command to /bin/true (research/cpo.md §c 'Destructive updates'). Only checked on UPDATE (the webhook); the CLI has no old object.",
      bad: "# before: repos: [{name: repo1, storage: pvc, ...}]\nrepos:\n  - {name: repo1, storage: s3, ...}",
      good: "repos:\n  - {name: repo1, storage: pvc, ...}\n  - {name: repo2, storage: s3, ...}",
      fix: "Keep the pvc repo and add the new repo next to it; once the new repo has a full backup and the old backups may go, remove it with an exemption (pgbackupguard.io/exempt: cpo-pvc-repo-removed).",
    },
  },
  check(resource, ctx) {
    if (ctx.operation !== "UPDATE" || !ctx.oldResource) return [];
    const before = pvcRepoNames(ctx.oldResource);
    if (before.length === 0) return [];
    if (getPath(resource, "spec.backup") == null || getPath(resource, PGBACKREST_PATH) == null) {
      return [
        problem(
          "spec.backup",
          `this update removes spec.backup.pgbackrest while ${before.join(", ")} ${before.length > 1 ? "are pvc repos" : "is a pvc repo"}: the operator then deletes the repo-host PVCs with every backup in them, ` +
            "and WAL archiving stops. Keep spec.backup.pgbackrest; to retire the backups on purpose, exempt this rule with pgbackupguard.io/exempt: cpo-pvc-repo-removed and a reason.",
        ),
      ];
    }
    const now = new Map((reposOf(resource) ?? []).map((r) => [r.name ?? `repo${r.index + 1}`, r]));
    const problems: Problem[] = [];
    for (const name of before) {
      const repo = now.get(name);
      if (repo?.storage === "pvc") continue;
      const change = repo ? `changes ${name}'s storage from pvc to ${repo.storage ?? "nothing"}` : `removes the pvc repo ${name}`;
      problems.push(
        problem(
          repo ? `${repo.path}.storage` : REPOS_PATH,
          `this update ${change}: the operator deletes that repo's PVC on the repo host, and every backup in it is lost. ` +
            `Keep ${name} as a pvc repo and add new storage as another repo; to drop the backups on purpose, exempt this rule with pgbackupguard.io/exempt: cpo-pvc-repo-removed and a reason.`,
        ),
      );
    }
    return problems;
  },
};
