import { BoundedProblems, problem } from "../../../rules/util.ts";
import { getPath } from "../../../util/object.ts";
import { APPLIES_TO, PGBACKREST_PATH, REPOS_PATH, globalOf, reposOf } from "../model.ts";
import { PGBACKREST_OPTIONS, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

/** Global options that supply a cloud repo's credentials without a projected file. */
const CREDENTIAL_KEYS: Record<string, readonly string[]> = {
  s3: ["s3-key-type", "s3-key", "s3-role"],
  gcs: ["gcs-key-type", "gcs-key"],
  azure: ["azure-key-type", "azure-key"],
};

export const rule = defineRule({
  meta: {
    id: "pgo-cloud-repo-credentials",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: {},
    docs: {
      summary: "A cloud repo needs credentials: a configuration[] projection (e.g. a Secret with s3.conf) or a repoN-*-key-type in global.",
      rationale:
        "PGO writes only the bucket/container, endpoint and region of a cloud repo into pgBackRest's configuration " +
        `(${operatorCode("internal/pgbackrest/config.go", 537, 557)}); keys come from the files projected by spec.backups.pgbackrest.configuration ` +
        `into /etc/pgbackrest/conf.d (${operatorCode("internal/pgbackrest/reconcile.go", 118, 128)}), or from global (repoN-s3-key-type: auto ` +
        `or web-id for IAM roles, repoN-gcs-key-type: auto, repoN-azure-key-type: auto, ${PGBACKREST_OPTIONS}). Without either, stanza-create, ` +
        "archive-push and every backup fail with an authentication error; when the repo is repos[0], the replica-create backup never " +
        "finishes and PGO creates no CronJob for any repo.",
      bad: "backups:\n  pgbackrest:\n    repos:\n      - {name: repo1, s3: {bucket: b, endpoint: e, region: r}}",
      good:
        "backups:\n  pgbackrest:\n    configuration:\n      - secret: {name: pgo-s3-creds}   # s3.conf: [global] repo1-s3-key=... repo1-s3-key-secret=...\n" +
        "    repos:\n      - {name: repo1, s3: {bucket: b, endpoint: e, region: r}}",
      fix: "Project a Secret with the repo's keys (configuration: [{secret: {name: <secret>}}]), or set repoN-s3-key-type: auto / web-id (IAM) in global.",
    },
  },
  check(resource) {
    const configuration = getPath(resource, `${PGBACKREST_PATH}.configuration`);
    if (Array.isArray(configuration) && configuration.length > 0) return [];
    const repos = reposOf(resource);
    if (!repos) return [];
    const global = globalOf(resource) ?? {};
    const listed = new BoundedProblems();
    for (const repo of repos) {
      if (repo.number === undefined || repo.storage === undefined || repo.storage === "volume") continue;
      const keys = CREDENTIAL_KEYS[repo.storage]!.map((k) => `${repo.name}-${k}`);
      if (keys.some((k) => global[k] != null)) continue;
      listed.add(() =>
        problem(
          repo.path,
          `${repo.name} is an ${repo.storage} repo, but spec.backups.pgbackrest.configuration projects no credentials file and global has none of ${keys.join(", ")}: ` +
            `pgBackRest cannot authenticate, so stanza-create, archive-push and backups fail${repo.index === 0 ? ", and as repos[0] it blocks the CronJobs of every repo" : ""}. ` +
            `Add \`configuration: [{secret: {name: <secret with ${repo.storage}.conf>}}]\`, or \`${repo.name}-${repo.storage}-key-type: auto\` for workload identity.`,
        ),
      );
    }
    return listed.finish(REPOS_PATH, "cloud repos without credentials");
  },
});
