import type { Resource } from "../../../engine/types.ts";
import { problem } from "../../../rules/util.ts";
import { getPath, isObject } from "../../../util/object.ts";
import { APPLIES_TO, BACKUPS_PATH, PGBACKREST_PATH, list, metadataName, reposOf, type RepoView } from "../model.ts";
import { CONTROLLER_PGBACKREST, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

const AUTHORIZE = "postgres-operator.crunchydata.com/authorizeBackupRemoval";
const EXEMPT = "to retire those backups on purpose, exempt this rule with pgbackupguard.io/exempt: pgo-repo-removal and a reason";

function volumeRepos(resource: Resource): RepoView[] {
  if (!isObject(getPath(resource, PGBACKREST_PATH))) return [];
  return (reposOf(resource) ?? []).filter((r) => r.storage === "volume" && r.name !== undefined);
}

export const rule = defineRule({
  meta: {
    id: "pgo-repo-removal",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "An update must not remove a volume repo, change it to cloud storage, or remove spec.backups: PGO deletes the repo's PVC.",
      rationale:
        "PGO deletes every repo PVC (<cluster>-repoN) whose repo is no longer a volume repo of the spec on the next reconcile: a repo removed, " +
        `renamed, or changed to s3/gcs/azure loses all its backups (${operatorCode(CONTROLLER_PGBACKREST, 332, 345)}). Removing spec.backups ` +
        "while a repo host exists pauses reconciliation of the whole cluster (condition Progressing=False, reason Paused) until the " +
        `annotation ${AUTHORIZE}: "true" is set; then every pgBackRest object, PVCs included, is deleted ` +
        `(${operatorCode(CONTROLLER_PGBACKREST, 3268, 3297)}, ${operatorCode(CONTROLLER_PGBACKREST, 295, 414)}). Only checked on UPDATE (the webhook); ` +
        "the CLI has no old object.",
      bad: "# before: repos: [{name: repo1, volume: {...}}]\nrepos:\n  - {name: repo1, s3: {...}}",
      good: "repos:\n  - {name: repo1, volume: {...}}\n  - {name: repo2, s3: {...}}",
      fix: "Keep the volume repo and add the new storage as another repo; once the new repo has a full backup and the old backups may go, remove it with an exemption.",
    },
  },
  check(resource, ctx) {
    if (ctx.operation !== "UPDATE" || !ctx.oldResource) return [];
    const before = volumeRepos(ctx.oldResource);
    if (before.length === 0) return [];
    const pvc = (r: RepoView) => `${metadataName(resource) ?? "<cluster>"}-${r.name}`;
    if (!isObject(getPath(resource, PGBACKREST_PATH))) {
      const authorized = resource.metadata?.annotations?.[AUTHORIZE] === "true";
      return [
        problem(
          BACKUPS_PATH,
          `this update removes spec.backups.pgbackrest while ${list(before.map((r) => r.name!))} ${before.length > 1 ? "are volume repos" : "is a volume repo"}: ` +
            (authorized
              ? `with ${AUTHORIZE}: "true" PGO deletes the repo host and the PVC${before.length > 1 ? "s" : ""} ${list(before.map(pvc))} with every backup in them, and WAL is thrown away from then on.`
              : `PGO pauses reconciliation of the whole cluster until ${AUTHORIZE}: "true" is set, and then deletes the PVC${before.length > 1 ? "s" : ""} ${list(before.map(pvc))} with every backup in them.`) +
            ` Keep spec.backups; ${EXEMPT}.`,
        ),
      ];
    }
    const now = new Map((reposOf(resource) ?? []).filter((r) => r.name !== undefined).map((r) => [r.name!, r]));
    const lost = before
      .map((old) => ({ old, repo: now.get(old.name!) }))
      .filter(({ repo }) => repo?.storage !== "volume");
    if (lost.length === 0) return [];
    return lost.map(({ old, repo }) =>
      problem(
        repo ? repo.path : `${PGBACKREST_PATH}.repos`,
        `this update ${repo ? `changes ${old.name} from a volume repo to ${repo.storage ?? "no storage"}` : `removes the volume repo ${old.name}`}: ` +
          `PGO then deletes its PVC ${pvc(old)} with every backup in it. Keep it (add new storage as another repo); ${EXEMPT}.`,
      ),
    );
  },
});
