// cnpg-snapshot-class-required: what the external snapshot-controller does with the classes CNPG passes
// (common-controller/snapshot_controller.go SetDefaultSnapshotClass: the default class whose driver is the PV's CSI
// driver; none -> "cannot find default snapshot class", several -> "<n> default snapshot classes were found"), per
// volume (CNPG's calculator.go: PGDATA className; WAL walClassName, else className; tablespace its class, else className).
import type { Resource } from "../../../../src/engine/types.ts";
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/snapshot-class-required.ts";
import { EBS, HOST, archiver, cluster, snapshotClass, storageClass, vs } from "./fixtures.ts";
import { WIKI_CLUSTER, lookupsAll, swap } from "./manifests.ts";

const defaultStorageClass = (name: string, provisioner: string): Resource => {
  const sc = storageClass(name, provisioner);
  sc.metadata.annotations = { "storageclass.kubernetes.io/is-default-class": "true" };
  return sc;
};
const gp3 = { storage: { storageClass: "gp3", size: "1Gi" } };
const ebsLookups = [storageClass("gp3", EBS), storageClass("fast", HOST)];

ruleTester(rule, {
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
    { name: "a default class for the storage's driver", resource: vs({}, gp3), lookups: [...ebsLookups, snapshotClass("ebs-snap", true, EBS)] },
    {
      name: "storageClass unset: the cluster's default StorageClass decides the driver",
      resource: vs({}),
      lookups: [defaultStorageClass("standard", EBS), snapshotClass("ebs-snap", true, EBS)],
    },
    {
      name: "pvcTemplate.storageClassName is used when storageClass is unset",
      resource: vs({}, { storage: { size: "1Gi", pvcTemplate: { storageClassName: "gp3" } } }),
      lookups: [...ebsLookups, snapshotClass("ebs-snap", true, EBS)],
    },
    {
      name: "a default for some driver, the storage's driver unknown: not checked, not denied", notChecked: true,
      resource: vs({}, gp3),
      lookups: [snapshotClass("host-snap", true, HOST)],
    },
    {
      name: "named StorageClass missing: driver unknown, not checked", notChecked: true,
      resource: vs({}, { storage: { storageClass: "nope" } }),
      lookups: [storageClass("fast", HOST), snapshotClass("host-snap", true, HOST)],
    },
    {
      name: "WAL and tablespace on the same driver, both with defaults",
      resource: vs({}, { ...gp3, walStorage: { storageClass: "fast" }, tablespaces: [{ name: "t1", storage: { storageClass: "gp3" } }] }),
      lookups: [...ebsLookups, snapshotClass("ebs-snap", true, EBS), snapshotClass("host-snap", true, HOST)],
    },
    {
      name: "className of the WAL's driver: no mismatch for the WAL (PGDATA is not this check's business)",
      resource: vs({ className: "ebs-snap" }, { storage: { storageClass: "fast" }, walStorage: { storageClass: "gp3" } }),
      lookups: [...ebsLookups, snapshotClass("ebs-snap", false, EBS)],
    },
    {
      name: "walClassName set: the WAL volume has its own class",
      resource: vs({ className: "host-snap", walClassName: "ebs-snap" }, { storage: { storageClass: "fast" }, walStorage: { storageClass: "gp3" } }),
      lookups: [...ebsLookups, snapshotClass("host-snap", false, HOST), snapshotClass("ebs-snap", false, EBS)],
    },
    { name: "realistic: className names the EBS snapshot class", resource: WIKI_CLUSTER, lookups: lookupsAll() },
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
    {
      name: "a default class only for another driver: cannot find default snapshot class",
      resource: vs({}, gp3),
      lookups: [...ebsLookups, snapshotClass("host-snap", true, HOST)],
      problems: [
        {
          path: "spec.backup.volumeSnapshot.className",
          message: /no VolumeSnapshotClass of driver ebs\.csi\.aws\.com \(the provisioner of StorageClass "gp3"\).*"Failed to set default snapshot class with error cannot find default snapshot class"/,
        },
      ],
    },
    {
      name: "two defaults for the driver",
      resource: vs({}, { storage: { storageClass: "fast" } }),
      lookups: [...ebsLookups, snapshotClass("a", true, HOST), snapshotClass("b", true, HOST)],
      problems: [{ message: /2 VolumeSnapshotClasses of driver hostpath\.csi\.k8s\.io .*\(a, b\).*2 default snapshot classes were found/ }],
    },
    {
      name: "default StorageClass's driver has no default class",
      resource: vs({}),
      lookups: [defaultStorageClass("standard", EBS), snapshotClass("host-snap", true, HOST)],
      problems: [{ message: 'the provisioner of the default StorageClass "standard"' }],
    },
    {
      name: "driver unknown, and no default class at all: certain failure",
      resource: vs({}, gp3),
      lookups: [snapshotClass("host-snap", false, HOST)],
      problems: [{ path: "spec.backup.volumeSnapshot.className", message: "no VolumeSnapshotClass carries snapshot.storage.kubernetes.io/is-default-class" }],
    },
    {
      name: "driver unknown, no driver with exactly one default: certain failure",
      resource: vs({}, gp3),
      lookups: [snapshotClass("a", true, HOST), snapshotClass("b", true, HOST)],
      problems: [{ message: /no CSI driver has exactly one default VolumeSnapshotClass \(2 for hostpath\.csi\.k8s\.io\), whatever the volume's driver is/ }],
    },
    {
      name: "driver unknown with a usable default: the not-checked entry says why",
      resource: vs({}, gp3),
      lookups: [snapshotClass("host-snap", true, HOST)],
      problems: [{ path: "spec.backup.volumeSnapshot.className", notChecked: true, message: /known defaults: host-snap for hostpath\.csi\.k8s\.io.*StorageClass "gp3".*no StorageClass objects are known/ }],
    },
    {
      name: "pvcTemplate.storageClassName \"\": no StorageClass, driver unknown",
      resource: vs({}, { storage: { pvcTemplate: { storageClassName: "" } } }),
      lookups: [storageClass("fast", HOST), snapshotClass("host-snap", true, HOST)],
      problems: [{ notChecked: true, message: 'spec.storage.pvcTemplate.storageClassName is ""' }],
    },
    {
      name: "WAL on another driver without a default, PGDATA fine: the finding is on walClassName",
      resource: vs({}, { storage: { storageClass: "fast" }, walStorage: { storageClass: "gp3" } }),
      lookups: [...ebsLookups, snapshotClass("host-snap", true, HOST)],
      problems: [{ path: "spec.backup.volumeSnapshot.walClassName", message: /the WAL volume \(spec\.walStorage\) has no walClassName.*driver ebs\.csi\.aws\.com/ }],
    },
    {
      name: "WAL on the same driver fails like PGDATA: one finding, className covers both",
      resource: vs({}, { ...gp3, walStorage: { storageClass: "gp3" } }),
      lookups: [...ebsLookups, snapshotClass("host-snap", true, HOST)],
      problems: [{ path: "spec.backup.volumeSnapshot.className", message: /The WAL volume \(spec\.walStorage\) has no class of its own either.*className covers it too/ }],
    },
    {
      name: "tablespace on another driver without a default, PGDATA fine",
      resource: vs({}, { storage: { storageClass: "fast" }, tablespaces: [{ name: "t1", storage: { storageClass: "gp3" } }] }),
      lookups: [...ebsLookups, snapshotClass("host-snap", true, HOST)],
      problems: [{ path: "spec.backup.volumeSnapshot.tablespaceClassName.t1", message: 'tablespace "t1"' }],
    },
    {
      name: "tablespace falls back to a className of another driver",
      resource: vs({ className: "host-snap" }, { storage: { storageClass: "fast" }, tablespaces: [{ name: "t1", storage: { storageClass: "gp3" } }] }),
      lookups: [...ebsLookups, snapshotClass("host-snap", false, HOST)],
      problems: [
        {
          path: "spec.backup.volumeSnapshot.tablespaceClassName.t1",
          message: /tablespace "t1" .*driver ebs\.csi\.aws\.com.*VolumeSnapshotClass "host-snap" \(driver hostpath\.csi\.k8s\.io\).*VolumeSnapshotContent for driver hostpath/,
        },
      ],
    },
    {
      name: "VolumeSnapshotClass kind unknown: denied by design, with WAL and tablespace folded in",
      resource: vs({}, { walStorage: { size: "1Gi" }, tablespaces: [{ name: "t1", storage: { size: "1Gi" } }] }),
      problems: [{ path: "spec.backup.volumeSnapshot.className", message: /no VolumeSnapshotClass is known here.*The WAL volume.*and tablespace "t1".*className covers them too/ }],
    },
    {
      name: "realistic: className left out, the EBS snapshot class is not the default",
      resource: swap(WIKI_CLUSTER, "      className: ebs-snapclass\n", ""),
      lookups: lookupsAll(),
      problems: [
        {
          path: "spec.backup.volumeSnapshot.className",
          message: /no VolumeSnapshotClass of driver ebs\.csi\.aws\.com \(the provisioner of StorageClass "gp3"\).*className covers it too/,
        },
      ],
    },
  ],
});
