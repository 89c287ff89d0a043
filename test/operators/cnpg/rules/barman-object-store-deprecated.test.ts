// cnpg-barman-object-store-deprecated: the migration advice keeps the archive path (serverName).
// In-tree: barmanObjectStore.serverName, else the Cluster's name; externalClusters[i]: serverName, else the external
// cluster's name (cloudnative-pg api/v1/cluster_funcs.go GetServerName). Plugin: parameters.serverName, else the
// Cluster's own name for the archive and for recovery/replica sources alike (plugin-barman-cloud
// internal/cnpgi/operator/config/config.go NewFromCluster).
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/barman-object-store-deprecated.ts";
import { PLUGIN, archiver, backup, bos, cluster, scheduled } from "./fixtures.ts";
import { LEDGER_CLUSTER, SHOP_CLUSTER, SHOP_NIGHTLY, edit, swap } from "./manifests.ts";

ruleTester(rule, {
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
    { name: "plugin entry with serverName", resource: cluster({ plugins: [{ ...archiver, parameters: { barmanObjectName: "s", serverName: "old" } }] }) },
    { name: "external cluster already on the plugin", resource: cluster({ plugins: [archiver], externalClusters: [{ name: "src", plugin: { name: archiver.name, parameters: { barmanObjectName: "s", serverName: "src" } } }] }) },
    { name: "realistic: recovery source and archive through the plugin", resource: LEDGER_CLUSTER },
    { name: "realistic: a plugin ScheduledBackup", resource: SHOP_NIGHTLY },
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
    {
      name: "in-tree serverName: the value to move into parameters.serverName",
      resource: cluster({ backup: { barmanObjectStore: { ...bos, serverName: "pg-2023" } } }, { name: "pg" }),
      problems: [
        {
          path: "spec.backup.barmanObjectStore",
          message: /parameters: \{barmanObjectName: <store>, serverName: "pg-2023"\}.*under <destinationPath>\/pg-2023.*Cluster's name \("pg"\).*new path/,
        },
      ],
    },
    {
      name: "in-tree without serverName: both default to the Cluster name, nothing to set",
      resource: cluster({ backup: { barmanObjectStore: bos } }, { name: "orders" }),
      problems: [{ path: "spec.backup.barmanObjectStore", message: /serverName is not set here.*<destinationPath>\/orders.*defaults serverName to the Cluster's name too.*not needed/ }],
    },
    {
      name: "in-tree serverName that is not a string counts as unset",
      resource: cluster({ backup: { barmanObjectStore: { ...bos, serverName: 7 } } }),
      problems: [{ message: "serverName is not set here" }],
    },
    {
      name: "ObjectStore gets the block without serverName",
      resource: cluster({ backup: { barmanObjectStore: { ...bos, serverName: "x" } } }),
      problems: [{ message: "the ObjectStore CRD rejects configuration.serverName" }],
    },
    {
      name: "external cluster without serverName: in-tree used its name, the plugin would use this Cluster's",
      resource: cluster({ externalClusters: [{ name: "origin", barmanObjectStore: bos }] }, { name: "restored" }),
      problems: [
        {
          path: "spec.externalClusters[0].barmanObjectStore",
          message: /external cluster's name "origin".*<destinationPath>\/origin.*this Cluster's own name \("restored"\).*serverName: "origin"\}\}.*wrong path/,
        },
      ],
    },
    {
      name: "external cluster with serverName: that value",
      resource: cluster({ externalClusters: [{ name: "origin", barmanObjectStore: { ...bos, serverName: "origin-v1" } }] }, { name: "restored" }),
      problems: [{ message: /its serverName "origin-v1".*serverName: "origin-v1"\}\}/ }],
    },
    {
      name: "external cluster named like this Cluster: the default happens to match",
      resource: cluster({ externalClusters: [{ name: "pg", barmanObjectStore: bos }] }, { name: "pg" }),
      problems: [{ message: /serverName: "pg"\}\}.*same name here/ }],
    },
    {
      name: "realistic: the Cluster before its migration to the plugin (in-tree store with Secret keys)",
      resource: edit(SHOP_CLUSTER, ({ spec }) => {
        delete spec.plugins;
        spec.backup = {
          retentionPolicy: "30d",
          barmanObjectStore: {
            destinationPath: "s3://${BACKUP_BUCKET}/orders",
            s3Credentials: { accessKeyId: { name: "orders-db-s3", key: "ACCESS_KEY_ID" }, secretAccessKey: { name: "orders-db-s3", key: "ACCESS_SECRET_KEY" } },
            wal: { compression: "gzip" },
          },
        };
      }),
      problems: [{ path: "spec.backup.barmanObjectStore", message: /under <destinationPath>\/orders-db \(the Cluster's name\).*parameters\.serverName is not needed/ }],
    },
    {
      name: "realistic: a ScheduledBackup left on method barmanObjectStore after the migration",
      resource: swap(SHOP_NIGHTLY, "method: plugin", "method: barmanObjectStore"),
      problems: [{ path: "spec.method", message: "method: plugin" }],
    },
  ],
});
