import type { Problem } from "../../../engine/types.ts";
import { problem } from "../../../rules/util.ts";
import { APPLIES_TO, GLOBAL_PATH, cloudLocation, effectiveRepoPath, globalKeyPath, globalOf, reposOf, standbyEnabled, withoutTrailingSlashes } from "../model.ts";
import { PGBACKREST_CONFIG, issue, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

/** The path the mutating side (pgo-repo-path) would write, for messages. */
export function suggestedPath(namespace: string | undefined, name: string | undefined, repo: string): string {
  return `/pgbackrest/${namespace ?? "<namespace>"}/${name ?? "<cluster>"}/${repo}`;
}

export const rule = defineRule({
  meta: {
    id: "pgo-repo-path-unique",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: {},
    docs: {
      summary: "Each cloud repo (s3, gcs, azure) needs its own global.repoN-path.",
      rationale:
        `PGO writes repoN-path=/pgbackrest/repoN for every repo (${operatorCode(PGBACKREST_CONFIG, 381, 382)}) and the stanza is always db ` +
        `(${operatorCode(PGBACKREST_CONFIG, 31, 32)}), so two clusters using the same bucket without their own repoN-path write the same ` +
        "stanza. PGO runs `stanza-create || stanza-upgrade`, which hides the mismatch: the second cluster's system id is added to the " +
        `first one's stanza and their backup and WAL histories mix (${issue(4055)}, ${issue(3712)}). The official examples set ` +
        "repo1-path: /pgbackrest/<namespace>/<cluster>/repo1. Two repos of one cluster in the same bucket and path are reported too. " +
        "Not for a standby: a repo standby must read the primary's path. The mutating side sets the path on CREATE (pgo-repo-path).",
      bad: "global: {}\nrepos:\n  - {name: repo1, s3: {bucket: shared-bucket, endpoint: s3.eu-west-1.amazonaws.com, region: eu-west-1}}",
      good:
        "global:\n  repo1-path: /pgbackrest/prod/hippo/repo1\nrepos:\n  - {name: repo1, s3: {bucket: shared-bucket, endpoint: s3.eu-west-1.amazonaws.com, region: eu-west-1}}",
      fix: "Set `repoN-path: /pgbackrest/<namespace>/<cluster>/repoN` in spec.backups.pgbackrest.global for every cloud repo (only on a new cluster: a live one would start an empty stanza).",
    },
  },
  check(resource) {
    if (standbyEnabled(resource)) return [];
    const repos = reposOf(resource);
    if (!repos) return [];
    const global = globalOf(resource);
    const name = typeof resource.metadata?.name === "string" ? resource.metadata.name : undefined;
    const ns = typeof resource.metadata?.namespace === "string" && resource.metadata.namespace !== "" ? resource.metadata.namespace : undefined;
    const problems: Problem[] = [];
    const seen = new Map<string, string>();
    for (const repo of repos) {
      if (repo.number === undefined) continue;
      const location = cloudLocation(repo);
      if (location === undefined) continue;
      const key = `${repo.name}-path`;
      const own = global?.[key];
      if (typeof own !== "string" || withoutTrailingSlashes(own.trim()) === "" || withoutTrailingSlashes(own.trim()) === "/pgbackrest") {
        problems.push(
          problem(
            own == null ? GLOBAL_PATH : globalKeyPath(key),
            `${repo.name} (${repo.storage}) has no ${key} of its own, so PGO uses /pgbackrest/${repo.name} and stanza db: every cluster using this bucket that way writes the same stanza, ` +
              `and their backups and WAL mix. Add \`${key}: ${suggestedPath(ns, name, repo.name!)}\` to global (on a new cluster only).`,
          ),
        );
        continue;
      }
      const where = `${location}:${withoutTrailingSlashes(effectiveRepoPath(repo, global)!.trim())}`;
      const first = seen.get(where);
      if (first) {
        problems.push(
          problem(
            globalKeyPath(key),
            `${repo.name} uses the same bucket and path (${own}) as ${first}, so both write stanza db in the same place and corrupt each other's history. Give it its own path, e.g. \`${key}: ${suggestedPath(ns, name, repo.name!)}\`.`,
          ),
        );
      } else seen.set(where, repo.name!);
    }
    return problems;
  },
});
