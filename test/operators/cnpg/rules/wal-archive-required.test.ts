// cnpg-wal-archive-required: a Cluster archives WAL (a WAL-archiver plugin or the in-tree store), else no backup can
// be restored to a point in time and cold restores lose everything since the last base backup.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/wal-archive-required.ts";
import { PLUGIN, archiver, bos, cluster } from "./fixtures.ts";
import { LEDGER_CLUSTER, WIKI_CLUSTER, edit } from "./manifests.ts";

ruleTester(rule, {
  valid: [
    { name: "plugin archiver", resource: cluster({ plugins: [archiver] }) },
    { name: "in-tree object store", resource: cluster({ backup: { barmanObjectStore: bos } }) },
    { name: "another plugin as archiver", resource: cluster({ plugins: [{ name: "x.io", isWALArchiver: true }] }) },
    { name: "Dalibo's pgBackRest plugin as archiver", resource: cluster({ plugins: [{ name: "pgbackrest.dalibo.com", isWALArchiver: true }] }) },
    { name: "skip annotation disabled", resource: cluster({ plugins: [archiver] }, { annotations: { "cnpg.io/skipWalArchiving": "disabled" } }) },
    { name: "no backup configuration at all: cnpg-backup-required tells it once", resource: cluster({ instances: 3 }) },
    { name: "wrong types count as nothing configured (cnpg-backup-required)", resource: cluster({ plugins: "barman", backup: 3 }) },
    { name: "realistic: the plugin archives WAL next to volume snapshots", resource: WIKI_CLUSTER },
    { name: "realistic: a restored Cluster (the recovery source's plugin entry archives nothing)", resource: LEDGER_CLUSTER },
  ],
  invalid: [
    {
      name: "snapshots only (sample cluster-example-bis)",
      resource: cluster({ backup: { volumeSnapshot: { className: "c" } } }),
      problems: [{ path: "spec.plugins", message: /no WAL archive.*succeeds without keeping any WAL segment.*isWALArchiver: true/ }],
    },
    {
      name: "barman-cloud entry without isWALArchiver: says what the flag really does",
      resource: cluster({ plugins: [{ name: PLUGIN, parameters: { barmanObjectName: "s" } }] }),
      problems: [
        {
          path: "spec.plugins[0].isWALArchiver",
          message: /every enabled plugin that can archive, whatever the flag says \(barman-cloud does not read it, plugin-barman-cloud#606\).*Set spec\.plugins\[0\]\.isWALArchiver: true/,
        },
      ],
    },
    {
      name: "another plugin without the flag",
      resource: cluster({ backup: { volumeSnapshot: { className: "c" } }, plugins: [{ name: "pgbackrest.dalibo.com" }] }),
      problems: [{ path: "spec.plugins[0].isWALArchiver", message: "its plugin pgbackrest.dalibo.com has isWALArchiver: true" }],
    },
    {
      name: "disabled archiver next to a plugin that does not archive",
      resource: cluster({ backup: { volumeSnapshot: { className: "c" } }, plugins: [{ name: "other", enabled: false }, { ...archiver, enabled: false }] }),
      problems: [{ path: "spec.plugins[1].enabled", message: "disabled" }],
    },
    {
      name: "skipWalArchiving annotation",
      resource: cluster({ plugins: [archiver] }, { annotations: { "cnpg.io/skipWalArchiving": "enabled" } }),
      problems: [{ path: "metadata.annotations.cnpg.io/skipWalArchiving", message: "archive_mode=off" }],
    },
    {
      name: "no backup configuration, cnpg-backup-required off: this rule says it",
      resource: { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: {} },
      inactiveRules: ["cnpg-backup-required"],
      problems: [{ path: "spec.plugins", message: "<cluster>-store" }],
    },
    {
      name: "realistic: the plugin entry without isWALArchiver",
      resource: edit(WIKI_CLUSTER, ({ spec }) => {
        delete spec.plugins[0].isWALArchiver;
      }),
      problems: [{ path: "spec.plugins[0].isWALArchiver", message: "Set spec.plugins[0].isWALArchiver: true" }],
    },
    {
      name: "realistic: volume snapshots only, the plugin removed",
      resource: edit(WIKI_CLUSTER, ({ spec }) => {
        delete spec.plugins;
      }),
      problems: [{ path: "spec.plugins", message: "no WAL archive" }],
    },
  ],
});
