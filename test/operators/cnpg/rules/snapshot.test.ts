import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule as classRequired } from "../../../../src/operators/cnpg/rules/snapshot-class-required.ts";
import { rule as classExists } from "../../../../src/operators/cnpg/rules/snapshot-class-exists.ts";
import { rule as offline } from "../../../../src/operators/cnpg/rules/offline-snapshot-downtime.ts";
import { rule as waitForArchive } from "../../../../src/operators/cnpg/rules/wait-for-archive.ts";
import { archiver, backup, cluster, scheduled, snapshotClass, storageClass } from "./fixtures.ts";

const vs = (volumeSnapshot: unknown, extra: Record<string, unknown> = {}) => cluster({ plugins: [archiver], backup: { volumeSnapshot }, ...extra });

ruleTester(classRequired, {
  valid: [
    { name: "className set", resource: vs({ className: "csi-snap" }) },
    { name: "no volumeSnapshot", resource: cluster({ plugins: [archiver] }) },
    { name: "a default class is known, the storage's driver is not: not checked, never denied", notChecked: true, resource: vs({}), lookups: [snapshotClass("csi-snap", true)] },
    { name: "a default class of the storage's driver", resource: vs({}, { storage: { storageClass: "fast" } }), lookups: [snapshotClass("csi-snap", true), storageClass("fast")] },
    { name: "volumeSnapshot is a string: CRD rejects it, nothing here", resource: vs("yes") },
    {
      name: "walStorage on the same driver falls back to className",
      resource: vs({ className: "a" }, { storage: { storageClass: "fast" }, walStorage: { storageClass: "fast2" } }),
      lookups: [storageClass("fast"), storageClass("fast2")],
    },
    {
      name: "different drivers with walClassName",
      resource: vs({ className: "a", walClassName: "b" }, { storage: { storageClass: "fast" }, walStorage: { storageClass: "ebs" } }),
      lookups: [storageClass("fast"), storageClass("ebs", "ebs.csi.aws.com")],
    },
  ],
  invalid: [
    {
      name: "no className, VolumeSnapshotClass kind unknown: still denied, says --lookup",
      resource: vs({ online: true }),
      problems: [{ path: "spec.backup.volumeSnapshot.className", message: "--lookup" }],
    },
    {
      name: "no className, classes known but none default",
      resource: vs({}),
      lookups: [snapshotClass("csi-snap")],
      problems: [{ path: "spec.backup.volumeSnapshot.className", message: "snapshot.storage.kubernetes.io/is-default-class" }],
    },
    {
      name: "only walClassName set, walStorage present",
      resource: vs({ walClassName: "w" }, { walStorage: { size: "1Gi" } }),
      problems: [{ path: "spec.backup.volumeSnapshot.className" }],
    },
    {
      name: "no className with walStorage mentions the WAL volume",
      resource: vs({}, { walStorage: { size: "1Gi" } }),
      problems: [{ message: "walClassName" }],
    },
    {
      name: "walStorage on another CSI driver without walClassName",
      resource: vs({ className: "a" }, { storage: { storageClass: "fast" }, walStorage: { storageClass: "ebs" } }),
      lookups: [storageClass("fast"), storageClass("ebs", "ebs.csi.aws.com")],
      problems: [{ path: "spec.backup.volumeSnapshot.walClassName", message: "ebs.csi.aws.com" }],
    },
  ],
});

ruleTester(classExists, {
  valid: [
    { name: "classes exist", resource: vs({ className: "a", walClassName: "b", tablespaceClassName: { ts1: "a" } }), lookups: [snapshotClass("a"), snapshotClass("b")] },
    { name: "no class names", resource: vs({}), lookups: [snapshotClass("a")] },
    { name: "kind unknown: not checked", notChecked: true, resource: vs({ className: "a" }) },
    { name: "wrong types ignored", resource: vs({ className: 5, tablespaceClassName: "x" }), lookups: [snapshotClass("a")] },
  ],
  invalid: [
    {
      name: "StorageClass name used as className (#3934)",
      resource: vs({ className: "managed-csi" }),
      lookups: [snapshotClass("csi-azuredisk-vsc"), storageClass("managed-csi", "disk.csi.azure.com")],
      problems: [{ path: "spec.backup.volumeSnapshot.className", message: /"managed-csi" is a StorageClass.*known: csi-azuredisk-vsc/ }],
    },
    {
      name: "missing wal and tablespace classes",
      resource: vs({ className: "a", walClassName: "nope", tablespaceClassName: { ts1: "gone", ts2: "a" } }),
      lookups: [snapshotClass("a")],
      problems: [
        { path: "spec.backup.volumeSnapshot.walClassName", message: 'no VolumeSnapshotClass named "nope"' },
        { path: "spec.backup.volumeSnapshot.tablespaceClassName.ts1", message: "gone" },
      ],
    },
    {
      name: "kind unknown yields not-checked entries",
      resource: vs({ className: "a", walClassName: "b" }),
      problems: [{ notChecked: true }, { notChecked: true }],
    },
  ],
});

const vsCluster = (instances: unknown, online: unknown, target?: string) =>
  cluster({ instances, plugins: [archiver], backup: { ...(target ? { target } : {}), volumeSnapshot: { className: "c", online } } }, { name: "pg" });

ruleTester(offline, {
  valid: [
    { name: "3 instances cold, prefer-standby", resource: vsCluster(3, false) },
    { name: "1 instance hot", resource: vsCluster(1, true) },
    { name: "1 instance, online unset (hot)", resource: cluster({ backup: { volumeSnapshot: { className: "c" } } }) },
    { name: "instances is a string: only the target is judged", resource: vsCluster("three", false) },
    { name: "plugin backup with online false is not a snapshot", resource: backup({ cluster: { name: "pg" }, method: "plugin", online: false }) },
    { name: "cold backup on a 3-instance cluster", resource: backup({ cluster: { name: "pg" }, method: "volumeSnapshot", online: false }), lookups: [vsCluster(3, true)] },
    { name: "hot backup overrides cold cluster", resource: backup({ cluster: { name: "pg" }, method: "volumeSnapshot", online: true }), lookups: [vsCluster(1, false)] },
    { name: "online unset, cluster hot", resource: scheduled({ cluster: { name: "pg" }, method: "volumeSnapshot" }), lookups: [vsCluster(1, true)] },
    { name: "online unset, cluster unknown: nothing to say", resource: backup({ cluster: { name: "pg" }, method: "volumeSnapshot" }) },
    { name: "cold, cluster kind unknown: not checked only", notChecked: true, resource: backup({ cluster: { name: "pg" }, method: "volumeSnapshot", online: false }) },
  ],
  invalid: [
    { name: "single instance cold (default instances)", resource: cluster({ plugins: [archiver], backup: { volumeSnapshot: { className: "c", online: false } } }), problems: [{ path: "spec.backup.volumeSnapshot.online", message: "1 instance" }] },
    { name: "3 instances cold targeting primary", resource: vsCluster(3, false, "primary"), problems: [{ message: "target is primary" }] },
    { name: "instances wrong type, target primary", resource: vsCluster("three", false, "primary"), problems: [{ path: "spec.backup.volumeSnapshot.online" }] },
    {
      name: "cold backup with target primary, visible without lookup",
      resource: backup({ cluster: { name: "pg" }, method: "volumeSnapshot", online: false, target: "primary" }),
      problems: [{ path: "spec.target", message: "fences" }],
    },
    {
      name: "cold backup on a single-instance cluster",
      resource: scheduled({ cluster: { name: "pg" }, method: "volumeSnapshot", online: false }),
      lookups: [vsCluster(1, true)],
      problems: [{ path: "spec.online", message: 'Cluster "pg" has 1 instance' }],
    },
    {
      name: "online unset inherits the cluster's cold setting",
      resource: backup({ cluster: { name: "pg" }, method: "volumeSnapshot" }),
      lookups: [vsCluster(1, false)],
      problems: [{ path: "spec.method", message: "volumeSnapshot.online: false" }],
    },
    {
      name: "cluster target primary applies to the backup",
      resource: backup({ cluster: { name: "pg" }, method: "volumeSnapshot", online: false }),
      lookups: [vsCluster(3, true, "primary")],
      problems: [{ message: "target is primary" }],
    },
    {
      name: "backup target overrides the cluster's primary",
      resource: backup({ cluster: { name: "pg" }, method: "volumeSnapshot", online: false, target: "prefer-standby" }),
      lookups: [vsCluster(1, true, "primary")],
      problems: [{ message: "1 instance" }],
    },
    {
      name: "cold, cluster kind unknown: not checked",
      resource: backup({ cluster: { name: "pg" }, method: "volumeSnapshot", online: false }),
      problems: [{ path: "spec.online", notChecked: true }],
    },
    {
      name: "cold, cluster not found (same batch?): not checked, says so",
      resource: backup({ cluster: { name: "pg" }, method: "volumeSnapshot", online: false }),
      lookups: [cluster({}, { name: "other" })],
      problems: [{ notChecked: true, message: "same batch" }],
    },
  ],
});

ruleTester(waitForArchive, {
  valid: [
    { name: "default", resource: vs({ className: "c" }) },
    { name: "true", resource: backup({ method: "volumeSnapshot", onlineConfiguration: { waitForArchive: true } }) },
    { name: "cold snapshot: flag unused", resource: vs({ online: false, onlineConfiguration: { waitForArchive: false } }) },
    { name: "wrong type", resource: backup({ onlineConfiguration: "x" }) },
  ],
  invalid: [
    { name: "cluster", resource: vs({ onlineConfiguration: { waitForArchive: false } }), problems: [{ path: "spec.backup.volumeSnapshot.onlineConfiguration.waitForArchive" }] },
    { name: "backup", resource: backup({ method: "volumeSnapshot", onlineConfiguration: { waitForArchive: false } }), problems: [{ path: "spec.onlineConfiguration.waitForArchive", message: "cannot be restored" }] },
    { name: "the message says where PostgreSQL waits", resource: vs({ onlineConfiguration: { waitForArchive: false } }), problems: [{ message: "on a standby PostgreSQL waits only with archive_mode = always" }] },
    { name: "scheduled backup", resource: scheduled({ method: "volumeSnapshot", online: true, onlineConfiguration: { waitForArchive: false } }), problems: [{ path: "spec.onlineConfiguration.waitForArchive" }] },
  ],
});
