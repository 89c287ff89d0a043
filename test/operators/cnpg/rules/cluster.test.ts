import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule as backupRequired } from "../../../../src/operators/cnpg/rules/backup-required.ts";
import { rule as walArchiveRequired } from "../../../../src/operators/cnpg/rules/wal-archive-required.ts";
import { rule as deprecated } from "../../../../src/operators/cnpg/rules/barman-object-store-deprecated.ts";
import { rule as objectName } from "../../../../src/operators/cnpg/rules/plugin-object-name-required.ts";
import { rule as storeExists } from "../../../../src/operators/cnpg/rules/object-store-exists.ts";
import { rule as retention } from "../../../../src/operators/cnpg/rules/retention-required.ts";
import { rule as archiveTimeout } from "../../../../src/operators/cnpg/rules/archive-timeout-rpo.ts";
import { PLUGIN, archiver, backup, cluster, objectStore, scheduled } from "./fixtures.ts";

const bos = { destinationPath: "s3://b/", s3Credentials: { inheritFromIAMRole: true } };

ruleTester(backupRequired, {
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
  ],
});

ruleTester(walArchiveRequired, {
  valid: [
    { name: "plugin archiver", resource: cluster({ plugins: [archiver] }) },
    { name: "in-tree object store", resource: cluster({ backup: { barmanObjectStore: bos } }) },
    { name: "another plugin as archiver", resource: cluster({ plugins: [{ name: "x.io", isWALArchiver: true }] }) },
    { name: "Dalibo's pgBackRest plugin as archiver", resource: cluster({ plugins: [{ name: "pgbackrest.dalibo.com", isWALArchiver: true }] }) },
    { name: "skip annotation disabled", resource: cluster({ plugins: [archiver] }, { annotations: { "cnpg.io/skipWalArchiving": "disabled" } }) },
    { name: "no backup configuration at all: cnpg-backup-required tells it once", resource: cluster({ instances: 3 }) },
    { name: "wrong types count as nothing configured (cnpg-backup-required)", resource: cluster({ plugins: "barman", backup: 3 }) },
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
  ],
});

ruleTester(deprecated, {
  valid: [
    { name: "plugin cluster", resource: cluster({ plugins: [archiver] }) },
    { name: "plugin backup", resource: backup({ cluster: { name: "pg" }, method: "plugin", pluginConfiguration: { name: PLUGIN } }) },
    { name: "no method (cnpg-backup-method-explicit reports it)", resource: scheduled({ cluster: { name: "pg" }, schedule: "0 0 0 * * *" }) },
    {
      name: "method only from the CRD default (cnpg-backup-method-explicit reports it: one problem, one finding)",
      resource: scheduled({ cluster: { name: "pg" }, method: "barmanObjectStore", schedule: "0 0 0 * * *" }),
      origin: { "spec.method": "crd" },
    },
    { name: "external cluster via plugin", resource: cluster({ plugins: [archiver], externalClusters: [{ name: "src", plugin: archiver }] }) },
  ],
  invalid: [
    {
      name: "method from the CRD default while cnpg-backup-method-explicit is off: this rule says it",
      resource: scheduled({ cluster: { name: "pg" }, method: "barmanObjectStore", schedule: "0 0 0 * * *" }),
      origin: { "spec.method": "crd" },
      inactiveRules: ["cnpg-backup-method-explicit"],
      problems: [{ path: "spec.method", message: "in-tree Barman Cloud" }],
    },
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
    { name: "other plugins are not barman-cloud's", resource: cluster({ plugins: [{ name: "pgbackrest.dalibo.com", isWALArchiver: true, parameters: { barmanObjectName: "x" } }] }), lookups: [objectStore("y")] },
    { name: "ObjectStore kind unknown: not checked, never denied", notChecked: true, resource: cluster({ plugins: [archiver] }) },
    { name: "missing name is the other rule's", resource: cluster({ plugins: [{ name: PLUGIN }] }), lookups: [objectStore("x")] },
    { name: "Cluster namespace set by kustomize, store's written", resource: cluster({ plugins: [archiver] }, { namespace: undefined }), lookups: [objectStore("pg-store")] },
    { name: "store namespace set by kustomize, Cluster's written", resource: cluster({ plugins: [archiver] }), lookups: [{ ...objectStore("pg-store"), metadata: { name: "pg-store" } }] },
    { name: "namespace is a Flux placeholder", resource: cluster({ plugins: [archiver] }, { namespace: "${NS}" }), lookups: [objectStore("pg-store")] },
  ],
  invalid: [
    {
      name: "store missing",
      resource: cluster({ plugins: [archiver] }),
      lookups: [objectStore("other-store")],
      problems: [{ path: "spec.plugins[0].parameters.barmanObjectName", message: /ObjectStore "pg-store" is not among the known objects of namespace db.*known there: other-store/ }],
    },
    {
      name: "store in another namespace: the message never lists a store it says is missing",
      resource: cluster({ plugins: [archiver] }),
      lookups: [objectStore("pg-store", undefined, "elsewhere"), objectStore("other", undefined, "elsewhere")],
      problems: [{ message: /^((?!known there).)*namespace db((?!known there).)*$/ }],
    },
    {
      name: "recovery source store missing",
      resource: cluster({ plugins: [archiver], externalClusters: [{ name: "src", plugin: { name: PLUGIN, parameters: { barmanObjectName: "old-store" } } }] }),
      lookups: [objectStore("pg-store")],
      problems: [{ path: "spec.externalClusters[0].plugin.parameters.barmanObjectName", message: "old-store" }],
    },
    {
      name: "one missing store named twice: one finding",
      resource: cluster({ plugins: [archiver], externalClusters: [{ name: "src", plugin: archiver }] }),
      lookups: [objectStore("x")],
      problems: [{ path: "spec.plugins[0].parameters.barmanObjectName", message: "also named at spec.externalClusters[0].plugin.parameters.barmanObjectName" }],
    },
    {
      name: "kind unknown is reported as not checked",
      resource: cluster({ plugins: [archiver] }),
      problems: [{ path: "spec.plugins[0].parameters.barmanObjectName", notChecked: true, message: "no ObjectStore objects are known" }],
    },
    {
      name: "a placeholder name is never missing: not checked",
      resource: cluster({ plugins: [{ ...archiver, parameters: { barmanObjectName: "${APP}-store" } }] }),
      lookups: [objectStore("${APP}-store")],
      problems: [{ notChecked: true, message: "unresolved placeholder ${APP}" }],
    },
    {
      name: "the same name in two namespaces and none on the Cluster: not checked",
      resource: cluster({ plugins: [archiver] }, { namespace: undefined }),
      lookups: [objectStore("pg-store", undefined, "a"), objectStore("pg-store", undefined, "b")],
      problems: [{ notChecked: true, message: "namespaces a, b" }],
    },
  ],
});

ruleTester(retention, {
  valid: [
    { name: "store with retention", resource: objectStore("s") },
    { name: "plugin cluster", resource: cluster({ plugins: [archiver] }) },
    { name: "in-tree with retention", resource: cluster({ backup: { barmanObjectStore: bos, retentionPolicy: "30d" } }) },
    { name: "snapshots only", resource: cluster({ backup: { volumeSnapshot: {} } }) },
    {
      name: "a store Clusters only recover from",
      resource: objectStore("old-store", { configuration: { destinationPath: "s3://b/" } }),
      lookups: [cluster({ plugins: [archiver], externalClusters: [{ name: "src", plugin: { name: PLUGIN, parameters: { barmanObjectName: "old-store" } } }] })],
    },
  ],
  invalid: [
    { name: "store without retention", resource: objectStore("s", { configuration: { destinationPath: "s3://b/" } }), problems: [{ path: "spec.retentionPolicy", message: "months" }] },
    { name: "store spec is a string", resource: objectStore("s", "x"), problems: [{ path: "spec.retentionPolicy" }] },
    { name: "empty retention", resource: objectStore("s", { retentionPolicy: "" }), problems: [{ path: "spec.retentionPolicy" }] },
    { name: "in-tree without retention", resource: cluster({ backup: { barmanObjectStore: bos } }), problems: [{ path: "spec.backup.retentionPolicy" }] },
    {
      name: "a store one Cluster recovers from and another archives to",
      resource: objectStore("pg-store", { configuration: { destinationPath: "s3://b/" } }),
      lookups: [
        cluster({ plugins: [archiver] }, { name: "writer" }),
        cluster({ externalClusters: [{ name: "src", plugin: archiver }] }, { name: "reader" }),
      ],
      problems: [{ path: "spec.retentionPolicy" }],
    },
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
