// cnpg-backup-required: a Cluster has a base-backup method (a backup plugin, volume snapshots or the in-tree store).
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/backup-required.ts";
import { PLUGIN, archiver, bos, cluster, scheduled } from "./fixtures.ts";
import { LEDGER_CLUSTER, SHOP_CLUSTER, WIKI_CLUSTER, edit } from "./manifests.ts";

ruleTester(rule, {
  valid: [
    { name: "plugin", resource: cluster({ plugins: [archiver] }) },
    { name: "plugin that is not the WAL archiver still takes base backups", resource: cluster({ plugins: [{ name: PLUGIN, parameters: { barmanObjectName: "s" } }] }) },
    { name: "volume snapshots", resource: cluster({ backup: { volumeSnapshot: { className: "c" } } }) },
    { name: "in-tree object store", resource: cluster({ backup: { barmanObjectStore: bos } }) },
    { name: "another backup plugin listed in params", resource: cluster({ plugins: [{ name: "pgbackrest.dalibo.com" }] }), params: { backupPlugins: ["pgbackrest.dalibo.com"] } },
    {
      name: "Dalibo's pgBackRest plugin as the WAL archiver (any archiver takes base backups)",
      resource: cluster({ plugins: [{ name: "pgbackrest.dalibo.com", isWALArchiver: true, parameters: { stanzaRef: "stanza-sample" } }] }),
    },
    {
      name: "a plugin that a ScheduledBackup of the Cluster names",
      resource: cluster({ plugins: [{ name: "wal-g.example.com" }] }),
      lookups: [scheduled({ cluster: { name: "pg" }, method: "plugin", pluginConfiguration: { name: "wal-g.example.com" }, schedule: "0 0 0 * * *" })],
    },
    {
      name: "a ScheduledBackup without namespace (set by kustomize) names the plugin",
      resource: cluster({ plugins: [{ name: "wal-g.example.com" }] }),
      lookups: [scheduled({ cluster: { name: "pg" }, method: "plugin", pluginConfiguration: { name: "wal-g.example.com" } }, { namespace: undefined })],
    },
    { name: "realistic: base backups through the barman-cloud plugin", resource: SHOP_CLUSTER },
    { name: "realistic: volume snapshots next to the plugin's WAL archive", resource: WIKI_CLUSTER },
    { name: "realistic: restored from a predecessor's archive, archiving under a new serverName", resource: LEDGER_CLUSTER },
  ],
  invalid: [
    { name: "no backup at all", resource: cluster({ instances: 3 }), problems: [{ path: "spec.backup", message: "no base-backup method" }] },
    { name: "spec is a string", resource: cluster("oops"), problems: [{ path: "spec.backup" }] },
    { name: "plugins is not an array", resource: cluster({ plugins: { name: PLUGIN } }), problems: [{ path: "spec.backup" }] },
    { name: "disabled plugin", resource: cluster({ plugins: [{ ...archiver, enabled: false }] }), problems: [{ path: "spec.backup" }] },
    { name: "backup is a string", resource: cluster({ backup: "yes" }), problems: [{ path: "spec.backup" }] },
    { name: "unrelated plugin", resource: cluster({ plugins: [{ name: "other.io" }] }), problems: [{ message: /Its enabled plugins \(other\.io\).*barman-cloud\.cloudnative-pg\.io/ }] },
    {
      name: "a ScheduledBackup of another Cluster, or in another namespace, does not count",
      resource: cluster({ plugins: [{ name: "wal-g.example.com" }] }),
      lookups: [
        scheduled({ cluster: { name: "other" }, method: "plugin", pluginConfiguration: { name: "wal-g.example.com" } }),
        scheduled({ cluster: { name: "pg" }, method: "plugin", pluginConfiguration: { name: "wal-g.example.com" } }, { namespace: "elsewhere" }),
      ],
      problems: [{ path: "spec.backup" }],
    },
    { name: "the one finding says both: no base backup and no WAL archive", resource: cluster({}), problems: [{ message: /no base-backup method.*and no WAL archive/ }] },
    {
      name: "realistic: the plugin entry dropped in a refactoring",
      resource: edit(SHOP_CLUSTER, ({ spec }) => {
        delete spec.plugins;
      }),
      problems: [{ path: "spec.backup", message: /no base-backup method.*and no WAL archive/ }],
    },
  ],
});
