import { problem } from "../../../rules/util.ts";
import { getPath } from "../../../util/object.ts";
import { BACKUP, BARMAN_CLOUD_PLUGIN, SCHEDULED_BACKUP, isNonEmptyString, writtenMethod } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

export const rule = defineRule({
  meta: {
    id: "cnpg-plugin-configuration-required",
    appliesTo: [BACKUP, SCHEDULED_BACKUP],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "method: plugin needs pluginConfiguration.name.",
      rationale:
        "CNPG's Backup webhook rejects method: plugin without pluginConfiguration.name (\"cannot be empty when the " +
        "backup method is plugin\"), but its ScheduledBackup webhook does not check it: the ScheduledBackup is " +
        "accepted and every Backup it later creates is rejected, so no backup is ever taken.",
      bad: "spec:\n  cluster: {name: pg}\n  method: plugin",
      good: "spec:\n  cluster: {name: pg}\n  method: plugin\n  pluginConfiguration: {name: barman-cloud.cloudnative-pg.io}",
      fix: `Add pluginConfiguration: {name: ${BARMAN_CLOUD_PLUGIN}} (or the name of the Cluster's backup plugin).`,
    },
  },
  check(resource) {
    if (writtenMethod(resource) !== "plugin") return [];
    const name = getPath(resource, "spec.pluginConfiguration.name");
    if (isNonEmptyString(name)) return [];
    const path = getPath(resource, "spec.pluginConfiguration") === undefined ? "spec.pluginConfiguration" : "spec.pluginConfiguration.name";
    return [
      problem(
        path,
        "method: plugin without pluginConfiguration.name: CNPG cannot tell which plugin takes the backup and rejects " +
          "the Backup (\"cannot be empty when the backup method is plugin\"); a ScheduledBackup is accepted but every " +
          `Backup it creates is rejected. Add pluginConfiguration: {name: ${BARMAN_CLOUD_PLUGIN}}.`,
      ),
    ];
  },
});
