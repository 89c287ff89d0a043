import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/snapshot-class-exists.ts";
import { cluster, good, pgbackrest, s3Repo } from "../fixtures.ts";

const F = "spec.backups.snapshots.volumeSnapshotClassName";
const snap = (name: string) => cluster({ pgbackrest: pgbackrest([s3Repo(1)]), snapshots: { volumeSnapshotClassName: name } });
const vsc = (name: string) => ({ apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name }, driver: "ebs.csi.aws.com", deletionPolicy: "Delete" });
const sc = (name: string) => ({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name }, provisioner: "ebs.csi.aws.com" });

ruleTester(rule, {
  valid: [{ resource: good() }, { name: "exists", resource: snap("csi-aws-vsc"), lookups: [vsc("csi-aws-vsc")] }],
  invalid: [
    { name: "unknown kind: not checked", resource: snap("csi-aws-vsc"), problems: [{ path: F, notChecked: true }] },
    { name: "missing", resource: snap("csi-vsc"), lookups: [vsc("csi-aws-vsc")], problems: [{ path: F, message: "(known: csi-aws-vsc)" }] },
    { name: "a StorageClass", resource: snap("gp3"), lookups: [vsc("csi-aws-vsc"), sc("gp3")], problems: [{ message: '"gp3" is a StorageClass' }] },
    { name: "placeholder", resource: snap("${VSC}"), lookups: [vsc("csi-aws-vsc")], problems: [{ notChecked: true }] },
  ],
});
