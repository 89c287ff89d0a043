import { problem } from "../../../rules/util.ts";
import { BARMAN_CLOUD_PLUGIN, CLUSTER, barmanCloudEntries, barmanObjectName } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

export const rule = defineRule({
  meta: {
    id: "cnpg-plugin-object-name-required",
    appliesTo: [CLUSTER],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "Every enabled barman-cloud plugin entry (spec.plugins, externalClusters[].plugin) needs parameters.barmanObjectName.",
      rationale:
        "The barman-cloud plugin does not validate its parameters at admission. Without barmanObjectName its lifecycle " +
        "hook logs \"pluginConfiguration invalid, skipping lifecycle\" and injects no sidecar, so nothing is archived " +
        "or backed up and recovery from that source cannot work (plugin lifecycle.go; \"no reference to " +
        "barmanObjectName have been included\"; cloudnative-pg/charts#984).",
      bad: "spec:\n  plugins:\n  - name: barman-cloud.cloudnative-pg.io\n    isWALArchiver: true",
      good: "spec:\n  plugins:\n  - name: barman-cloud.cloudnative-pg.io\n    isWALArchiver: true\n    parameters: {barmanObjectName: pg-store}",
      fix: "Set parameters.barmanObjectName to the name of an ObjectStore in the Cluster's namespace.",
    },
  },
  check(resource) {
    return barmanCloudEntries(resource)
      .filter((p) => barmanObjectName(p) === undefined)
      .map((p) =>
        problem(
          `${p.path}.parameters.barmanObjectName`,
          `this ${BARMAN_CLOUD_PLUGIN} entry has no parameters.barmanObjectName, so the plugin skips it ("no reference to ` +
            "barmanObjectName have been included\"), injects no sidecar, and nothing is archived or restored through it " +
            `— without any error on the Cluster. Set ${p.path}.parameters.barmanObjectName: <name of an ObjectStore in ` +
            "this namespace>.",
        ),
      );
  },
});
