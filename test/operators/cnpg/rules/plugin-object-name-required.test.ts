// cnpg-plugin-object-name-required: a barman-cloud plugin entry (archive or recovery source) names its ObjectStore in
// parameters.barmanObjectName; without it the plugin injects no sidecar.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/plugin-object-name-required.ts";
import { PLUGIN, archiver, cluster } from "./fixtures.ts";
import { LEDGER_CLUSTER, WIKI_CLUSTER, edit } from "./manifests.ts";

ruleTester(rule, {
  valid: [
    { name: "named store", resource: cluster({ plugins: [archiver] }) },
    { name: "disabled entry", resource: cluster({ plugins: [{ name: PLUGIN, enabled: false }] }) },
    { name: "other plugin", resource: cluster({ plugins: [{ name: "x.io", isWALArchiver: true }] }) },
    { name: "wrong types", resource: cluster({ plugins: [1, null, "x"], externalClusters: "x" }) },
    { name: "realistic: archive and recovery source both name their store", resource: LEDGER_CLUSTER },
    { name: "realistic: a store name from a Flux placeholder is a name", resource: WIKI_CLUSTER },
  ],
  invalid: [
    {
      name: "missing barmanObjectName",
      resource: cluster({ plugins: [{ name: PLUGIN, isWALArchiver: true }] }),
      problems: [{ path: "spec.plugins[0].parameters.barmanObjectName", message: "injects no sidecar" }],
    },
    {
      name: "empty name and parameters not a map",
      resource: cluster({ plugins: [{ name: PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: "" } }, { name: PLUGIN, parameters: "x" }] }),
      problems: [{ path: "spec.plugins[0].parameters.barmanObjectName" }, { path: "spec.plugins[1].parameters.barmanObjectName" }],
    },
    {
      name: "recovery source without barmanObjectName",
      resource: cluster({ plugins: [archiver], externalClusters: [{ name: "src", plugin: { name: PLUGIN, parameters: { serverName: "old" } } }] }),
      problems: [{ path: "spec.externalClusters[0].plugin.parameters.barmanObjectName" }],
    },
    {
      name: "realistic: a recovery source with only serverName",
      resource: edit(LEDGER_CLUSTER, ({ spec }) => {
        delete spec.externalClusters[0].plugin.parameters.barmanObjectName;
      }),
      problems: [{ path: "spec.externalClusters[0].plugin.parameters.barmanObjectName" }],
    },
  ],
});
