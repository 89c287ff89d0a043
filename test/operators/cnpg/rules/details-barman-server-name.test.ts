// cnpg-barman-object-store-deprecated: the migration advice keeps the archive path (serverName).
// In-tree: barmanObjectStore.serverName, else the Cluster's name; externalClusters[i]: serverName, else the external
// cluster's name (cloudnative-pg api/v1/cluster_funcs.go GetServerName). Plugin: parameters.serverName, else the
// Cluster's own name for the archive and for recovery/replica sources alike (plugin-barman-cloud
// internal/cnpgi/operator/config/config.go NewFromCluster).
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/barman-object-store-deprecated.ts";
import { archiver, cluster } from "./fixtures.ts";

const bos = { destinationPath: "s3://b/", s3Credentials: { inheritFromIAMRole: true } };

ruleTester(rule, {
  valid: [
    { name: "plugin entry with serverName", resource: cluster({ plugins: [{ ...archiver, parameters: { barmanObjectName: "s", serverName: "old" } }] }) },
    { name: "external cluster already on the plugin", resource: cluster({ plugins: [archiver], externalClusters: [{ name: "src", plugin: { name: archiver.name, parameters: { barmanObjectName: "s", serverName: "src" } } }] }) },
  ],
  invalid: [
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
  ],
});
