// cnpg-backup-method-matches-cluster: the method of a Backup / ScheduledBackup is one its Cluster supports (its
// barmanObjectStore, volumeSnapshot section or an enabled plugin of that name).
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/backup-method-matches-cluster.ts";
import { PLUGIN, backup, cluster, pluginBackup, pluginCluster, scheduled } from "./fixtures.ts";
import { LEDGER_BACKUP, SHOP_NIGHTLY, WIKI_SNAPSHOTS, lookupsAll, swap } from "./manifests.ts";

const snapCluster = cluster({ backup: { volumeSnapshot: { className: "c" } } });
const bosCluster = cluster({ backup: { barmanObjectStore: { destinationPath: "s3://b/" } } });

ruleTester(rule, {
  valid: [
    { name: "plugin on plugin cluster", resource: backup(pluginBackup), lookups: [pluginCluster] },
    { name: "snapshot on snapshot cluster", resource: backup({ cluster: { name: "pg" }, method: "volumeSnapshot" }), lookups: [snapCluster] },
    { name: "barmanObjectStore on in-tree cluster", resource: backup({ cluster: { name: "pg" }, method: "barmanObjectStore" }), lookups: [bosCluster] },
    { name: "no method: the explicit rule's job", resource: backup({ cluster: { name: "pg" } }), lookups: [pluginCluster] },
    { name: "cluster kind unknown", notChecked: true, resource: backup(pluginBackup) },
    { name: "cluster missing (same batch)", notChecked: true, resource: backup(pluginBackup), lookups: [cluster({}, { name: "other" })] },
    { name: "plugin without name: the configuration rule's job", resource: backup({ cluster: { name: "pg" }, method: "plugin" }), lookups: [pluginCluster] },
    { name: "realistic: a plugin ScheduledBackup of a plugin Cluster", resource: SHOP_NIGHTLY, lookups: lookupsAll() },
    { name: "realistic: a plugin Backup of a restored Cluster", resource: LEDGER_BACKUP, lookups: lookupsAll() },
    { name: "realistic: a Cluster named by a Flux placeholder", notChecked: true, resource: WIKI_SNAPSHOTS, lookups: lookupsAll() },
  ],
  invalid: [
    {
      name: "barmanObjectStore after plugin migration (#8445)",
      resource: scheduled({ cluster: { name: "pg" }, method: "barmanObjectStore", schedule: "0 0 0 * * *" }),
      lookups: [pluginCluster],
      problems: [{ path: "spec.method", message: /no spec.backup.barmanObjectStore.*supports: plugin/ }],
    },
    {
      name: "volumeSnapshot on a cluster without the section (#10688)",
      resource: backup({ cluster: { name: "pg" }, method: "volumeSnapshot" }),
      lookups: [pluginCluster],
      problems: [{ path: "spec.method", message: "no volumeSnapshot section" }],
    },
    { name: "plugin on a cluster without plugins", resource: backup(pluginBackup), lookups: [snapCluster], problems: [{ path: "spec.method", message: "no enabled plugin" }] },
    {
      name: "plugin name not on the cluster",
      resource: backup({ ...pluginBackup, pluginConfiguration: { name: "pgbackrest.io" } }),
      lookups: [pluginCluster],
      problems: [{ path: "spec.pluginConfiguration.name", message: `"${PLUGIN}"` }],
    },
    {
      name: "cluster not found: not checked, says why",
      resource: backup(pluginBackup),
      lookups: [cluster({}, { name: "other" })],
      problems: [{ path: "spec.cluster.name", notChecked: true, message: "same batch" }],
    },
    { name: "cluster kind unknown: not checked", resource: backup(pluginBackup), problems: [{ notChecked: true }] },
    {
      name: "realistic: a snapshot schedule for a Cluster without spec.backup.volumeSnapshot",
      resource: swap(SHOP_NIGHTLY, "method: plugin", "method: volumeSnapshot"),
      lookups: lookupsAll(),
      problems: [{ path: "spec.method", message: /Cluster "orders-db" has no spec\.backup\.volumeSnapshot.*supports: plugin\./ }],
    },
    {
      name: "realistic: an on-demand Backup written from the old docs (method barmanObjectStore) after the migration",
      resource: swap(LEDGER_BACKUP, "method: plugin", "method: barmanObjectStore"),
      lookups: lookupsAll(),
      problems: [{ path: "spec.method", message: /no spec\.backup\.barmanObjectStore.*supports: plugin/ }],
    },
  ],
});
