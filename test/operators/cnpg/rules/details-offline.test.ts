// cnpg-offline-snapshot-downtime: which instance a cold snapshot fences (backup_controller.go getBackupTargetPod:
// prefer-standby takes a ready standby on the current image, primary the primary, and both fall back to the primary
// when nothing matches; volumesnapshot/offline.go fences it).
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/offline-snapshot-downtime.ts";
import { archiver, backup, cluster, scheduled } from "./fixtures.ts";

const cold = (instances: unknown, target?: string) =>
  cluster({ instances, plugins: [archiver], backup: { ...(target ? { target } : {}), volumeSnapshot: { className: "c", online: false } } }, { name: "pg" });
const hot = (instances: unknown, target?: string) =>
  cluster({ instances, plugins: [archiver], backup: { ...(target ? { target } : {}), volumeSnapshot: { className: "c" } } }, { name: "pg" });

ruleTester(rule, {
  valid: [
    // Decision: 2 instances pass. The primary is fenced only when the one standby is not ready when the backup starts,
    // which admission cannot see; the message of a finding mentions it as a caveat of the fix instead.
    { name: "2 instances, prefer-standby (explicit)", resource: cold(2, "prefer-standby") },
    { name: "2 instances, target unset (CRD default prefer-standby)", resource: cold(2) },
    { name: "cold Backup on a 2-instance Cluster", resource: backup({ cluster: { name: "pg" }, method: "volumeSnapshot", online: false }), lookups: [hot(2)] },
    { name: "cold target-primary on a hot Backup is not a cold snapshot", resource: backup({ cluster: { name: "pg" }, method: "volumeSnapshot", online: true, target: "primary" }), lookups: [cold(1)] },
  ],
  invalid: [
    {
      name: "single instance: always the primary, no connections at all",
      resource: cold(1),
      problems: [
        {
          path: "spec.backup.volumeSnapshot.online",
          message: /1 instance, so there is no standby and CNPG falls back from prefer-standby to the primary.*accepts no connections at all.*volumeSnapshotDeadline/,
        },
      ],
    },
    {
      name: "single instance with target primary says so",
      resource: cold(1, "primary"),
      problems: [{ message: /no standby and CNPG snapshots the primary \(target: primary\)/ }],
    },
    {
      name: "target primary with standbys: writes stop, standbys still serve reads, no failover",
      resource: cold(3, "primary"),
      problems: [{ message: /fences the primary \(PostgreSQL shut down, no failover\).*Writes stop.*standbys keep serving read-only/ }],
    },
    {
      name: "the fix warns that 2 instances still fence the primary when the standby is not ready",
      resource: cold(1),
      problems: [{ message: "with 2, the primary is still fenced whenever the only standby is not ready" }],
    },
    {
      name: "cold ScheduledBackup inheriting a single-instance Cluster's cold setting",
      resource: scheduled({ cluster: { name: "pg" }, method: "volumeSnapshot" }),
      lookups: [cold(1)],
      problems: [{ path: "spec.method", message: /online is unset.*Cluster "pg" has 1 instance/ }],
    },
  ],
});
