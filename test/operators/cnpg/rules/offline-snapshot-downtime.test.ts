// cnpg-offline-snapshot-downtime: which instance a cold snapshot fences (backup_controller.go getBackupTargetPod:
// prefer-standby takes a ready standby on the current image, primary the primary, and both fall back to the primary
// when nothing matches; volumesnapshot/offline.go fences it).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ruleTester, runCase } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/offline-snapshot-downtime.ts";
import { archiver, backup, cluster, scheduled } from "./fixtures.ts";
import { WIKI_CLUSTER, WIKI_SNAPSHOTS, edit, lookupsAll, swap } from "./manifests.ts";

const vsCluster = (instances: unknown, online: unknown, target?: string) =>
  cluster({ instances, plugins: [archiver], backup: { ...(target ? { target } : {}), volumeSnapshot: { className: "c", online } } }, { name: "pg" });
const cold = (instances: unknown, target?: string) =>
  cluster({ instances, plugins: [archiver], backup: { ...(target ? { target } : {}), volumeSnapshot: { className: "c", online: false } } }, { name: "pg" });
const hot = (instances: unknown, target?: string) =>
  cluster({ instances, plugins: [archiver], backup: { ...(target ? { target } : {}), volumeSnapshot: { className: "c" } } }, { name: "pg" });

ruleTester(rule, {
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
    // Decision: 2 instances pass. The primary is fenced only when the one standby is not ready when the backup starts,
    // which admission cannot see; the message of a finding mentions it as a caveat of the fix instead.
    { name: "2 instances, prefer-standby (explicit)", resource: cold(2, "prefer-standby") },
    { name: "2 instances, target unset (CRD default prefer-standby)", resource: cold(2) },
    { name: "cold Backup on a 2-instance Cluster", resource: backup({ cluster: { name: "pg" }, method: "volumeSnapshot", online: false }), lookups: [hot(2)] },
    { name: "cold target-primary on a hot Backup is not a cold snapshot", resource: backup({ cluster: { name: "pg" }, method: "volumeSnapshot", online: true, target: "primary" }), lookups: [cold(1)] },
    { name: "realistic: hot snapshots", resource: WIKI_CLUSTER },
    { name: "realistic: cold snapshots of 2 instances take the standby", resource: swap(WIKI_CLUSTER, "online: true", "online: false") },
    { name: "realistic: a ScheduledBackup inheriting hot snapshots", resource: WIKI_SNAPSHOTS, lookups: lookupsAll() },
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
    {
      name: "realistic: a dev overlay scaling to 1 instance with cold snapshots",
      resource: edit(WIKI_CLUSTER, ({ spec }) => {
        spec.instances = 1;
        spec.backup.volumeSnapshot.online = false;
      }),
      problems: [{ path: "spec.backup.volumeSnapshot.online", message: "1 instance, so there is no standby" }],
    },
  ],
});

describe("cnpg-offline-snapshot-downtime: placeholders", () => {
  it(
    "realistic: a cold ScheduledBackup of a Cluster named by a Flux placeholder: not checked because of the placeholder",
    () => {
      const problems = runCase(rule, { resource: swap(WIKI_SNAPSHOTS, "method: volumeSnapshot", "method: volumeSnapshot\n  online: false"), lookups: lookupsAll() });
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.ok(problems[0]!.notChecked);
      assert.match(problems[0]!.message, /unresolved placeholder \$\{APP\}/);
    },
  );
});
