import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/snapshots-gate.ts";
import { cluster, good, pgbackrest, s3Repo } from "../fixtures.ts";

const S = "spec.backups.snapshots";
const snap = (extra: Record<string, unknown> = {}) => cluster({ pgbackrest: pgbackrest([s3Repo(1)]), snapshots: { volumeSnapshotClassName: "csi-vsc" } }, extra);
const tablespaces = { instances: [{ name: "i", dataVolumeClaimSpec: {}, tablespaceVolumes: [{ name: "ts", dataVolumeClaimSpec: {} }] }] };

ruleTester(rule, {
  valid: [{ resource: good() }, { name: "gate on", params: { featureGateEnabled: true }, resource: snap() }],
  invalid: [
    { name: "gate off (default)", resource: snap(), problems: [{ path: S, message: "VolumeSnapshots=true" }] },
    { name: "gate on, tablespaces", params: { featureGateEnabled: true }, resource: snap(tablespaces), problems: [{ path: S, message: "IncompatibleFeatures" }] },
  ],
});
