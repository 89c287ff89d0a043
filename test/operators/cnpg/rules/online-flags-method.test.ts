// cnpg-online-flags-method: online / onlineConfiguration only mean something for method: volumeSnapshot.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/online-flags-method.ts";
import { backup, pluginBackup, scheduled } from "./fixtures.ts";
import { SHOP_NIGHTLY, WIKI_SNAPSHOTS, swap } from "./manifests.ts";

ruleTester(rule, {
  valid: [
    { name: "volumeSnapshot with online", resource: backup({ method: "volumeSnapshot", online: false, onlineConfiguration: {} }) },
    { name: "plugin without flags", resource: backup(pluginBackup) },
    { name: "realistic: a plugin ScheduledBackup", resource: SHOP_NIGHTLY },
    { name: "realistic: a volumeSnapshot ScheduledBackup with its own online settings", resource: swap(WIKI_SNAPSHOTS, "method: volumeSnapshot", "method: volumeSnapshot\n  online: true\n  onlineConfiguration:\n    immediateCheckpoint: true") },
  ],
  invalid: [
    { name: "plugin with online false", resource: backup({ ...pluginBackup, online: false }), problems: [{ path: "spec.online", message: "ignores" }] },
    { name: "no method with both", resource: scheduled({ online: true, onlineConfiguration: { immediateCheckpoint: true } }), problems: [{ path: "spec.online", message: "method is unset" }, { path: "spec.onlineConfiguration" }] },
    { name: "barmanObjectStore", resource: backup({ method: "barmanObjectStore", onlineConfiguration: {} }), problems: [{ message: "rejects" }] },
    {
      name: "realistic: snapshot settings copied into a plugin schedule",
      resource: swap(SHOP_NIGHTLY, "method: plugin", "method: plugin\n  online: true\n  onlineConfiguration:\n    immediateCheckpoint: true"),
      problems: [{ path: "spec.online", message: "ignores" }, { path: "spec.onlineConfiguration" }],
    },
  ],
});
