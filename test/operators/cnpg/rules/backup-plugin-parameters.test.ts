// cnpg-backup-plugin-parameters: plugin-barman-cloud v0.14.0 internal/cnpgi/instance/backup.go Backup() takes its
// configuration from the Cluster (config.NewFromClusterJSON) and never reads request.Parameters (cnpg#7778,
// plugin-barman-cloud#611). Other plugins' parameters are not judged.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/backup-plugin-parameters.ts";
import { PLUGIN, archiver, backup, cluster, scheduled } from "./fixtures.ts";
import { SHOP_NIGHTLY, lookupsAll, swap } from "./manifests.ts";

const withParams = (parameters: unknown, name = PLUGIN) => backup({ cluster: { name: "pg" }, method: "plugin", pluginConfiguration: { name, parameters } });

ruleTester(rule, {
  valid: [
    { name: "no parameters", resource: backup({ cluster: { name: "pg" }, method: "plugin", pluginConfiguration: { name: PLUGIN } }) },
    { name: "empty parameters", resource: withParams({}) },
    { name: "another plugin's parameters are not judged", resource: withParams({ selectedRepository: "repo1" }, "pgbackrest.dalibo.com") },
    { name: "parameters of the wrong type", resource: withParams("barmanObjectName=x") },
    { name: "pluginConfiguration of the wrong type", resource: backup({ pluginConfiguration: "x" }) },
    { name: "realistic: a plugin ScheduledBackup without parameters", resource: SHOP_NIGHTLY, lookups: lookupsAll() },
  ],
  invalid: [
    {
      name: "barmanObjectName on a ScheduledBackup: the backup goes to the Cluster's store",
      resource: scheduled({ cluster: { name: "pg" }, method: "plugin", pluginConfiguration: { name: PLUGIN, parameters: { barmanObjectName: "offsite" } } }),
      lookups: [cluster({ plugins: [archiver] })],
      problems: [
        {
          path: "spec.pluginConfiguration.parameters.barmanObjectName",
          message: /barmanObjectName: "offsite" is ignored.*ScheduledBackup.*the Cluster's store "pg-store" \(spec\.plugins\[0\]\.parameters\.barmanObjectName\), not to "offsite".*#7778/,
        },
      ],
    },
    {
      name: "barmanObjectName naming the Cluster's own store changes nothing",
      resource: withParams({ barmanObjectName: "pg-store" }),
      lookups: [cluster({ plugins: [archiver] })],
      problems: [{ message: /the same one, so the parameter changes nothing/ }],
    },
    {
      name: "Cluster not known: says where the store comes from",
      resource: withParams({ barmanObjectName: "offsite" }),
      problems: [{ message: /spec\.plugins\[\]\.parameters\.barmanObjectName/ }],
    },
    {
      name: "serverName and an unknown key (objectStore)",
      resource: withParams({ serverName: "pg-2", objectStore: "s" }),
      problems: [
        { path: "spec.pluginConfiguration.parameters.serverName", message: /stored under the serverName of the Cluster's barman-cloud entry/ },
        { path: "spec.pluginConfiguration.parameters.objectStore", message: /objectStore is not a parameter of the plugin at all/ },
      ],
    },
    {
      name: "a non-string value is shown, shortened",
      resource: withParams({ x: { deep: "a".repeat(200) } }),
      problems: [{ message: /x: "\{"deep":"a+\.\.\." is ignored/ }],
    },
    {
      name: "realistic: a ScheduledBackup meant for an off-site store",
      resource: swap(SHOP_NIGHTLY, "name: barman-cloud.cloudnative-pg.io", "name: barman-cloud.cloudnative-pg.io\n    parameters:\n      barmanObjectName: orders-db-offsite"),
      lookups: lookupsAll(),
      problems: [{ path: "spec.pluginConfiguration.parameters.barmanObjectName", message: /"orders-db-offsite" is ignored.*the Cluster's store "orders-db-store"/ }],
    },
  ],
});
