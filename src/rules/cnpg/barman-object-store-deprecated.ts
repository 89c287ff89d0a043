import type { Problem, Resource, Rule } from "../../engine/types.ts";
import { problem } from "../util.ts";
import { getArray, getPath, isObject } from "../../util/object.ts";
import { BACKUP, BARMAN_CLOUD_PLUGIN, CLUSTER, SCHEDULED_BACKUP, inTreeObjectStore, isCluster, writtenMethod } from "./model.ts";

const REMOVAL =
  "native Barman Cloud support is deprecated since CNPG 1.26 and announced for removal in 1.31 (CNPG's own webhook warns about it)";

function clusterProblems(cluster: Resource): Problem[] {
  const out: Problem[] = [];
  if (inTreeObjectStore(cluster)) {
    out.push(
      problem(
        "spec.backup.barmanObjectStore",
        `spec.backup.barmanObjectStore uses in-tree Barman Cloud: ${REMOVAL}. Move its configuration into an ObjectStore ` +
          "(barmancloud.cnpg.io/v1, spec.configuration = this block without serverName, spec.retentionPolicy = " +
          "spec.backup.retentionPolicy) and, in one change, replace it with spec.plugins: [{name: " +
          `${BARMAN_CLOUD_PLUGIN}, isWALArchiver: true, parameters: {barmanObjectName: <store>}}]; then switch Backups ` +
          "and ScheduledBackups to method: plugin.",
      ),
    );
  } else if (getPath(cluster, "spec.backup.retentionPolicy") !== undefined) {
    out.push(
      problem(
        "spec.backup.retentionPolicy",
        "spec.backup.retentionPolicy is only used by the in-tree barmanObjectStore, which this Cluster does not use, so " +
          "nothing is ever pruned by it (CNPG warns the same). Remove it and set spec.retentionPolicy on the ObjectStore " +
          "instead (volume snapshots have no retention policy).",
      ),
    );
  }
  for (const [i, ext] of (getArray(cluster, "spec.externalClusters") ?? []).entries()) {
    if (!isObject(ext) || !isObject(ext.barmanObjectStore)) continue;
    out.push(
      problem(
        `spec.externalClusters[${i}].barmanObjectStore`,
        `external cluster ${JSON.stringify(ext.name ?? i)} reads its archive through in-tree Barman Cloud: ${REMOVAL}. ` +
          `Replace barmanObjectStore with plugin: {name: ${BARMAN_CLOUD_PLUGIN}, parameters: {barmanObjectName: <store>, ` +
          "serverName: <source cluster name>}} and an ObjectStore holding the same destinationPath and credentials.",
      ),
    );
  }
  return out;
}

export const rule: Rule = {
  meta: {
    id: "cnpg-barman-object-store-deprecated",
    appliesTo: [CLUSTER, BACKUP, SCHEDULED_BACKUP],
    defaultAction: "warn",
    params: {},
    docs: {
      summary: "In-tree barmanObjectStore (Cluster, externalClusters, method: barmanObjectStore) is deprecated; use the barman-cloud plugin.",
      rationale:
        "CNPG deprecated native Barman Cloud support in 1.26 (#6876); removal moved to 1.31 (#11083). Its webhook warns " +
        "for spec.backup.barmanObjectStore and externalClusters[].barmanObjectStore. Clusters left on it will stop " +
        "backing up after the upgrade that removes it. spec.backup.retentionPolicy without barmanObjectStore is " +
        "ignored. Backups with method: barmanObjectStore fail once the Cluster has migrated (#8445).",
      bad: "spec:\n  backup:\n    barmanObjectStore:\n      destinationPath: s3://backups/\n    retentionPolicy: 30d",
      good:
        "spec:\n  plugins:\n  - name: barman-cloud.cloudnative-pg.io\n    isWALArchiver: true\n" +
        "    parameters: {barmanObjectName: pg-store}   # ObjectStore with destinationPath and retentionPolicy: 30d",
      fix: "Follow the plugin migration: create an ObjectStore, swap barmanObjectStore for a plugin entry in one change, switch Backups to method: plugin.",
    },
  },
  check(resource) {
    if (isCluster(resource)) return clusterProblems(resource);
    if (writtenMethod(resource) !== "barmanObjectStore") return [];
    return [
      problem(
        "spec.method",
        `method: barmanObjectStore uses in-tree Barman Cloud: ${REMOVAL}. Use method: plugin with ` +
          `pluginConfiguration: {name: ${BARMAN_CLOUD_PLUGIN}} once the Cluster has the plugin.`,
      ),
    ];
  },
};
