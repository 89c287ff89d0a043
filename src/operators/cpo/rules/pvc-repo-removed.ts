import type { Resource } from "../../../engine/types.ts";
import { problem } from "../../../rules/util.ts";
import { getPath, isObject } from "../../../util/object.ts";
import { APPLIES_TO, PGBACKREST_PATH, REPOS_PATH, reposOf, type RepoView } from "../model.ts";
import { operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

function repoLabel(r: RepoView): string {
  return r.name ?? `repo${r.index + 1}`;
}

/** The pvc repos the operator sees (specHasPgbackrestPVCRepo): none without spec.backup.pgbackrest. */
function pvcRepos(resource: Resource): RepoView[] {
  if (!isObject(getPath(resource, PGBACKREST_PATH))) return [];
  return (reposOf(resource) ?? []).filter((r) => r.storage === "pvc");
}

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

const EXEMPT = "to retire those backups on purpose, exempt this rule with pgbackupguard.io/exempt: cpo-pvc-repo-removed and a reason";

export const rule = defineRule({
  meta: {
    id: "cpo-pvc-repo-removed",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary:
        "An update must not remove the last pvc repo (deleting it, changing its storage, or removing spec.backup): the operator then deletes the backup PVCs.",
      rationale:
        "The operator keeps one repo-host StatefulSet with one PVC per pvc repo. Only when the spec no longer has any pvc repo " +
        "(spec.backup.pgbackrest removed, repos empty, or the last pvc repo removed or moved to other storage) does it delete that " +
        "StatefulSet and every PVC in the namespace whose name contains <cluster>-pgbackrest-repo-host, so every backup in them is gone " +
        "(and any other cluster's repo-host PVCs whose names contain that string). Removing one pvc repo while another remains only " +
        "recreates the StatefulSet without that volume claim (orphan deletion): the dropped repo's PVC stays, so this rule does not " +
        "fire then; it is deleted with the others once the last pvc repo goes. " +
        `See ${operatorCode("pkg/cluster/sync.go", 1690, 1716)} and ${operatorCode("pkg/cluster/volumes.go", 265, 288)}. ` +
        "Only checked on UPDATE (the webhook); the CLI has no old object.",
      bad: "# before: repos: [{name: repo1, storage: pvc, ...}]\nrepos:\n  - {name: repo1, storage: s3, ...}",
      good: "repos:\n  - {name: repo1, storage: pvc, ...}\n  - {name: repo2, storage: s3, ...}",
      fix: "Keep the pvc repo and add the new repo next to it; once the new repo has a full backup and the old backups may go, remove it with an exemption (pgbackupguard.io/exempt: cpo-pvc-repo-removed).",
    },
  },
  check(resource, ctx) {
    if (ctx.operation !== "UPDATE" || !ctx.oldResource) return [];
    const before = pvcRepos(ctx.oldResource);
    if (before.length === 0) return [];
    if (pvcRepos(resource).length > 0) return []; // the repo-host and its PVCs stay
    const names = before.map(repoLabel);
    const were = names.length > 1 ? `${list(names)} were pvc repos` : `${names[0]} was a pvc repo`;
    const consequence =
      "the operator then deletes the repo-host StatefulSet and every PVC whose name contains " +
      `${resource.metadata?.name ?? "<cluster>"}-pgbackrest-repo-host, with every backup in ${names.length > 1 ? "those repos" : "that repo"}`;
    if (!isObject(getPath(resource, PGBACKREST_PATH))) {
      return [
        problem(
          "spec.backup",
          `this update removes spec.backup.pgbackrest while ${were}: ${consequence}, and WAL archiving stops. Keep spec.backup.pgbackrest; ${EXEMPT}.`,
        ),
      ];
    }
    const now = new Map((reposOf(resource) ?? []).map((r) => [repoLabel(r), r]));
    const changes = before.map((old) => {
      const repo = now.get(repoLabel(old));
      return repo ? { repo, text: `changes ${repoLabel(old)}'s storage from pvc to ${repo.storage ?? "nothing"}` } : { text: `removes the pvc repo ${repoLabel(old)}` };
    });
    const only = changes.length === 1 ? changes[0]!.repo : undefined;
    return [
      problem(
        only ? `${only.path}.storage` : REPOS_PATH,
        `this update ${list(changes.map((c) => c.text))}, so no pvc repo is left: ${consequence}. ` +
          `Keep at least one pvc repo (add new storage as another repo); ${EXEMPT}.`,
      ),
    ];
  },
});
