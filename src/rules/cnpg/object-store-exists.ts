import type { Problem, Rule } from "../../engine/types.ts";
import { notChecked, problem } from "../util.ts";
import { CLUSTER, barmanCloudEntries, barmanObjectName } from "./model.ts";

export const rule: Rule = {
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
    const ns = resource.metadata.namespace;
    for (const entry of barmanCloudEntries(resource)) {
      const name = barmanObjectName(entry);
      if (name === undefined) continue; // cnpg-plugin-object-name-required reports it
      const path = `${entry.path}.parameters.barmanObjectName`;
      const store = ctx.lookups.get("ObjectStore", ns, name);
      if (store === undefined) {
        out.push(notChecked(ctx.lookups, "ObjectStore", path));
      } else if (store === null) {
        const known = (ctx.lookups.list("ObjectStore", ns) ?? []).map((s) => s.metadata.name).filter((n) => typeof n === "string");
        out.push(
          problem(
            path,
            `ObjectStore "${name}" does not exist in namespace ${ns ?? "(the Cluster's namespace)"}. The barman-cloud ` +
              "plugin then requeues the Cluster forever (\"barman object configuration not found\"): reconciliation " +
              "stalls and a new Cluster never bootstraps. Create an ObjectStore named " +
              `"${name}" (apiVersion: barmancloud.cnpg.io/v1) in that namespace, or set barmanObjectName to an existing one` +
              (known.length > 0 ? ` (known: ${known.slice(0, 10).join(", ")})` : "") +
              ".",
          ),
        );
      }
    }
    return out;
  },
};
