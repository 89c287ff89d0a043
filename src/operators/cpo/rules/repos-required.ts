import { placeholderOneOfNotChecked, problem } from "../../../rules/util.ts";
import { getPath } from "../../../util/object.ts";
import { APPLIES_TO, MAX_REPOS, REPOS_PATH, STORAGE_TYPES, pgbackrestOf, repoView, show, standbySource } from "../model.ts";
import { operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

interface Params {
  allowedStorage: string[];
}

export const rule = defineRule<Params>({
  meta: {
    id: "cpo-repos-required",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {
      allowedStorage: {
        type: "array",
        items: { enum: [...STORAGE_TYPES] },
        uniqueItems: true,
        minItems: 1,
        default: [...STORAGE_TYPES],
        description: "Storage types a repo may use (the operator knows s3, gcs, azure, pvc).",
      },
    },
    docs: {
      summary: "spec.backup.pgbackrest.repos must list at least one repo, each with an allowed storage type.",
      rationale:
        "Not for a standby cluster (spec.standby with standby_host or a WAL path): it cannot take backups until it is promoted by removing spec.standby, and then this rule applies. " +
        "repos is required by the CRD, but the schema the operator registers by default marks it nullable: `repos: null` is accepted " +
        `(${operatorCode("pkg/apis/cpo.opensource.cybertec.at/v1/crds.go", 1343, 1348)}) and leaves pgBackRest without any repo config ` +
        "(it falls back to its default posix repo inside the pod) and the cluster without backup CronJobs " +
        `(${operatorCode("pkg/cluster/sync.go", 1748, 1827)}). A repo without a known \`storage\` (s3, gcs, azure, pvc) gets no ` +
        "configuration. Admins can restrict the storage types with `allowedStorage`.",
      bad: "pgbackrest:\n  image: ...\n  repos: null",
      good: "pgbackrest:\n  image: ...\n  repos:\n    - {name: repo1, storage: s3, resource: my-bucket, endpoint: s3.example.com, region: eu-1, schedule: {full: '30 2 * * *'}}",
      fix: "List at least one repo under repos, named repo1, with storage one of the allowed types.",
    },
  },
  check(resource, ctx) {
    // A standby cannot take backups (cpo-standby-backups); the rule applies once spec.standby is removed to promote it.
    if (standbySource(resource)) return [];
    const pgbackrest = pgbackrestOf(resource);
    if (!pgbackrest) return []; // cpo-pgbackrest-required reports that
    const repos = getPath(resource, REPOS_PATH);
    if (!Array.isArray(repos) || repos.length === 0) {
      const what = repos === undefined ? "is missing" : Array.isArray(repos) ? "is empty" : `is ${show(repos)}`;
      return [
        problem(
          REPOS_PATH,
          `repos ${what}: pgBackRest then has no repository, so no backup CronJob is created and backups go nowhere usable. ` +
            "Add at least one repo, e.g. `repos: [{name: repo1, storage: s3, resource: <bucket>, endpoint: <endpoint>, region: <region>, schedule: {full: '30 2 * * *'}}]`.",
        ),
      ];
    }
    const allowed = Array.isArray(ctx.params.allowedStorage) ? ctx.params.allowedStorage : [...STORAGE_TYPES];
    const problems = [];
    // Only repo1..repo4 can exist (MAX_REPOS); cpo-repo-names denies a longer list.
    for (const [i, raw] of repos.slice(0, MAX_REPOS).entries()) {
      const repo = repoView(raw, i);
      if (!repo.obj) {
        problems.push(problem(repo.path, `repos[${i}] is ${show(raw)}, not a repo map: write {name: repo${i + 1}, storage: <${allowed.join("|")}>, ...}.`));
        continue;
      }
      const unresolved = placeholderOneOfNotChecked(repo.obj.storage, allowed, `${repo.path}.storage`, `repos[${i}].storage`);
      if (unresolved) {
        problems.push(unresolved);
        continue;
      }
      if (repo.storage === undefined || !allowed.includes(repo.storage)) {
        const got = repo.obj.storage === undefined ? "has no storage" : `has storage ${show(repo.obj.storage)}`;
        const known = (STORAGE_TYPES as readonly unknown[]).includes(repo.obj.storage);
        const why = known
          ? "which this policy does not allow"
          : repo.obj.storage === undefined
            ? "so the operator writes no repository configuration for it"
            : "which the operator does not know, so the repo gets no configuration";
        problems.push(
          problem(`${repo.path}.storage`, `repos[${i}] ${got}, ${why}. Set storage to one of: ${allowed.join(", ")}.`),
        );
      }
    }
    return problems;
  },
});
