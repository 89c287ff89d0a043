// cpo-pvc-name-overlap: the operator deletes repo-host PVCs by substring match, so one cluster's delete can take
// another cluster's pvc repo with it. Replays the operator's exact test on the PVC names it creates.
import type { Problem, Resource } from "../../../engine/types.ts";
import { getPath, isObject } from "../../../util/object.ts";
import { hasPlaceholder } from "../../../util/placeholder.ts";
import { namespaceOf, notChecked, problem } from "../../../rules/util.ts";
import { APPLIES_TO, PGBACKREST_PATH, reposOf } from "../model.ts";
import { operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

/** The StatefulSet of a cluster's pvc repos (getPgbackrestRepoHostName) and the substring its deletion matches. */
function repoHostName(cluster: string): string {
  return `${cluster}-pgbackrest-repo-host`;
}

/** The repo-host PVCs of a cluster: `<repo name>-<cluster>-pgbackrest-repo-host-0` (StatefulSet claim naming). */
interface RepoPvc {
  repo: string;
  path: string;
  pvc: string;
}

/** At most this many repos are read (the CRD allows repo1..repo4); keeps the rule linear on bad input. */
const MAX_REPOS = 8;
/** At most this many other clusters are named in one message. */
const MAX_NAMED = 5;

function clusterName(r: Resource): string | undefined {
  const n = r.metadata?.name;
  return typeof n === "string" && n !== "" && !hasPlaceholder(n) ? n : undefined;
}

/** The pvc repos the operator creates PVCs for (spec.backup.pgbackrest set, storage pvc, a string name). */
function repoPvcs(r: Resource, cluster: string): RepoPvc[] {
  if (!isObject(getPath(r, PGBACKREST_PATH))) return [];
  const out: RepoPvc[] = [];
  for (const repo of (reposOf(r) ?? []).slice(0, MAX_REPOS)) {
    if (repo.storage !== "pvc" || repo.name === undefined) continue;
    out.push({ repo: repo.name, path: repo.path, pvc: `${repo.name}-${repoHostName(cluster)}-0` });
  }
  return out;
}

function names(items: string[]): string {
  const shown = items.slice(0, MAX_NAMED).map((n) => `"${n}"`);
  return items.length > MAX_NAMED ? `${shown.join(", ")} and ${items.length - MAX_NAMED} more` : shown.join(", ");
}

export const rule = defineRule({
  meta: {
    id: "cpo-pvc-name-overlap",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: {},
    lookups: ["CpoCluster"],
    docs: {
      summary:
        "No other CPO cluster in the namespace may have a name whose repo-host PVC match covers this cluster's pvc repo PVCs, or the other way round.",
      rationale:
        "A pvc repo lives on the PVC `<repo>-<cluster>-pgbackrest-repo-host-0` of the cluster's repo-host StatefulSet " +
        `(${operatorCode("pkg/cluster/k8sres.go", 1981, 1996)}, ${operatorCode("pkg/cluster/cluster.go", 515, 517)}). When a cluster ` +
        `is deleted (always, whatever its own repos: ${operatorCode("pkg/cluster/cluster.go", 1375, 1396)}) or its spec stops having a ` +
        `pvc repo (${operatorCode("pkg/cluster/sync.go", 1690, 1716)}), the operator lists every PVC of the namespace and deletes each ` +
        `one whose name contains "<cluster>-pgbackrest-repo-host" (${operatorCode("pkg/cluster/volumes.go", 265, 288)}). That is a ` +
        "substring test on the whole PVC name, so it also matches another cluster's repo PVC when the other cluster's name ends with " +
        "this one's (db and app-db, or prod-db and db: repo1-app-db-pgbackrest-repo-host-0 contains db-pgbackrest-repo-host). Deleting " +
        "db then deletes app-db's backups. The issue text says \"contains\"; the operator's test is narrower (the other name must end " +
        "with this one, or the repo prefix must complete it), and the rule replays the operator's test exactly, in both directions. " +
        "When the other CPO clusters are not known, a cluster with pvc repos is reported as not checked.",
      bad:
        "# two clusters in one namespace, app-db with a pvc repo\nmetadata: {name: db}\n---\nmetadata: {name: app-db}\nspec:\n  backup:\n    pgbackrest:\n      repos:\n      - {name: repo1, storage: pvc, volume: {size: 10Gi}}",
      good: "metadata: {name: billing-db}\n---\nmetadata: {name: app-db}   # neither name ends with the other",
      fix: "Give new clusters names that do not end with another cluster's name in the same namespace (or use separate namespaces), and keep an off-site (s3/gcs/azure) repo so a deleted PVC is not the only copy.",
    },
  },
  check(resource, ctx) {
    const self = clusterName(resource);
    if (self === undefined) return [];
    const ns = namespaceOf(resource);
    const all = ns === undefined ? ctx.lookups.list("CpoCluster")?.filter((c) => namespaceOf(c) === undefined) : ctx.lookups.list("CpoCluster", ns);
    const mine = repoPvcs(resource, self);
    // Other clusters unknown: said only where this cluster's own backups are at stake (it has pvc repos).
    if (all === undefined) return mine.length > 0 ? [notChecked(ctx.lookups, "CpoCluster", mine[0]!.path)] : [];
    const ownMatch = repoHostName(self);
    // Deleting `other` would delete these PVCs of this cluster; deleting this cluster would delete those of `other`.
    const killers = new Map<string, RepoPvc>();
    /** Other clusters with pvc repos of their own: removing their last one triggers the same deletion. */
    const withPvcRepos = new Set<string>();
    const victims: { other: string; pvc: RepoPvc }[] = [];
    for (const other of all) {
      const name = clusterName(other);
      if (name === undefined || name === self) continue;
      const match = repoHostName(name);
      const hit = mine.find((p) => p.pvc.includes(match));
      const otherPvcs = repoPvcs(other, name);
      if (hit && !killers.has(name)) {
        killers.set(name, hit);
        if (otherPvcs.length > 0) withPvcRepos.add(name);
      }
      const theirs = otherPvcs.find((p) => p.pvc.includes(ownMatch));
      if (theirs) victims.push({ other: name, pvc: theirs });
    }
    const out: Problem[] = [];
    if (killers.size > 0) {
      const [first] = [...killers.values()];
      const others = [...killers.keys()];
      out.push(
        problem(
          first!.path,
          `deleting the CPO cluster ${names(others)} in this namespace` +
            (withPvcRepos.size > 0 ? ` (or removing ${others.length > 1 ? "their" : "its"} last pvc repo)` : "") +
            " " +
            `deletes this cluster's repo PVC ${first!.pvc} and the ${first!.repo} backups on it: the operator deletes every PVC whose ` +
            `name contains "${repoHostName(others[0]!)}". Use a name that does not end with another cluster's name, and keep an off-site repo.`,
        ),
      );
    }
    if (victims.length > 0) {
      const first = victims[0]!;
      out.push(
        problem(
          "metadata.name",
          `deleting this cluster${mine.length > 0 ? " (or removing its last pvc repo)" : ""} deletes the repo PVC ${first.pvc.pvc} of the CPO cluster "${first.other}"` +
            (victims.length > 1 ? ` (and of ${names(victims.slice(1).map((v) => v.other))})` : "") +
            `: the operator deletes every PVC in the namespace whose name contains "${ownMatch}". Use a name that is not the end of ` +
            "another cluster's name in this namespace.",
        ),
      );
    }
    return out;
  },
});
