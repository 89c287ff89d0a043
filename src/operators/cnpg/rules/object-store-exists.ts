import type { Lookups, Problem } from "../../../engine/types.ts";
import { findObject, indexOf, lookupNotChecked, namespaceOf, problem } from "../../../rules/util.ts";
import { CLUSTER, barmanCloudEntries, barmanObjectName } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

/** At most this many names of known stores are shown (one more, so that excluding the missing name leaves enough). */
const SHOWN = 11;

/**
 * Names of the known ObjectStores that can be in namespace `ns` (every one when `ns` is undefined, else those of `ns`
 * and those without a namespace), a few per namespace, indexed once per state of the lookups: a missing store must
 * not list every store of the input again.
 */
function storeNames(lookups: Lookups, ns: string | undefined): string[] {
  const index = indexOf(lookups, ["ObjectStore"], "object-store-exists/names", () => {
    const byNs = new Map<string | undefined, string[]>();
    const all: string[] = [];
    for (const s of lookups.list("ObjectStore") ?? []) {
      const n = s.metadata.name;
      if (typeof n !== "string") continue;
      const key = namespaceOf(s);
      const list = byNs.get(key) ?? [];
      if (list.length < SHOWN && !list.includes(n)) list.push(n);
      byNs.set(key, list);
      if (all.length < SHOWN && !all.includes(n)) all.push(n);
    }
    return { byNs, all };
  });
  if (ns === undefined) return index.all;
  return [...new Set([...(index.byNs.get(ns) ?? []), ...(index.byNs.get(undefined) ?? [])])];
}

export const rule = defineRule({
  meta: {
    id: "cnpg-object-store-exists",
    appliesTo: [CLUSTER],
    defaultAction: "deny",
    params: {},
    lookups: ["ObjectStore"],
    docs: {
      summary: "parameters.barmanObjectName must name an ObjectStore that exists in the Cluster's namespace.",
      rationale:
        "The barman-cloud plugin resolves barmanObjectName in the Cluster's namespace. When the ObjectStore is missing " +
        "its pre-reconcile hook logs \"barman object configuration not found, requeuing\" forever: the Cluster's " +
        "reconciliation stalls and a new Cluster never bootstraps (plugin-barman-cloud#337, #504; " +
        "cloudnative-pg/charts#975, #991).",
      bad: "spec:\n  plugins:\n  - name: barman-cloud.cloudnative-pg.io\n    isWALArchiver: true\n    parameters: {barmanObjectName: typo-store}",
      good: "spec:\n  plugins:\n  - name: barman-cloud.cloudnative-pg.io\n    isWALArchiver: true\n    parameters: {barmanObjectName: pg-store}   # kind: ObjectStore, same namespace",
      fix: "Create the ObjectStore (barmancloud.cnpg.io/v1) in the same namespace before the Cluster, or correct the name.",
    },
  },
  check(resource, ctx) {
    const out: Problem[] = [];
    const ns = namespaceOf(resource);
    // One finding per store name, however many entries name it (spec.plugins and externalClusters often share one).
    const byName = new Map<string, string[]>();
    for (const entry of barmanCloudEntries(resource)) {
      const name = barmanObjectName(entry);
      if (name === undefined) continue; // cnpg-plugin-object-name-required reports it
      const paths = byName.get(name) ?? [];
      paths.push(`${entry.path}.parameters.barmanObjectName`);
      byName.set(name, paths);
    }
    for (const [name, paths] of byName) {
      const path = paths[0]!;
      const found = findObject(ctx.lookups, "ObjectStore", ns, name);
      if (found.state === "unknown") {
        out.push(lookupNotChecked(found, path));
        continue;
      }
      if (found.state === "found") continue;
      const known = storeNames(ctx.lookups, ns).filter((n) => n !== name);
      const also = paths.length > 1 ? ` (also named at ${paths.slice(1).join(", ")})` : "";
      const where = ns === undefined ? "the Cluster's namespace" : `namespace ${ns}`;
      out.push(
        problem(
          path,
          `ObjectStore "${name}"${also} is not among the known objects of ${where}. The barman-cloud plugin then ` +
            "requeues the Cluster forever (\"barman object configuration not found\"): reconciliation stalls and a new " +
            `Cluster never bootstraps. Create an ObjectStore named "${name}" (apiVersion: barmancloud.cnpg.io/v1) in that ` +
            "namespace, or set barmanObjectName to an existing one" +
            (known.length > 0 ? ` (known there: ${[...new Set(known)].slice(0, 10).join(", ")})` : "") +
            ".",
        ),
      );
    }
    return out;
  },
});
