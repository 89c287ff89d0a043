import type { Problem, Resource } from "../../../engine/types.ts";
import { problem } from "../../../rules/util.ts";
import { getArray, getPath, isObject } from "../../../util/object.ts";
import { BACKUP, BARMAN_CLOUD_PLUGIN, CLUSTER, SCHEDULED_BACKUP, inTreeObjectStore, isCluster, writtenMethod } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

const REMOVAL =
  "native Barman Cloud support is deprecated since CNPG 1.26 and announced for removal in 1.31 (CNPG's own webhook warns about it)";

// Where the archive lives: <destinationPath>/<serverName>/{base,wals}, the server name being the last argument of every
// barman-cloud command (barman-cloud pkg/archiver/command.go, pkg/command/commandbuilder.go: configuration.ServerName,
// else the name the caller passes).
// - in-tree spec.backup.barmanObjectStore: serverName, else the Cluster's name (pkg/management/postgres/archiver,
//   backup.go);
// - in-tree externalClusters[i].barmanObjectStore: serverName, else the external cluster's own name
//   (api/v1/cluster_funcs.go ExternalCluster.GetServerName; walrestore passes externalCluster.Name);
// - the plugin: parameters.serverName of the enabled spec.plugins entry, else the Cluster's name; for a recovery or
//   replica source (externalClusters[i].plugin) parameters.serverName, else ALSO the Cluster's own name, not the
//   external cluster's (plugin-barman-cloud internal/cnpgi/operator/config/config.go NewFromCluster). The ObjectStore
//   cannot carry serverName (its CRD rejects configuration.serverName).

/** `serverName` of a barmanObjectStore block when it is a non-empty string (what barman-cloud treats as set). */
function serverNameOf(store: Record<string, unknown>): string | undefined {
  return typeof store.serverName === "string" && store.serverName !== "" ? store.serverName : undefined;
}

const STORE =
  "an ObjectStore (barmancloud.cnpg.io/v1) whose spec.configuration is this block without serverName (the ObjectStore " +
  "CRD rejects configuration.serverName)";

function inTreeServerNameAdvice(cluster: Resource, store: Record<string, unknown>): string {
  const serverName = serverNameOf(store);
  const clusterName = typeof cluster.metadata.name === "string" ? cluster.metadata.name : "<Cluster name>";
  if (serverName !== undefined) {
    return (
      ` This block sets serverName: ${JSON.stringify(serverName)}, so WAL and backups are under ` +
      `<destinationPath>/${serverName}; the plugin uses the Cluster's name (${JSON.stringify(clusterName)}) unless the ` +
      `plugin entry says otherwise, so put serverName: ${JSON.stringify(serverName)} into its parameters, or the plugin ` +
      "silently archives WAL and takes backups under a new path, next to (not after) the existing ones."
    );
  }
  return (
    ` serverName is not set here, so WAL and backups are under <destinationPath>/${clusterName} (the Cluster's name); ` +
    "the plugin defaults serverName to the Cluster's name too and keeps using that path, so parameters.serverName is " +
    "not needed."
  );
}

function clusterProblems(cluster: Resource): Problem[] {
  const out: Problem[] = [];
  const store = inTreeObjectStore(cluster);
  if (store) {
    const serverName = serverNameOf(store);
    const params = serverName !== undefined ? `barmanObjectName: <store>, serverName: ${JSON.stringify(serverName)}` : "barmanObjectName: <store>";
    out.push(
      problem(
        "spec.backup.barmanObjectStore",
        `spec.backup.barmanObjectStore uses in-tree Barman Cloud: ${REMOVAL}. Move its configuration into ${STORE}, ` +
          "with spec.retentionPolicy = spec.backup.retentionPolicy, and in one change replace it with spec.plugins: " +
          `[{name: ${BARMAN_CLOUD_PLUGIN}, isWALArchiver: true, parameters: {${params}}}]; then switch Backups and ` +
          `ScheduledBackups to method: plugin.${inTreeServerNameAdvice(cluster, store)}`,
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
  const clusterName = typeof cluster.metadata.name === "string" ? cluster.metadata.name : "<this Cluster's name>";
  for (const [i, ext] of (getArray(cluster, "spec.externalClusters") ?? []).entries()) {
    if (!isObject(ext) || !isObject(ext.barmanObjectStore)) continue;
    const extName = typeof ext.name === "string" && ext.name !== "" ? ext.name : undefined;
    const own = serverNameOf(ext.barmanObjectStore);
    const source = own ?? extName;
    const label = JSON.stringify(extName ?? i);
    const where =
      own !== undefined
        ? `its serverName ${JSON.stringify(own)}`
        : extName !== undefined
          ? `the external cluster's name ${JSON.stringify(extName)} (serverName is unset)`
          : "the external cluster's name (serverName is unset)";
    const value = source !== undefined ? JSON.stringify(source) : "<source server name>";
    out.push(
      problem(
        `spec.externalClusters[${i}].barmanObjectStore`,
        `external cluster ${label} reads its archive through in-tree Barman Cloud: ${REMOVAL}. In-tree, the source ` +
          `server is ${where}, i.e. <destinationPath>/${source ?? "<name>"}. The plugin defaults a source's serverName ` +
          `to this Cluster's own name (${JSON.stringify(clusterName)}), not to the external cluster's, so replace ` +
          `barmanObjectStore with plugin: {name: ${BARMAN_CLOUD_PLUGIN}, parameters: {barmanObjectName: <store>, ` +
          `serverName: ${value}}} and ${STORE} holding the same destinationPath and credentials; without ` +
          (source !== undefined && source === clusterName
            ? "parameters.serverName the plugin would use this Cluster's name, which is the same name here, so the path stays right; setting it keeps that explicit."
            : "parameters.serverName the recovery or replica looks for the source's WAL and backups under the wrong path."),
      ),
    );
  }
  return out;
}

export const rule = defineRule({
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
        "ignored. Backups with method: barmanObjectStore fail once the Cluster has migrated (#8445). The migration " +
        "must keep the server name, the directory under destinationPath: in-tree it is serverName, else the Cluster's " +
        "name (for an external cluster, else the external cluster's name); the plugin reads it from the entry's " +
        "parameters.serverName, else the Cluster's own name in both cases, and the ObjectStore cannot hold it. The " +
        "message says which value to put into parameters.serverName.",
      bad: "spec:\n  backup:\n    barmanObjectStore:\n      destinationPath: s3://backups/\n    retentionPolicy: 30d",
      good:
        "spec:\n  plugins:\n  - name: barman-cloud.cloudnative-pg.io\n    isWALArchiver: true\n" +
        "    parameters: {barmanObjectName: pg-store}   # ObjectStore with destinationPath and retentionPolicy: 30d",
      fix: "Follow the plugin migration: create an ObjectStore, swap barmanObjectStore for a plugin entry in one change, switch Backups to method: plugin.",
    },
  },
  check(resource, ctx) {
    if (isCluster(resource)) return clusterProblems(resource);
    if (writtenMethod(resource) !== "barmanObjectStore") return [];
    // Not written but the CRD default: cnpg-backup-method-explicit tells that story (one problem, one finding).
    if (ctx.origin?.("spec.method") === "crd" && ctx.ruleActive?.("cnpg-backup-method-explicit") !== false) return [];
    return [
      problem(
        "spec.method",
        `method: barmanObjectStore uses in-tree Barman Cloud: ${REMOVAL}. Use method: plugin with ` +
          `pluginConfiguration: {name: ${BARMAN_CLOUD_PLUGIN}} once the Cluster has the plugin.`,
      ),
    ];
  },
});
