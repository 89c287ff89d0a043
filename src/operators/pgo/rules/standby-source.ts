import { problem } from "../../../rules/util.ts";
import { getObject } from "../../../util/object.ts";
import { APPLIES_TO, reposOf, show, standbyEnabled } from "../model.ts";
import { operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

export const rule = defineRule({
  meta: {
    id: "pgo-standby-source",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "An enabled standby needs standby.host or standby.repoName, and repoName must be one of the cluster's repos.",
      rationale:
        "standby.enabled defaults to true once spec.standby is set. Without host and repoName PGO refuses to reconcile the cluster at all " +
        `(Warning event InvalidStandbyConfiguration, "Standby requires a host or repoName to be enabled": ${operatorCode("internal/controller/postgrescluster/controller.go", 137, 148)}). ` +
        `With repoName, the standby restores and replays WAL with --repo=<N> (${operatorCode("internal/pgbackrest/postgres.go", 62, 69)}, ` +
        `${operatorCode("internal/pgbackrest/reconcile.go", 471, 480)}), which pgBackRest can only use when that repo is configured: PGO configures ` +
        "only the repos of spec.backups.pgbackrest.repos, which must point at the primary's repo (same bucket and repoN-path).",
      bad: "standby:\n  enabled: true\n  repoName: repo2\nbackups:\n  pgbackrest:\n    repos: [{name: repo1, s3: {...}}]",
      good: "standby:\n  enabled: true\n  repoName: repo1\nbackups:\n  pgbackrest:\n    global: {repo1-path: /pgbackrest/prod/primary/repo1}\n    repos: [{name: repo1, s3: {...}}]",
      fix: "Set standby.host (streaming) and/or standby.repoName naming a repo of this cluster that points at the primary's repo.",
    },
  },
  check(resource) {
    if (!standbyEnabled(resource)) return [];
    const standby = getObject(resource, "spec.standby")!;
    const host = typeof standby.host === "string" ? standby.host : "";
    const repoName = typeof standby.repoName === "string" ? standby.repoName : "";
    if (host === "" && repoName === "") {
      return [
        problem(
          "spec.standby",
          "spec.standby is enabled (enabled defaults to true) but has neither host nor repoName: PGO refuses to reconcile the cluster (event InvalidStandbyConfiguration). " +
            "Set standby.host to the primary's address, standby.repoName to a repo pointing at the primary's repo, or both.",
        ),
      ];
    }
    if (repoName === "") return [];
    const repos = reposOf(resource) ?? [];
    if (repos.some((r) => r.name === repoName)) return [];
    const names = repos.map((r) => r.name).filter((n): n is string => n !== undefined);
    return [
      problem(
        "spec.standby.repoName",
        `standby.repoName ${show(repoName)} is not a repo of spec.backups.pgbackrest.repos${names.length ? ` (${names.join(", ")})` : " (there are none)"}: ` +
          `the standby restores and fetches WAL with --repo=${repoName.replace(/^repo/, "")}, which this cluster does not configure, so it cannot start or replay WAL. ` +
          "Add that repo, pointing at the primary's bucket and repoN-path, or name an existing one.",
      ),
    ];
  },
});
