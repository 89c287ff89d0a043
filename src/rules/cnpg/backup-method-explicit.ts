import type { Rule } from "../../engine/types.ts";
import { problem } from "../util.ts";
import { BACKUP, BACKUP_METHODS, SCHEDULED_BACKUP, clusterBackupMethods, lookupCluster, writtenMethod } from "./model.ts";

export const rule: Rule = {
  meta: {
    id: "cnpg-backup-method-explicit",
    appliesTo: [BACKUP, SCHEDULED_BACKUP],
    defaultAction: "deny",
    params: {},
    lookups: ["Cluster"],
    docs: {
      summary: "A Backup/ScheduledBackup must say its method: without one CNPG uses the deprecated barmanObjectStore.",
      rationale:
        "The CRD defaults method to barmanObjectStore. After a Cluster moves to the barman-cloud plugin, every Backup " +
        "without a method fails with \"cannot proceed with the backup as the cluster has no backup section\" or \"no " +
        "barmanObjectStore section defined on the target cluster\" (#8445, #6752, plugin-barman-cloud#353). The " +
        "mutating side fills the method in when the Cluster makes it unambiguous (defaulter cnpg-backup-method).",
      bad: "spec:\n  cluster: {name: pg}",
      good: "spec:\n  cluster: {name: pg}\n  method: plugin\n  pluginConfiguration: {name: barman-cloud.cloudnative-pg.io}",
      fix: "Set spec.method to plugin (with pluginConfiguration.name) or volumeSnapshot, matching the Cluster.",
    },
  },
  check(resource, ctx) {
    if (writtenMethod(resource) !== undefined) return [];
    const ref = lookupCluster(resource, ctx);
    let supported = "";
    if (ref.state === "found") {
      const methods = clusterBackupMethods(ref.cluster);
      supported =
        methods.length === 0
          ? ` Cluster "${ref.name}" has no backup method configured at all.`
          : ` Cluster "${ref.name}" supports: ${methods.join(", ")}.`;
    }
    return [
      problem(
        "spec.method",
        "spec.method is not set, so CNPG uses the deprecated barmanObjectStore method, which fails on any Cluster " +
          `without spec.backup.barmanObjectStore ("cluster has no backup section", #8445). Set spec.method to one of ` +
          `${BACKUP_METHODS.join(", ")} — for the barman-cloud plugin: method: plugin with pluginConfiguration: ` +
          `{name: barman-cloud.cloudnative-pg.io}.${supported}`,
      ),
    ];
  },
};
