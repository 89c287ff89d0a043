// cnpg-wal-snapshot-class: CNPG v1.30.0 persistentvolumeclaim/calculator.go: WAL walClassName, else className;
// tablespace its tablespaceClassName entry, else className. A class of another CSI driver cannot snapshot the volume.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/wal-snapshot-class.ts";
import { EBS, HOST, archiver, backup, cluster, scheduled, snapshotClass, storageClass, vs } from "./fixtures.ts";
import { WIKI_CLUSTER, WIKI_SNAPSHOTS, lookupsAll, swap } from "./manifests.ts";

const REQUIRED = ["cnpg-snapshot-class-required"];
const split = { storage: { storageClass: "fast" }, walStorage: { storageClass: "gp3" } };
const classes = [storageClass("fast", HOST), storageClass("gp3", EBS), snapshotClass("host-snap", false, HOST), snapshotClass("ebs-snap", false, EBS)];
const snapBackup = (kind: "Backup" | "ScheduledBackup") =>
  (kind === "Backup" ? backup : scheduled)({ cluster: { name: "pg" }, method: "volumeSnapshot", schedule: "0 0 0 * * *" });

ruleTester(rule, {
  valid: [
    { name: "left to cnpg-snapshot-class-required while it is active", resource: vs({ className: "host-snap" }, split), lookups: classes },
    { name: "walClassName set", resource: vs({ className: "host-snap", walClassName: "ebs-snap" }, split), lookups: classes, inactiveRules: REQUIRED },
    { name: "same driver", resource: vs({ className: "host-snap" }, { storage: { storageClass: "fast" }, walStorage: { storageClass: "fast" } }), lookups: classes, inactiveRules: REQUIRED },
    { name: "no className: each volume gets its own driver's default", resource: vs({}, split), lookups: classes, inactiveRules: REQUIRED },
    { name: "className's class is of the WAL's driver", resource: vs({ className: "ebs-snap" }, split), lookups: classes, inactiveRules: REQUIRED },
    { name: "WAL driver unknown (no StorageClasses known): not checked, no finding", resource: vs({ className: "host-snap" }, split), lookups: [snapshotClass("host-snap", false, HOST)], inactiveRules: REQUIRED },
    { name: "no volumeSnapshot backups", resource: cluster({ plugins: [archiver], ...split }), lookups: classes, inactiveRules: REQUIRED },
    { name: "a plugin Backup", resource: backup({ cluster: { name: "pg" }, method: "plugin" }), lookups: [...classes, vs({ className: "host-snap" }, split)] },
    { name: "a volumeSnapshot Backup whose Cluster is not known", resource: snapBackup("Backup"), lookups: classes },
    { name: "wrong types", resource: vs({ className: "host-snap", tablespaceClassName: 4 }, { walStorage: "x", tablespaces: [null, { name: 3 }] }), lookups: classes, inactiveRules: REQUIRED },
    { name: "realistic: PGDATA and WAL on one driver", resource: WIKI_CLUSTER, lookups: lookupsAll(), inactiveRules: REQUIRED },
    { name: "realistic: a ScheduledBackup of a Cluster named by a Flux placeholder", resource: WIKI_SNAPSHOTS, lookups: lookupsAll() },
  ],
  invalid: [
    {
      name: "WAL on another driver falls back to className",
      resource: vs({ className: "host-snap" }, split),
      lookups: classes,
      inactiveRules: REQUIRED,
      problems: [
        {
          path: "spec.backup.volumeSnapshot.walClassName",
          message: /the WAL volume \(spec\.walStorage\) is on CSI driver ebs\.csi\.aws\.com \(StorageClass "gp3"\) but has no walClassName.*"host-snap" \(driver hostpath\.csi\.k8s\.io\).*#9053.*driver ebs\.csi\.aws\.com/,
        },
      ],
    },
    {
      name: "className's class unknown: PGDATA's driver stands for it; a tablespace too",
      resource: vs({ className: "elsewhere" }, { storage: { storageClass: "fast" }, tablespaces: [{ name: "t1", storage: { storageClass: "gp3" } }] }),
      lookups: [storageClass("fast", HOST), storageClass("gp3", EBS)],
      inactiveRules: REQUIRED,
      problems: [{ path: "spec.backup.volumeSnapshot.tablespaceClassName.t1", message: /tablespace "t1".*the class for PGDATA's CSI driver hostpath\.csi\.k8s\.io/ }],
    },
    {
      name: "a volumeSnapshot Backup of such a Cluster",
      resource: snapBackup("Backup"),
      lookups: [...classes, vs({ className: "host-snap" }, split)],
      problems: [{ path: "spec.cluster.name", message: /This Backup's snapshots of Cluster "pg" will not complete\. On that Cluster, the WAL volume/ }],
    },
    {
      name: "a volumeSnapshot ScheduledBackup of such a Cluster",
      resource: snapBackup("ScheduledBackup"),
      lookups: [...classes, vs({ className: "host-snap" }, split)],
      problems: [{ path: "spec.cluster.name", message: /ScheduledBackup's snapshots/ }],
    },
    {
      name: "realistic: WAL moved to local NVMe (TopoLVM) without walClassName",
      resource: swap(WIKI_CLUSTER, "size: 2Gi\n    storageClass: gp3", "size: 2Gi\n    storageClass: topolvm-provisioner"),
      lookups: [...lookupsAll(), storageClass("topolvm-provisioner", "topolvm.io")],
      inactiveRules: REQUIRED,
      problems: [{ path: "spec.backup.volumeSnapshot.walClassName", message: /on CSI driver topolvm\.io .*"ebs-snapclass" \(driver ebs\.csi\.aws\.com\)/ }],
    },
  ],
});
