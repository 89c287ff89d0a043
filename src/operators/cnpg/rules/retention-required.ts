import type { Resource, RuleContext } from "../../../engine/types.ts";
import { indexOf, namespaceOf, problem } from "../../../rules/util.ts";
import { getPath } from "../../../util/object.ts";
import {
  CLUSTER,
  OBJECT_STORE,
  barmanObjectName,
  clusterPlugins,
  externalClusterPlugins,
  inTreeObjectStore,
  isBarmanCloud,
  isCluster,
  isNonEmptyString,
} from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

interface StoreUse {
  ns: string | undefined;
  /** Named from spec.plugins (archives or backs up to it). */
  archive: boolean;
  /** Named from spec.externalClusters[].plugin (a recovery or replica source). */
  source: boolean;
}

/** How each known Cluster names ObjectStores, by store name; built once per state of the Clusters. */
function storeUses(ctx: RuleContext): Map<string, StoreUse[]> {
  return indexOf(ctx.lookups, ["Cluster"], "cnpg-retention-required/store-uses", () => {
    const m = new Map<string, StoreUse[]>();
    const named = (entries: ReturnType<typeof clusterPlugins>) =>
      new Set(entries.filter((p) => p.enabled && isBarmanCloud(p)).map((p) => barmanObjectName(p)).filter((n): n is string => n !== undefined));
    for (const cluster of ctx.lookups.list("Cluster") ?? []) {
      const ns = namespaceOf(cluster);
      const archives = named(clusterPlugins(cluster));
      const sources = named(externalClusterPlugins(cluster));
      for (const store of new Set([...archives, ...sources])) {
        let bucket = m.get(store);
        if (!bucket) m.set(store, (bucket = []));
        bucket.push({ ns, archive: archives.has(store), source: sources.has(store) });
      }
    }
    return m;
  });
}

/**
 * Whether known Clusters name this ObjectStore only from spec.externalClusters[].plugin (recovery or replica source)
 * and none archives or backs up to it from spec.plugins. Unknown Clusters, or no Cluster naming it: false.
 */
function usedOnlyAsRecoverySource(store: Resource, ctx: RuleContext): boolean {
  const name = store.metadata.name;
  if (typeof name !== "string") return false;
  const ns = namespaceOf(store);
  let asSource = false;
  for (const use of storeUses(ctx).get(name) ?? []) {
    if (ns !== undefined && use.ns !== undefined && use.ns !== ns) continue;
    if (use.archive) return false;
    if (use.source) asSource = true;
  }
  return asSource;
}

export const rule = defineRule({
  meta: {
    id: "cnpg-retention-required",
    appliesTo: [OBJECT_STORE, CLUSTER],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "An ObjectStore needs spec.retentionPolicy; in-tree barmanObjectStore needs spec.backup.retentionPolicy.",
      rationale:
        "Without a retention policy Barman Cloud never deletes base backups or WAL from the bucket: storage grows " +
        "forever and costs grow with it (#3657, #3809). With the plugin, retention lives on the ObjectStore " +
        "(spec.retentionPolicy, e.g. 30d; m means months); for the deprecated in-tree store, on " +
        "spec.backup.retentionPolicy. Volume snapshots have no retention policy.",
      bad: "kind: ObjectStore\nspec:\n  configuration:\n    destinationPath: s3://backups/",
      good: "kind: ObjectStore\nspec:\n  retentionPolicy: \"30d\"\n  configuration:\n    destinationPath: s3://backups/",
      fix: "Set retentionPolicy to a recovery window like \"30d\", \"4w\" or \"3m\" (months).",
    },
  },
  check(resource, ctx) {
    if (isCluster(resource)) {
      if (!inTreeObjectStore(resource) || isNonEmptyString(getPath(resource, "spec.backup.retentionPolicy"))) return [];
      return [
        problem(
          "spec.backup.retentionPolicy",
          "spec.backup.barmanObjectStore has no spec.backup.retentionPolicy, so no base backup or WAL is ever deleted " +
            "from the bucket and it grows forever. Set spec.backup.retentionPolicy: \"30d\" (pattern ^[1-9][0-9]*[dwm]$, " +
            "m = months) — or better, migrate to an ObjectStore with spec.retentionPolicy.",
        ),
      ];
    }
    if (isNonEmptyString(getPath(resource, "spec.retentionPolicy"))) return [];
    // A store that Clusters only recover or replicate from is someone else's archive: its retention is set where
    // it is written to (cutting it here could delete what the source Cluster still needs).
    if (usedOnlyAsRecoverySource(resource, ctx)) return [];
    return [
      problem(
        "spec.retentionPolicy",
        "the ObjectStore has no spec.retentionPolicy, so the barman-cloud plugin never deletes old base backups or WAL " +
          "and the bucket grows forever. Set spec.retentionPolicy: \"30d\" (a recovery window; pattern " +
          "^[1-9][0-9]*[dwm]$, where m means months, not minutes).",
      ),
    ];
  },
});
