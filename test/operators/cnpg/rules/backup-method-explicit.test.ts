// cnpg-backup-method-explicit: a Backup / ScheduledBackup states its method; the CRD default barmanObjectStore is the
// deprecated in-tree path (a trap after migrating to the plugin).
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/backup-method-explicit.ts";
import { archiver, backup, cluster, pluginBackup, pluginCluster, scheduled } from "./fixtures.ts";
import { LEDGER_BACKUP, SHOP_NIGHTLY, WIKI_SNAPSHOTS, swap } from "./manifests.ts";

ruleTester(rule, {
  valid: [
    { name: "plugin", resource: backup(pluginBackup) },
    { name: "volumeSnapshot", resource: scheduled({ cluster: { name: "pg" }, method: "volumeSnapshot", schedule: "0 0 0 * * *" }) },
    {
      name: "at admission: the CRD default is indistinguishable from a written method, so never a finding",
      resource: backup({ cluster: { name: "pg" }, method: "barmanObjectStore" }),
    },
    {
      name: "method from the CRD default on a plugin Cluster: cnpg-backup-method-matches-cluster tells it (one finding)",
      resource: scheduled({ cluster: { name: "pg" }, method: "barmanObjectStore", schedule: "0 0 0 * * *" }),
      origin: { "spec.method": "crd" },
      lookups: [pluginCluster],
    },
    { name: "realistic: a plugin ScheduledBackup", resource: SHOP_NIGHTLY },
    { name: "realistic: a volumeSnapshot ScheduledBackup", resource: WIKI_SNAPSHOTS },
    { name: "realistic: an on-demand plugin Backup", resource: LEDGER_BACKUP },
    // The method defaulter reads the Cluster; once substituted it may find it and fill the method in.
    {
      name: "the Cluster is named by a placeholder in spec.cluster.name",
      notChecked: true,
      resource: scheduled({ cluster: { name: "${CLUSTER}" }, method: "barmanObjectStore", schedule: "0 0 0 * * *" }),
      origin: { "spec.method": "crd" },
      lookups: [pluginCluster],
    },
    {
      name: "a known Cluster's own name is a placeholder that can become the one named",
      notChecked: true,
      resource: backup({ cluster: { name: "pg" }, method: "barmanObjectStore" }),
      origin: { "spec.method": "crd" },
      lookups: [cluster({ backup: { barmanObjectStore: { destinationPath: "s3://b/" } } }, { name: "${APP:=pg}" })],
    },
  ],
  invalid: [
    {
      name: "method from the CRD default, Cluster not known",
      resource: backup({ cluster: { name: "pg" }, method: "barmanObjectStore" }),
      origin: { "spec.method": "crd" },
      problems: [{ path: "spec.method", message: /unset, so the CRD default barmanObjectStore applies.*barmanObjectStore, volumeSnapshot, plugin/ }],
    },
    {
      name: "method from the CRD default on an in-tree Cluster: works, but relies on the deprecated default",
      resource: backup({ cluster: { name: "pg" }, method: "barmanObjectStore" }),
      origin: { "spec.method": "crd" },
      lookups: [cluster({ backup: { barmanObjectStore: { destinationPath: "s3://b/" } } })],
      problems: [{ message: 'Cluster "pg" supports: barmanObjectStore' }],
    },
    {
      name: "plugin Cluster, matches-cluster off: this rule says it",
      resource: scheduled({ cluster: { name: "pg" }, schedule: "0 0 0 * * *" }),
      lookups: [pluginCluster],
      inactiveRules: ["cnpg-backup-method-matches-cluster"],
      problems: [{ path: "spec.method", message: /CRD default barmanObjectStore.*Cluster "pg" supports: plugin/ }],
    },
    {
      name: "the placeholder answer names where the placeholder is",
      resource: backup({ cluster: { name: "${APP}-db" } }),
      lookups: [pluginCluster],
      problems: [{ path: "spec.cluster.name", message: 'the Cluster name "${APP}-db" contains the unresolved placeholder ${APP}', notChecked: true }],
    },
    {
      name: "a Cluster named by a placeholder that can never become the one named: the reminder stays",
      resource: backup({ cluster: { name: "pg" }, method: "barmanObjectStore" }),
      origin: { "spec.method": "crd" },
      lookups: [cluster({ plugins: [archiver] }, { name: "${APP}-db" })],
      problems: [{ path: "spec.method", message: "unset, so the CRD default barmanObjectStore applies" }],
    },
    { name: "method absent (no API server in front)", resource: backup({ cluster: { name: "pg" } }), problems: [{ path: "spec.method" }] },
    { name: "spec is a number", resource: backup(42), problems: [{ path: "spec.method" }] },
    {
      name: "realistic: an on-demand Backup without its method line",
      resource: swap(LEDGER_BACKUP, "  method: plugin\n", ""),
      problems: [{ path: "spec.method" }],
    },
  ],
});
