// cnpg-retention-required: an ObjectStore sets spec.retentionPolicy (a store Clusters only recover from need not); an
// in-tree barmanObjectStore needs spec.backup.retentionPolicy.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/retention-required.ts";
import { PLUGIN, archiver, bos, cluster, objectStore } from "./fixtures.ts";
import { LEDGER_STORE, SHOP_STORE, WIKI_STORE, lookupsAll, swap } from "./manifests.ts";

ruleTester(rule, {
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
    { name: "realistic: 30 days", resource: SHOP_STORE, lookups: lookupsAll() },
    { name: "realistic: 12 weeks on Azure", resource: LEDGER_STORE, lookups: lookupsAll() },
    { name: "realistic: a per-app store", resource: WIKI_STORE, lookups: lookupsAll() },
    { name: "realistic: a retention from a Flux placeholder is set", resource: swap(WIKI_STORE, 'retentionPolicy: "14d"', "retentionPolicy: ${RETENTION}") },
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
    {
      name: "realistic: a store written without retentionPolicy",
      resource: swap(WIKI_STORE, '  retentionPolicy: "14d"\n', ""),
      lookups: lookupsAll(),
      problems: [{ path: "spec.retentionPolicy", message: "never deletes old base backups or WAL" }],
    },
  ],
});
