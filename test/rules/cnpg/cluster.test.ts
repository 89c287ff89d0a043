import { ruleTester } from "../../helpers/rule-tester.ts";
import { rule as backupRequired } from "../../../src/rules/cnpg/backup-required.ts";
import { rule as walArchiveRequired } from "../../../src/rules/cnpg/wal-archive-required.ts";
import { rule as deprecated } from "../../../src/rules/cnpg/barman-object-store-deprecated.ts";
import { rule as objectName } from "../../../src/rules/cnpg/plugin-object-name-required.ts";
import { rule as storeExists } from "../../../src/rules/cnpg/object-store-exists.ts";
import { rule as retention } from "../../../src/rules/cnpg/retention-required.ts";
import { rule as archiveTimeout } from "../../../src/rules/cnpg/archive-timeout-rpo.ts";
import { PLUGIN, archiver, backup, cluster, objectStore, scheduled } from "./fixtures.ts";

const bos = { destinationPath: "s3://b/", s3Credentials: { inheritFromIAMRole: true } };

ruleTester(backupRequired, {
  valid: [
    { name: "plugin", resource: cluster({ plugins: [archiver] }) },
    { name: "plugin that is not the WAL archiver still takes base backups", resource: cluster({ plugins: [{ name: PLUGIN, parameters: { barmanObjectName: "s" } }] }) },
    { name: "volume snapshots", resource: cluster({ backup: { volumeSnapshot: { className: "c" } } }) },
    { name: "in-tree object store", resource: cluster({ backup: { barmanObjectStore: bos } }) },
    { name: "another backup plugin listed in params", resource: cluster({ plugins: [{ name: "pgbackrest.dalibo.com" }] }), params: { backupPlugins: ["pgbackrest.dalibo.com"] } },
  ],
  invalid: [
    { name: "no backup at all", resource: cluster({ instances: 3 }), problems: [{ path: "spec.backup", message: "no base-backup method" }] },
    { name: "spec is a string", resource: cluster("oops"), problems: [{ path: "spec.backup" }] },
    { name: "plugins is not an array", resource: cluster({ plugins: { name: PLUGIN } }), problems: [{ path: "spec.backup" }] },
    { name: "disabled plugin", resource: cluster({ plugins: [{ ...archiver, enabled: false }] }), problems: [{ path: "spec.backup" }] },
    { name: "backup is a string", resource: cluster({ backup: "yes" }), problems: [{ path: "spec.backup" }] },
    { name: "unrelated plugin", resource: cluster({ plugins: [{ name: "other.io" }] }), problems: [{ message: "barman-cloud.cloudnative-pg.io" }] },
  ],
});

ruleTester(walArchiveRequired, {
  valid: [
    { name: "plugin archiver", resource: cluster({ plugins: [archiver] }) },
    { name: "in-tree object store", resource: cluster({ backup: { barmanObjectStore: bos } }) },
    { name: "another plugin as archiver", resource: cluster({ plugins: [{ name: "x.io", isWALArchiver: true }] }) },
    { name: "skip annotation disabled", resource: cluster({ plugins: [archiver] }, { annotations: { "cnpg.io/skipWalArchiving": "disabled" } }) },
  ],
  invalid: [
    {
      name: "snapshots only (sample cluster-example-bis)",
      resource: cluster({ backup: { volumeSnapshot: { className: "c" } } }),
      problems: [{ path: "spec.plugins", message: "isWALArchiver: true" }],
    },
    {
      name: "barman-cloud entry without isWALArchiver",
      resource: cluster({ plugins: [{ name: PLUGIN, parameters: { barmanObjectName: "s" } }] }),
      problems: [{ path: "spec.plugins[0].isWALArchiver", message: "Set spec.plugins[0].isWALArchiver: true" }],
    },
    {
      name: "disabled archiver",
      resource: cluster({ plugins: [{ name: "other" }, { ...archiver, enabled: false }] }),
      problems: [{ path: "spec.plugins[1].enabled", message: "disabled" }],
    },
    {
      name: "skipWalArchiving annotation",
      resource: cluster({ plugins: [archiver] }, { annotations: { "cnpg.io/skipWalArchiving": "enabled" } }),
      problems: [{ path: "metadata.annotations.cnpg.io/skipWalArchiving", message: "archive_mode=off" }],
    },
    { name: "wrong types", resource: cluster({ plugins: "barman", backup: 3 }), problems: [{ path: "spec.plugins" }] },
    { name: "no spec", resource: { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: {} }, problems: [{ path: "spec.plugins", message: "<cluster>-store" }] },
  ],
});

ruleTester(deprecated, {
  valid: [
    { name: "plugin cluster", resource: cluster({ plugins: [archiver] }) },
    { name: "plugin backup", resource: backup({ cluster: { name: "pg" }, method: "plugin", pluginConfiguration: { name: PLUGIN } }) },
    { name: "no method (cnpg-backup-method-explicit reports it)", resource: scheduled({ cluster: { name: "pg" }, schedule: "0 0 0 * * *" }) },
    { name: "external cluster via plugin", resource: cluster({ plugins: [archiver], externalClusters: [{ name: "src", plugin: archiver }] }) },
  ],
  invalid: [
    {
      name: "in-tree store with retention",
      resource: cluster({ backup: { barmanObjectStore: bos, retentionPolicy: "30d" } }),
      problems: [{ path: "spec.backup.barmanObjectStore", message: "1.31" }],
    },
    {
      name: "retention without in-tree store",
      resource: cluster({ plugins: [archiver], backup: { retentionPolicy: "30d" } }),
      problems: [{ path: "spec.backup.retentionPolicy", message: "ObjectStore" }],
    },
    {
      name: "external clusters",
      resource: cluster({ plugins: [archiver], externalClusters: [{ name: "a", connectionParameters: {} }, { name: "b", barmanObjectStore: bos }, "junk"] }),
      problems: [{ path: "spec.externalClusters[1].barmanObjectStore", message: "serverName" }],
    },
    { name: "backup method", resource: backup({ cluster: { name: "pg" }, method: "barmanObjectStore" }), problems: [{ path: "spec.method", message: "method: plugin" }] },
    { name: "scheduled backup method", resource: scheduled({ method: "barmanObjectStore" }), problems: [{ path: "spec.method" }] },
  ],
});

ruleTester(objectName, {
  valid: [
    { name: "named store", resource: cluster({ plugins: [archiver] }) },
    { name: "disabled entry", resource: cluster({ plugins: [{ name: PLUGIN, enabled: false }] }) },
    { name: "other plugin", resource: cluster({ plugins: [{ name: "x.io", isWALArchiver: true }] }) },
    { name: "wrong types", resource: cluster({ plugins: [1, null, "x"], externalClusters: "x" }) },
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
  ],
});

ruleTester(storeExists, {
  valid: [
    { name: "store exists", resource: cluster({ plugins: [archiver] }), lookups: [objectStore("pg-store")] },
    { name: "no barman-cloud plugin", resource: cluster({ plugins: [] }), lookups: [objectStore("x")] },
    { name: "ObjectStore kind unknown: not checked, never denied", resource: cluster({ plugins: [archiver] }) },
    { name: "missing name is the other rule's", resource: cluster({ plugins: [{ name: PLUGIN }] }), lookups: [objectStore("x")] },
  ],
  invalid: [
    {
      name: "store missing",
      resource: cluster({ plugins: [archiver] }),
      lookups: [objectStore("other-store")],
      problems: [{ path: "spec.plugins[0].parameters.barmanObjectName", message: /ObjectStore "pg-store" does not exist.*known: other-store/ }],
    },
    {
      name: "store in another namespace",
      resource: cluster({ plugins: [archiver] }),
      lookups: [objectStore("pg-store", undefined, "elsewhere")],
      problems: [{ message: "namespace db" }],
    },
    {
      name: "recovery source store missing",
      resource: cluster({ plugins: [archiver], externalClusters: [{ name: "src", plugin: { name: PLUGIN, parameters: { barmanObjectName: "old-store" } } }] }),
      lookups: [objectStore("pg-store")],
      problems: [{ path: "spec.externalClusters[0].plugin.parameters.barmanObjectName", message: "old-store" }],
    },
    {
      name: "kind unknown is reported as not checked",
      resource: cluster({ plugins: [archiver] }),
      problems: [{ path: "spec.plugins[0].parameters.barmanObjectName", notChecked: true, message: "no ObjectStore objects are known" }],
    },
  ],
});

ruleTester(retention, {
  valid: [
    { name: "store with retention", resource: objectStore("s") },
    { name: "plugin cluster", resource: cluster({ plugins: [archiver] }) },
    { name: "in-tree with retention", resource: cluster({ backup: { barmanObjectStore: bos, retentionPolicy: "30d" } }) },
    { name: "snapshots only", resource: cluster({ backup: { volumeSnapshot: {} } }) },
  ],
  invalid: [
    { name: "store without retention", resource: objectStore("s", { configuration: { destinationPath: "s3://b/" } }), problems: [{ path: "spec.retentionPolicy", message: "months" }] },
    { name: "store spec is a string", resource: objectStore("s", "x"), problems: [{ path: "spec.retentionPolicy" }] },
    { name: "empty retention", resource: objectStore("s", { retentionPolicy: "" }), problems: [{ path: "spec.retentionPolicy" }] },
    { name: "in-tree without retention", resource: cluster({ backup: { barmanObjectStore: bos } }), problems: [{ path: "spec.backup.retentionPolicy" }] },
  ],
});

const withTimeout = (v: unknown) => cluster({ plugins: [archiver], postgresql: { parameters: { archive_timeout: v } } });

ruleTester(archiveTimeout, {
  valid: [
    { name: "unset = 5min, RPO 5m", resource: cluster({ plugins: [archiver] }) },
    { name: "5min", resource: withTimeout("5min") },
    { name: "300 (seconds by default)", resource: withTimeout("300") },
    { name: "60s under RPO 2m", resource: withTimeout("60s"), rpoSeconds: 120 },
    { name: "1h with RPO 1h", resource: withTimeout("1h"), rpoSeconds: 3600 },
    { name: "numeric value", resource: withTimeout(120) },
    { name: "postgresql is a string: treated as unset", resource: cluster({ postgresql: "x" }) },
  ],
  invalid: [
    { name: "30min", resource: withTimeout("30min"), problems: [{ path: "spec.postgresql.parameters.archive_timeout", message: /30m.*RPO of 5m.*"5min"/ }] },
    { name: "unset with RPO 2m", resource: cluster({ plugins: [archiver] }), rpoSeconds: 120, problems: [{ message: /unset.*"2min"/ }] },
    { name: "0 disables", resource: withTimeout("0"), problems: [{ message: "unbounded" }] },
    { name: "400ms rounds to 0", resource: withTimeout("400ms"), problems: [{ message: "disables" }] },
    { name: "301s", resource: withTimeout("301s"), problems: [{ message: "5m1s" }] },
    { name: "bad unit", resource: withTimeout("5 minutes"), problems: [{ message: "not a valid PostgreSQL duration" }] },
    { name: "object value", resource: withTimeout({ a: 1 }), problems: [{ message: "not a valid" }] },
    { name: "negative", resource: withTimeout("-5"), problems: [{ message: "negative" }] },
  ],
});
