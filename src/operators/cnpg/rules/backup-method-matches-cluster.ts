import type { Problem, Resource, RuleContext } from "../../../engine/types.ts";
import { lookupNotChecked, placeholderReason, problem } from "../../../rules/util.ts";
import { hasPlaceholder, mayBeEqual } from "../../../util/placeholder.ts";
import { getString } from "../../../util/object.ts";
import {
  BACKUP,
  SCHEDULED_BACKUP,
  clusterBackupMethods,
  clusterMissingReason,
  enabledPluginNames,
  inTreeObjectStore,
  isBackupMethod,
  isNonEmptyString,
  lookupCluster,
  volumeSnapshotConfig,
  writtenMethod,
} from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

function supportedText(cluster: Resource, name: string): string {
  const methods = clusterBackupMethods(cluster, enabledPluginNames(cluster));
  return methods.length === 0
    ? `Cluster "${name}" has no backup configuration at all: add one to the Cluster first.`
    : `Cluster "${name}" supports: ${methods.join(", ")}.`;
}

/** What is wrong with `method` against the Cluster, or `undefined` when the Cluster can run it. */
function mismatch(backup: Resource, method: string, cluster: Resource, name: string, ctx: RuleContext): Problem | undefined {
  if (method === "plugin") {
    const plugins = enabledPluginNames(cluster);
    const wanted = getString(backup, "spec.pluginConfiguration.name");
    if (plugins.length === 0) {
      return problem(
        "spec.method",
        `method: plugin, but Cluster "${name}" has no enabled plugin in spec.plugins: CNPG fails the backup ("cluster ` +
          `has no plugin configured"). ${supportedText(cluster, name)}`,
      );
    }
    if (isNonEmptyString(wanted) && !plugins.includes(wanted)) {
      // Plugin names still holding a placeholder (on either side) may match once substituted.
      const maybe = plugins.find((p) => mayBeEqual(wanted, p));
      if (maybe !== undefined) {
        const reason = hasPlaceholder(wanted)
          ? placeholderReason("pluginConfiguration.name", wanted)
          : placeholderReason(`the plugin name on Cluster "${name}"`, maybe);
        return { path: "spec.pluginConfiguration.name", message: reason, notChecked: true };
      }
      return problem(
        "spec.pluginConfiguration.name",
        `plugin "${wanted}" is not enabled on Cluster "${name}" (enabled: ${plugins.join(", ")}): the backup fails ` +
          `("requested plugin is not available"). Set pluginConfiguration.name to ${plugins.map((p) => `"${p}"`).join(" or ")}.`,
      );
    }
    return undefined;
  }
  if (method === "volumeSnapshot" && !volumeSnapshotConfig(cluster)) {
    return problem(
      "spec.method",
      `method: volumeSnapshot, but Cluster "${name}" has no spec.backup.volumeSnapshot: CNPG fails the backup ("no ` +
        `volumeSnapshot section defined on the target cluster", #10688). Add spec.backup.volumeSnapshot: {className: ` +
        `<VolumeSnapshotClass>} to the Cluster, or use another method. ${supportedText(cluster, name)}`,
    );
  }
  if (method === "barmanObjectStore" && !inTreeObjectStore(cluster)) {
    // The API server fills an omitted method with the CRD default before any webhook: say so, never blame the user.
    const written =
      ctx.origin?.("spec.method") === "crd"
        ? "spec.method is unset, so the CRD default barmanObjectStore applies"
        : "method: barmanObjectStore (also the CRD default when method is omitted)";
    return problem(
      "spec.method",
      `${written}, but Cluster "${name}" has no spec.backup.barmanObjectStore: CNPG fails the backup ` +
        `("cluster has no backup section" / "no barmanObjectStore section defined", #8445). ` +
        `${supportedText(cluster, name)} For the barman-cloud plugin write method: plugin and pluginConfiguration: ` +
        "{name: barman-cloud.cloudnative-pg.io}.",
    );
  }
  return undefined;
}

export const rule = defineRule({
  meta: {
    id: "cnpg-backup-method-matches-cluster",
    appliesTo: [BACKUP, SCHEDULED_BACKUP],
    defaultAction: "deny",
    params: {},
    lookups: ["Cluster"],
    docs: {
      summary: "A Backup/ScheduledBackup method must be one the referenced Cluster is configured for.",
      rationale:
        "CNPG checks the method against the Cluster only when the backup runs, and then fails it: \"cluster has no " +
        "plugin configured\", \"no volumeSnapshot section defined on the target cluster\" (#10688), \"no " +
        "barmanObjectStore section defined\" / \"cluster has no backup section\" after a plugin migration (#8445, " +
        "#6752), \"requested plugin is not available\". A ScheduledBackup keeps creating failing Backups.",
      bad: "# Cluster pg uses only the barman-cloud plugin\nspec:\n  cluster: {name: pg}\n  method: barmanObjectStore",
      good: "spec:\n  cluster: {name: pg}\n  method: plugin\n  pluginConfiguration: {name: barman-cloud.cloudnative-pg.io}",
      fix: "Use the method the Cluster is set up for, or add that backup configuration to the Cluster.",
    },
  },
  check(resource, ctx) {
    // A missing method is cnpg-backup-method-explicit's finding; an unknown one is rejected by the CRD enum.
    const method = writtenMethod(resource);
    if (!isBackupMethod(method)) return [];
    const ref = lookupCluster(resource, ctx);
    if (ref.state === "no-reference") return [];
    if (ref.state === "unknown") return [lookupNotChecked(ref, "spec.cluster.name")];
    if (ref.state === "missing") return [{ path: "spec.cluster.name", message: clusterMissingReason(ref.name), notChecked: true }];
    const p = mismatch(resource, method, ref.cluster, ref.name, ctx);
    return p ? [p] : [];
  },
});
