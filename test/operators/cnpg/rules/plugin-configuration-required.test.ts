// cnpg-plugin-configuration-required: method: plugin needs spec.pluginConfiguration.name.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/plugin-configuration-required.ts";
import { PLUGIN, backup, pluginBackup, scheduled } from "./fixtures.ts";
import { LEDGER_BACKUP, SHOP_NIGHTLY, swap } from "./manifests.ts";

ruleTester(rule, {
  valid: [
    { name: "with name", resource: scheduled(pluginBackup) },
    { name: "snapshot", resource: scheduled({ method: "volumeSnapshot" }) },
    { name: "realistic: a plugin ScheduledBackup", resource: SHOP_NIGHTLY },
    { name: "realistic: an on-demand plugin Backup", resource: LEDGER_BACKUP },
  ],
  invalid: [
    { name: "missing block", resource: scheduled({ cluster: { name: "pg" }, method: "plugin" }), problems: [{ path: "spec.pluginConfiguration", message: PLUGIN }] },
    { name: "empty name", resource: backup({ method: "plugin", pluginConfiguration: { name: "" } }), problems: [{ path: "spec.pluginConfiguration.name" }] },
    { name: "block is a string", resource: backup({ method: "plugin", pluginConfiguration: "barman" }), problems: [{ path: "spec.pluginConfiguration.name" }] },
    {
      name: "realistic: method plugin without pluginConfiguration",
      resource: swap(SHOP_NIGHTLY, "  pluginConfiguration:\n    name: barman-cloud.cloudnative-pg.io\n", ""),
      problems: [{ path: "spec.pluginConfiguration", message: PLUGIN }],
    },
  ],
});
