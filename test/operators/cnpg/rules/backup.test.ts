import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule as explicit } from "../../../../src/operators/cnpg/rules/backup-method-explicit.ts";
import { rule as matches } from "../../../../src/operators/cnpg/rules/backup-method-matches-cluster.ts";
import { rule as pluginConfig } from "../../../../src/operators/cnpg/rules/plugin-configuration-required.ts";
import { rule as onlineFlags } from "../../../../src/operators/cnpg/rules/online-flags-method.ts";
import { rule as target } from "../../../../src/operators/cnpg/rules/backup-target.ts";
import { rule as nameLength } from "../../../../src/operators/cnpg/rules/scheduled-backup-name-length.ts";
import { rule as ownerRef } from "../../../../src/operators/cnpg/rules/backup-owner-reference.ts";
import { PLUGIN, archiver, backup, cluster, scheduled } from "./fixtures.ts";

const pluginCluster = cluster({ plugins: [archiver] });
const snapCluster = cluster({ backup: { volumeSnapshot: { className: "c" } } });
const bosCluster = cluster({ backup: { barmanObjectStore: { destinationPath: "s3://b/" } } });
const pluginBackup = { cluster: { name: "pg" }, method: "plugin", pluginConfiguration: { name: PLUGIN } };

ruleTester(explicit, {
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
    { name: "method absent (no API server in front)", resource: backup({ cluster: { name: "pg" } }), problems: [{ path: "spec.method" }] },
    { name: "spec is a number", resource: backup(42), problems: [{ path: "spec.method" }] },
  ],
});

ruleTester(matches, {
  valid: [
    { name: "plugin on plugin cluster", resource: backup(pluginBackup), lookups: [pluginCluster] },
    { name: "snapshot on snapshot cluster", resource: backup({ cluster: { name: "pg" }, method: "volumeSnapshot" }), lookups: [snapCluster] },
    { name: "barmanObjectStore on in-tree cluster", resource: backup({ cluster: { name: "pg" }, method: "barmanObjectStore" }), lookups: [bosCluster] },
    { name: "no method: the explicit rule's job", resource: backup({ cluster: { name: "pg" } }), lookups: [pluginCluster] },
    { name: "cluster kind unknown", notChecked: true, resource: backup(pluginBackup) },
    { name: "cluster missing (same batch)", notChecked: true, resource: backup(pluginBackup), lookups: [cluster({}, { name: "other" })] },
    { name: "plugin without name: the configuration rule's job", resource: backup({ cluster: { name: "pg" }, method: "plugin" }), lookups: [pluginCluster] },
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
  ],
});

ruleTester(pluginConfig, {
  valid: [
    { name: "with name", resource: scheduled(pluginBackup) },
    { name: "snapshot", resource: scheduled({ method: "volumeSnapshot" }) },
  ],
  invalid: [
    { name: "missing block", resource: scheduled({ cluster: { name: "pg" }, method: "plugin" }), problems: [{ path: "spec.pluginConfiguration", message: PLUGIN }] },
    { name: "empty name", resource: backup({ method: "plugin", pluginConfiguration: { name: "" } }), problems: [{ path: "spec.pluginConfiguration.name" }] },
    { name: "block is a string", resource: backup({ method: "plugin", pluginConfiguration: "barman" }), problems: [{ path: "spec.pluginConfiguration.name" }] },
  ],
});

ruleTester(onlineFlags, {
  valid: [
    { name: "volumeSnapshot with online", resource: backup({ method: "volumeSnapshot", online: false, onlineConfiguration: {} }) },
    { name: "plugin without flags", resource: backup(pluginBackup) },
  ],
  invalid: [
    { name: "plugin with online false", resource: backup({ ...pluginBackup, online: false }), problems: [{ path: "spec.online", message: "ignores" }] },
    { name: "no method with both", resource: scheduled({ online: true, onlineConfiguration: { immediateCheckpoint: true } }), problems: [{ path: "spec.online", message: "method is unset" }, { path: "spec.onlineConfiguration" }] },
    { name: "barmanObjectStore", resource: backup({ method: "barmanObjectStore", onlineConfiguration: {} }), problems: [{ message: "rejects" }] },
  ],
});

ruleTester(target, {
  valid: [
    { name: "cluster prefer-standby", resource: cluster({ backup: { target: "prefer-standby" } }) },
    { name: "backup unset", resource: backup(pluginBackup) },
    { name: "backup target wrong type", resource: backup({ target: 1 }) },
  ],
  invalid: [
    { name: "cluster primary", resource: cluster({ backup: { target: "primary" } }), problems: [{ path: "spec.backup.target", message: "prefer-standby" }] },
    { name: "backup primary", resource: backup({ ...pluginBackup, target: "primary" }), problems: [{ path: "spec.target" }] },
    { name: "scheduled primary", resource: scheduled({ target: "primary" }), problems: [{ path: "spec.target" }] },
  ],
});

ruleTester(nameLength, {
  valid: [
    { name: "48 characters", resource: scheduled({}, { name: "a".repeat(48) }) },
    { name: "param raised", resource: scheduled({}, { name: "a".repeat(50) }), params: { maxLength: 50 } },
    { name: "name not a string", resource: scheduled({}, { name: 12 }) },
  ],
  invalid: [
    { name: "49 characters with method: volumeSnapshot (#9343)", resource: scheduled({ method: "volumeSnapshot" }, { name: "a".repeat(49) }), problems: [{ path: "metadata.name", message: "49 characters" }] },
    { name: "param lowered", resource: scheduled({}, { name: "a".repeat(30) }), params: { maxLength: 20 }, problems: [{ message: "at most 20" }] },
  ],
});

ruleTester(ownerRef, {
  valid: [
    { name: "self", resource: scheduled({ backupOwnerReference: "self" }) },
    { name: "cluster", resource: scheduled({ backupOwnerReference: "cluster" }) },
  ],
  invalid: [
    {
      name: "the CRD default none, not written by the user: the message says so",
      resource: scheduled({ schedule: "0 0 0 * * *", backupOwnerReference: "none" }),
      origin: { "spec.backupOwnerReference": "crd" },
      problems: [{ path: "spec.backupOwnerReference", message: "is unset, so the CRD default none applies" }],
    },

    { name: "unset", resource: scheduled({ schedule: "0 0 0 * * *" }), problems: [{ path: "spec.backupOwnerReference", message: "unset" }] },
    { name: "none", resource: scheduled({ backupOwnerReference: "none" }), problems: [{ message: '"none"' }] },
    { name: "spec is a list", resource: scheduled([1, 2]), problems: [{ path: "spec.backupOwnerReference" }] },
  ],
});
