import { lookupNotChecked, placeholderNotChecked, problem } from "../../../rules/util.ts";
import { getPath } from "../../../util/object.ts";
import { BACKUP, BACKUP_METHODS, SCHEDULED_BACKUP, clusterBackupMethods, inTreeObjectStore, lookupCluster } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

export const rule = defineRule({
  meta: {
    id: "cnpg-backup-method-explicit",
    appliesTo: [BACKUP, SCHEDULED_BACKUP],
    defaultAction: "warn",
    params: {},
    docs: {
      summary: "A Backup/ScheduledBackup should say its method: without one the CRD default, the deprecated barmanObjectStore, applies.",
      rationale:
        "The CRD defaults method to barmanObjectStore, and the API server writes that default before any webhook sees " +
        "the object. After a Cluster moves to the barman-cloud plugin, every Backup without a method fails with " +
        "\"cannot proceed with the backup as the cluster has no backup section\" or \"no barmanObjectStore section defined " +
        "on the target cluster\" (https://github.com/cloudnative-pg/cloudnative-pg/issues/8445). When the referenced " +
        "Cluster is known, cnpg-backup-method-matches-cluster denies that case in the CLI and at admission alike, and the " +
        "mutating side fills the method in when the Cluster makes it unambiguous (default cnpg-backup-method). This rule " +
        "is the reminder for the rest: it only fires where the manifest as written is seen (the CLI); at admission the " +
        "omitted method is indistinguishable from a written barmanObjectStore, which is why it warns and never denies. " +
        "Not checked when the Cluster is named by a `${...}` placeholder (in spec.cluster.name, or in the name of a Cluster " +
        "that may be the one): the mutating side fills the method in from that Cluster once substituted.",
      bad: "spec:\n  cluster: {name: pg}",
      good: "spec:\n  cluster: {name: pg}\n  method: plugin\n  pluginConfiguration: {name: barman-cloud.cloudnative-pg.io}",
      fix: "Set spec.method to plugin (with pluginConfiguration.name) or volumeSnapshot, matching the Cluster.",
    },
  },
  check(resource, ctx) {
    const method = getPath(resource, "spec.method");
    // Written by the user (or, at admission, indistinguishable from it): nothing to say.
    if (method !== undefined && ctx.origin?.("spec.method") !== "crd") return [];
    const ref = lookupCluster(resource, ctx);
    // The Cluster the method defaulter reads is named by a placeholder: once substituted, the mutating side may find it
    // and fill the method in, so the missing method is not judged before that. (Another unknown, e.g. no Cluster
    // objects known at all, keeps the reminder: substitution does not make the Cluster known.)
    if (ref.state === "unknown") {
      const inName = placeholderNotChecked(ref.name, "spec.cluster.name", "the Cluster name");
      if (inName) return [inName];
      // A Cluster whose own name holds a placeholder that can become this one.
      if (ref.cause === "placeholder") return [lookupNotChecked(ref, "spec.cluster.name")];
    }
    // A Cluster that cannot run barmanObjectStore: cnpg-backup-method-matches-cluster tells that story (one problem, one finding).
    if (ref.state === "found" && !inTreeObjectStore(ref.cluster) && ctx.ruleActive?.("cnpg-backup-method-matches-cluster") !== false) return [];
    let supported = "";
    if (ref.state === "found") supported = ` Cluster "${ref.name}" supports: ${clusterBackupMethods(ref.cluster).join(", ")}.`;
    return [
      problem(
        "spec.method",
        "spec.method is unset, so the CRD default barmanObjectStore applies: the deprecated in-tree method, which fails as " +
          "soon as the Cluster moves to a plugin (\"cluster has no backup section\", cloudnative-pg#8445). Set spec.method to " +
          `one of ${BACKUP_METHODS.join(", ")} — for the barman-cloud plugin: method: plugin with pluginConfiguration: ` +
          `{name: barman-cloud.cloudnative-pg.io}.${supported}`,
      ),
    ];
  },
});
