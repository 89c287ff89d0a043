import { problem } from "../../../rules/util.ts";
import { APPLIES_TO, REPOS_PATH, reposOf } from "../model.ts";
import { CONTROLLER_PGBACKREST, issue, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

export const rule = defineRule({
  meta: {
    id: "pgo-offsite-repo",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: {},
    docs: {
      summary: "At least one repo should be off-site (s3, gcs or azure), not only volume repos.",
      rationale:
        `A volume repo is a PVC <cluster>-repoN with a controller ownerReference to the PostgresCluster (${operatorCode(CONTROLLER_PGBACKREST, 775, 782)}), ` +
        "so Kubernetes' garbage collector deletes it with the cluster (PGO has no option to keep it, " +
        `${issue(3387)}), and PGO deletes it itself when the repo leaves the spec (${operatorCode(CONTROLLER_PGBACKREST, 332, 345)}). It also ` +
        "shares the fate of the Kubernetes cluster and its storage. Set the action to deny to make an off-site repo mandatory.",
      bad: "repos:\n  - name: repo1\n    volume: {volumeClaimSpec: {...}}",
      good:
        "repos:\n  - name: repo1\n    volume: {volumeClaimSpec: {...}}\n" +
        "  - name: repo2\n    s3: {bucket: my-bucket, endpoint: s3.eu-west-1.amazonaws.com, region: eu-west-1}",
      fix: "Add a cloud repo (s3, gcs or azure) with its own schedules, retention and repoN-path.",
    },
  },
  check(resource) {
    const repos = reposOf(resource)?.filter((r) => r.obj);
    if (!repos || repos.length === 0) return [];
    if (repos.some((r) => r.storage !== undefined && r.storage !== "volume")) return [];
    if (!repos.some((r) => r.storage === "volume")) return []; // no storage at all: pgo-repo-storage-one-of
    const free = [1, 2, 3, 4].find((n) => !repos.some((r) => r.name === `repo${n}`));
    return [
      problem(
        REPOS_PATH,
        "every repo is a volume repo: its PVC is owned by the PostgresCluster, so deleting the cluster (or a mistaken kubectl delete) deletes the backups with the database. " +
          (free !== undefined
            ? `Add e.g. \`{name: repo${free}, s3: {bucket: <bucket>, endpoint: <endpoint>, region: <region>}}\` with its own schedules.`
            : "Move one of the repos to s3, gcs or azure."),
      ),
    ];
  },
});
