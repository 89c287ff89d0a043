// pgo-repo-path-collision: another PostgresCluster among the known ones writes the same bucket and repo path. The
// stanza is always db, so two clusters there share one stanza.
import type { Lookups, Problem, Resource } from "../../../engine/types.ts";
import { indexOf, namespaceOf, notChecked, problem } from "../../../rules/util.ts";
import { getObject } from "../../../util/object.ts";
import { APPLIES_TO, GLOBAL_PATH, REPOS_PATH, cloudLocation, effectiveRepoPath, globalKeyPath, globalOf, reposOf, standbyEnabled, withoutTrailingSlashes } from "../model.ts";
import { PGBACKREST_CONFIG, issue, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

interface Holder {
  namespace: string | undefined;
  name: string;
  repo: string;
  /** The holder is a standby reading this repo (standby.repoName): sharing is intended. */
  standbyReader: boolean;
}

/** Where each cloud repo of a cluster writes: `<type>:<endpoint>:<bucket>:<path>` -> repo name. */
function locations(resource: Resource): Map<string, string> {
  const out = new Map<string, string>();
  const repos = reposOf(resource);
  if (!repos) return out;
  const global = globalOf(resource);
  for (const repo of repos) {
    if (repo.number === undefined) continue;
    const location = cloudLocation(repo);
    const path = effectiveRepoPath(repo, global);
    if (location === undefined || path === undefined) continue;
    out.set(`${location}:${withoutTrailingSlashes(path.trim())}`, repo.name!);
  }
  return out;
}

function standbyRepo(resource: Resource): string | undefined {
  if (!standbyEnabled(resource)) return undefined;
  const name = getObject(resource, "spec.standby")?.repoName;
  return typeof name === "string" ? name : undefined;
}

function holders(lookups: Lookups): Map<string, Holder[]> {
  return indexOf(lookups, ["PgoCluster"], "pgo-repo-locations", () => {
    const index = new Map<string, Holder[]>();
    for (const other of lookups.list("PgoCluster") ?? []) {
      const name = other.metadata?.name;
      if (typeof name !== "string") continue;
      const reader = standbyRepo(other);
      for (const [where, repo] of locations(other)) {
        let bucket = index.get(where);
        if (!bucket) index.set(where, (bucket = []));
        bucket.push({ namespace: namespaceOf(other), name, repo, standbyReader: reader === repo });
      }
    }
    return index;
  });
}

export const rule = defineRule({
  meta: {
    id: "pgo-repo-path-collision",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    lookups: ["PgoCluster"],
    docs: {
      summary: "No other PostgresCluster may use the same bucket (or container) and repo path.",
      rationale:
        `PGO's repoN-path defaults to /pgbackrest/repoN and global overrides it (${operatorCode(PGBACKREST_CONFIG, 381, 407)}); the stanza is ` +
        "always db. Two clusters whose cloud repos resolve to the same bucket and path share one stanza: PGO's stanza-create || " +
        `stanza-upgrade (${operatorCode("internal/pgbackrest/pgbackrest.go", 68, 82)}) adds the second cluster's system id to the first ` +
        `one's stanza instead of failing, and backups, WAL and expiry of both mix (${issue(4055)}, ${issue(3712)}). A standby reading ` +
        "the repo through spec.standby.repoName is the intended exception, on either side. S3 repos are compared by endpoint, bucket " +
        "and path. The other clusters come from the inputs and --lookup, or the live cluster; when none is known the rule is not checked.",
      bad: "# hippo and orders, both:\nglobal: {}\nrepos:\n  - {name: repo1, s3: {bucket: backups, endpoint: s3.eu-west-1.amazonaws.com, region: eu-west-1}}",
      good: "# hippo:\nglobal: {repo1-path: /pgbackrest/prod/hippo/repo1}\n# orders:\nglobal: {repo1-path: /pgbackrest/prod/orders/repo1}",
      fix: "Give each cluster its own repoN-path (e.g. /pgbackrest/<namespace>/<cluster>/repoN) or its own bucket.",
    },
  },
  check(resource, ctx) {
    const mine = locations(resource);
    if (mine.size === 0) return [];
    if (!ctx.lookups.isKnown("PgoCluster")) return [notChecked(ctx.lookups, "PgoCluster", REPOS_PATH)];
    const name = typeof resource.metadata?.name === "string" ? resource.metadata.name : "";
    const ns = namespaceOf(resource);
    const reader = standbyRepo(resource);
    const global = globalOf(resource);
    const index = holders(ctx.lookups);
    const problems: Problem[] = [];
    for (const [where, repo] of mine) {
      if (reader === repo) continue; // a repo standby reads the primary's repo on purpose
      const others = (index.get(where) ?? []).filter(
        (h) => !h.standbyReader && !(h.name === name && (h.namespace === ns || h.namespace === undefined || ns === undefined)),
      );
      if (others.length === 0) continue;
      const who = others
        .slice(0, 5)
        .map((h) => `${h.namespace ? `${h.namespace}/` : ""}${h.name} (${h.repo})`)
        .join(", ");
      const path = effectiveRepoPath({ index: 0, path: "", members: [], name: repo }, global)!;
      const key = `${repo}-path`;
      problems.push(
        problem(
          global?.[key] != null ? globalKeyPath(key) : GLOBAL_PATH,
          `${repo} writes stanza db at ${path} in the same bucket as ${who}${others.length > 5 ? ` and ${others.length - 5} more` : ""}: PGO's stanza-create || stanza-upgrade ` +
            "then adds this cluster to the other's stanza, and backups, WAL and expiry of both clusters mix. " +
            `Set \`${key}: /pgbackrest/${ns ?? "<namespace>"}/${name || "<cluster>"}/${repo}\` in global (or use another bucket).`,
        ),
      );
    }
    return problems;
  },
});
