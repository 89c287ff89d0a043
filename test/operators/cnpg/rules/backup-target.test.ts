// cnpg-backup-target: backups from the primary (target: primary) load it; prefer-standby takes a standby.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/backup-target.ts";
import { backup, cluster, pluginBackup, scheduled } from "./fixtures.ts";
import { LEDGER_BACKUP, SHOP_CLUSTER, WIKI_CLUSTER, swap } from "./manifests.ts";

ruleTester(rule, {
  valid: [
    { name: "cluster prefer-standby", resource: cluster({ backup: { target: "prefer-standby" } }) },
    { name: "backup unset", resource: backup(pluginBackup) },
    { name: "backup target wrong type", resource: backup({ target: 1 }) },
    { name: "realistic: a Cluster with target prefer-standby", resource: WIKI_CLUSTER },
    { name: "realistic: a Cluster without spec.backup", resource: SHOP_CLUSTER },
    { name: "realistic: an on-demand Backup without a target", resource: LEDGER_BACKUP },
  ],
  invalid: [
    { name: "cluster primary", resource: cluster({ backup: { target: "primary" } }), problems: [{ path: "spec.backup.target", message: "prefer-standby" }] },
    { name: "backup primary", resource: backup({ ...pluginBackup, target: "primary" }), problems: [{ path: "spec.target" }] },
    { name: "scheduled primary", resource: scheduled({ target: "primary" }), problems: [{ path: "spec.target" }] },
    {
      name: "realistic: an on-demand Backup from the primary",
      resource: swap(LEDGER_BACKUP, "method: plugin", "method: plugin\n  target: primary"),
      problems: [{ path: "spec.target" }],
    },
    {
      name: "realistic: a Cluster's snapshots from the primary",
      resource: swap(WIKI_CLUSTER, "target: prefer-standby", "target: primary"),
      problems: [{ path: "spec.backup.target", message: "prefer-standby" }],
    },
  ],
});
