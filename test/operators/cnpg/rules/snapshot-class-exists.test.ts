// cnpg-snapshot-class-exists: every VolumeSnapshotClass a Cluster names (className, walClassName, tablespaceClassName
// entries) exists. CNPG copies the name into the VolumeSnapshot unchecked; the external snapshot-controller then fails
// it ("Failed to get snapshot class with error ... not found", common-controller/snapshot_controller.go) and takes no
// snapshot. A StorageClass name in its place is the usual mistake (cloudnative-pg#3934).
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/snapshot-class-exists.ts";
import { HOST, snapshotClass, storageClass, vs } from "./fixtures.ts";
import { WIKI_CLUSTER, lookupsAll, swap } from "./manifests.ts";

ruleTester(rule, {
  valid: [
    { name: "classes exist", resource: vs({ className: "a", walClassName: "b", tablespaceClassName: { ts1: "a" } }), lookups: [snapshotClass("a"), snapshotClass("b")] },
    { name: "no class names", resource: vs({}), lookups: [snapshotClass("a")] },
    { name: "kind unknown: not checked", notChecked: true, resource: vs({ className: "a" }) },
    { name: "wrong types ignored", resource: vs({ className: 5, tablespaceClassName: "x" }), lookups: [snapshotClass("a")] },
    { name: "placeholder name: not checked", notChecked: true, resource: vs({ className: "${SNAP_CLASS}" }), lookups: [snapshotClass("a")] },
    { name: "realistic: the EBS snapshot class exists", resource: WIKI_CLUSTER, lookups: lookupsAll() },
    { name: "realistic: a class name from a Flux placeholder", notChecked: true, resource: swap(WIKI_CLUSTER, "className: ebs-snapclass", "className: ${SNAPSHOT_CLASS}"), lookups: lookupsAll() },
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
    {
      name: "a missing class: what the snapshot controller reports, what CNPG does",
      resource: vs({ className: "gone" }),
      lookups: [snapshotClass("a")],
      problems: [
        {
          path: "spec.backup.volumeSnapshot.className",
          message: /'Failed to get snapshot class with error volumesnapshotclass\.snapshot\.storage\.k8s\.io "gone" not found'.*1\.22 to 1\.30\.0 fail the Backup.*#11132.*volumeSnapshotDeadline.*known: a/,
        },
      ],
    },
    {
      name: "a StorageClass name: says so and lists the classes of its provisioner",
      resource: vs({ className: "managed-csi" }),
      lookups: [snapshotClass("csi-azuredisk-vsc", false, "disk.csi.azure.com"), snapshotClass("other", false, HOST), storageClass("managed-csi", "disk.csi.azure.com")],
      problems: [{ message: /"managed-csi" is a StorageClass, not a VolumeSnapshotClass.*of its provisioner disk\.csi\.azure\.com: csi-azuredisk-vsc\./ }],
    },
    {
      name: "a tablespace class names its own field",
      resource: vs({ tablespaceClassName: { ts1: "gone" } }),
      lookups: [snapshotClass("a")],
      problems: [{ path: "spec.backup.volumeSnapshot.tablespaceClassName.ts1", message: "Set tablespaceClassName.ts1 to an existing VolumeSnapshotClass" }],
    },
    {
      name: "placeholder: the not-checked reason names the placeholder",
      resource: vs({ className: "${SNAP_CLASS}" }),
      lookups: [snapshotClass("a")],
      problems: [{ notChecked: true, message: "${SNAP_CLASS}" }],
    },
    {
      name: "realistic: the StorageClass name where the VolumeSnapshotClass belongs (#3934)",
      resource: swap(WIKI_CLUSTER, "className: ebs-snapclass", "className: gp3"),
      lookups: lookupsAll(),
      problems: [{ path: "spec.backup.volumeSnapshot.className", message: /"gp3" is a StorageClass.*of its provisioner ebs\.csi\.aws\.com: ebs-snapclass/ }],
    },
  ],
});
