import { BoundedProblems, problem } from "../../../rules/util.ts";
import { getObject, isObject } from "../../../util/object.ts";
import { BACKUP, BARMAN_CLOUD_PLUGIN, SCHEDULED_BACKUP, barmanObjectName, clusterPlugins, isBarmanCloud, lookupCluster } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

// plugin-barman-cloud v0.14.0 internal/cnpgi/instance/backup.go: Backup() builds its whole configuration from the
// Cluster (config.NewFromClusterJSON(request.ClusterDefinition)) and never reads request.Parameters, which CNPG fills
// from the Backup's spec.pluginConfiguration.parameters (pkg/management/postgres/webserver/plugin_backup.go). So every
// key is ignored for this plugin. Plugins whose parameter handling was not verified are not judged.

/** Keys the plugin reads on the Cluster's entry, with where they take effect instead. */
const CLUSTER_LEVEL: Record<string, string> = {
  barmanObjectName: "the ObjectStore named by the Cluster's barman-cloud entry (spec.plugins[].parameters.barmanObjectName)",
  serverName: "the serverName of the Cluster's barman-cloud entry (spec.plugins[].parameters.serverName, else the Cluster's name)",
};

export const rule = defineRule({
  meta: {
    id: "cnpg-backup-plugin-parameters",
    appliesTo: [BACKUP, SCHEDULED_BACKUP],
    defaultAction: "warn",
    params: {},
    docs: {
      summary: "Backup/ScheduledBackup pluginConfiguration.parameters that the plugin ignores (barman-cloud reads none).",
      rationale:
        "CNPG passes a Backup's pluginConfiguration.parameters to the plugin, but the barman-cloud plugin (v0.14) builds " +
        "the backup's destination from the Cluster alone and never reads them: barmanObjectName on a Backup or " +
        "ScheduledBackup does not send the backup to another ObjectStore, it goes to the Cluster's store " +
        "(cloudnative-pg#7778, plugin-barman-cloud#611; a fix is proposed in plugin-barman-cloud#1076), and keys such as " +
        "serverName or objectStore change nothing either. The Backup still completes, so the mistake shows only when " +
        "the other store turns out to be empty. Only plugins whose parameters were verified are judged (today " +
        `${BARMAN_CLOUD_PLUGIN}).`,
      bad: "spec:\n  method: plugin\n  pluginConfiguration:\n    name: barman-cloud.cloudnative-pg.io\n    parameters: {barmanObjectName: offsite-store}",
      good: "spec:\n  method: plugin\n  pluginConfiguration:\n    name: barman-cloud.cloudnative-pg.io",
      fix: "Remove the parameters; choose the store and serverName on the Cluster's barman-cloud plugin entry.",
    },
  },
  check(resource, ctx) {
    const pc = getObject(resource, "spec.pluginConfiguration");
    if (!pc || pc.name !== BARMAN_CLOUD_PLUGIN || !isObject(pc.parameters)) return [];
    const keys = Object.keys(pc.parameters);
    if (keys.length === 0) return [];
    // The Cluster's store, to say where the backup really goes (only when the Cluster is known).
    const ref = lookupCluster(resource, ctx);
    const clusterEntry = ref.state === "found" ? clusterPlugins(ref.cluster).filter((p) => p.enabled && isBarmanCloud(p)).at(-1) : undefined;
    const clusterStore = clusterEntry ? barmanObjectName(clusterEntry) : undefined;
    // One problem per key, bounded (the plugin knows two; a hostile map may hold 60,000).
    const listed = new BoundedProblems();
    for (const key of keys) {
      if (!listed.listing) {
        listed.count(); // past the listed ones: counted, its message never built
        continue;
      }
      const value = pc.parameters[key];
      const raw = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
      const shown = `"${raw.length > 80 ? `${raw.slice(0, 77)}...` : raw}"`;
      const path = `spec.pluginConfiguration.parameters.${key}`;
      let effect: string;
      if (key === "barmanObjectName") {
        const where =
          clusterStore === undefined
            ? CLUSTER_LEVEL.barmanObjectName
            : clusterStore === value
              ? `the Cluster's own store "${clusterStore}" (the same one, so the parameter changes nothing)`
              : `the Cluster's store "${clusterStore}" (${clusterEntry!.path}.parameters.barmanObjectName), not to ${shown}`;
        effect =
          `the backup is written to ${where} (cloudnative-pg#7778, plugin-barman-cloud#611). A base backup in another ` +
          "store needs a Cluster archiving there; the plugin cannot route one Backup elsewhere yet (plugin-barman-cloud#1076 proposes it).";
      } else if (key === "serverName") {
        effect = `the backup is stored under ${CLUSTER_LEVEL.serverName}.`;
      } else {
        effect = `${key} is not a parameter of the plugin at all (it knows only barmanObjectName and serverName, and only on the Cluster's entry).`;
      }
      listed.add(() =>
        problem(
          path,
          `${key}: ${shown} is ignored: the ${BARMAN_CLOUD_PLUGIN} plugin reads no parameters from a ` +
            `${resource.kind} and takes everything from the Cluster: ${effect} Remove it from spec.pluginConfiguration.parameters.`,
        ),
      );
    }
    return listed.finish("spec.pluginConfiguration.parameters", "ignored parameters");
  },
});
