// cnpg-scheduled-backup-name-length: what the 63-character label limit breaks, per method.
// Backups are named <name>-<YYYYMMDDHHMMSS> and labelled cnpg.io/scheduled-backup: <name> (scheduledbackup_controller.go
// createBackup); a volumeSnapshot Backup labels its VolumeSnapshots cnpg.io/backupName: <Backup name>
// (volumesnapshot/reconciler.go enrichSnapshot). The other methods put the Backup name in no label.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ruleTester, runCase } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/scheduled-backup-name-length.ts";
import { scheduled } from "./fixtures.ts";
import { SHOP_NIGHTLY, WIKI_SNAPSHOTS, swap } from "./manifests.ts";

const named = (length: number, spec: Record<string, unknown> = {}) => scheduled(spec, { name: "a".repeat(length) });
const snapshot = { method: "volumeSnapshot" };
const plugin = { method: "plugin", pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" } };

ruleTester(rule, {
  valid: [
    { name: "48 characters", resource: scheduled({}, { name: "a".repeat(48) }) },
    { name: "param raised", resource: scheduled({}, { name: "a".repeat(50) }), params: { maxLength: 50 } },
    { name: "name not a string", resource: scheduled({}, { name: 12 }) },
    { name: "volumeSnapshot, 48 characters: the Backup name is 63", resource: named(48, snapshot) },
    { name: "plugin, 63 characters: no label holds the Backup name", resource: named(63, plugin) },
    { name: "method unset (CRD default barmanObjectStore), 63 characters", resource: named(63) },
    { name: "barmanObjectStore, 50 characters", resource: named(50, { method: "barmanObjectStore" }) },
    { name: "a policy maxLength other than the default applies to every method", resource: named(50), params: { maxLength: 50 } },
    { name: "realistic: a plugin ScheduledBackup", resource: SHOP_NIGHTLY },
    { name: "realistic: a volumeSnapshot ScheduledBackup named from a Flux placeholder", resource: WIKI_SNAPSHOTS },
  ],
  invalid: [
    { name: "49 characters with method: volumeSnapshot (#9343)", resource: scheduled({ method: "volumeSnapshot" }, { name: "a".repeat(49) }), problems: [{ path: "metadata.name", message: "49 characters" }] },
    { name: "param lowered", resource: scheduled({}, { name: "a".repeat(30) }), params: { maxLength: 20 }, problems: [{ message: "at most 20" }] },
    {
      name: "volumeSnapshot, 49 characters: the VolumeSnapshot label is 64 characters (#9343)",
      resource: named(49, snapshot),
      problems: [
        {
          path: "metadata.name",
          message: /49 characters long.*-<YYYYMMDDHHMMSS> \(64 characters\).*VolumeSnapshots with cnpg\.io\/backupName: <Backup name>.*rejects the VolumeSnapshot.*fenced.*at most 48 characters/,
        },
      ],
    },
    {
      name: "plugin, 64 characters: the Backup's cnpg.io/scheduled-backup label is too long",
      resource: named(64, plugin),
      problems: [{ message: /cnpg\.io\/scheduled-backup: <this name>.*rejects each Backup.*BackupCreation.*at most 63 characters/ }],
    },
    {
      name: "volumeSnapshot, 70 characters: already the Backup is rejected",
      resource: named(70, snapshot),
      problems: [{ message: /cnpg\.io\/scheduled-backup.*at most 48 characters/ }],
    },
    {
      name: "a maxLength above CNPG's limit does not raise it",
      resource: named(70, plugin),
      params: { maxLength: 100 },
      problems: [{ message: /rejects each Backup.*at most 63 characters/ }],
    },
    {
      name: "a maxLength of 50 does not let a 50-character volumeSnapshot name through",
      resource: named(50, snapshot),
      params: { maxLength: 50 },
      problems: [{ message: /cnpg\.io\/backupName.*at most 48 characters/ }],
    },
    {
      name: "a lowered maxLength applies to a plugin ScheduledBackup and says CNPG itself accepts it",
      resource: named(30, plugin),
      params: { maxLength: 20 },
      problems: [{ message: /CNPG accepts it with method plugin.*maxLength is 20.*at most 20/ }],
    },
    {
      name: "realistic: a volumeSnapshot ScheduledBackup named after environment and region (50 characters)",
      resource: swap(WIKI_SNAPSHOTS, "name: ${APP}-db-snapshot", "name: orders-db-production-eu-central-1-nightly-snapshot"),
      problems: [{ path: "metadata.name", message: /is 50 characters long.*\(65 characters\).*at most 48 characters/ }],
    },
  ],
});

describe("cnpg-scheduled-backup-name-length: placeholders", () => {
  it(
    "realistic: a placeholder name longer than 48 as written is not checked (APP=wiki gives 48 characters)",
    () => {
      const problems = runCase(rule, { resource: swap(WIKI_SNAPSHOTS, "name: ${APP}-db-snapshot", "name: ${APP}-db-production-eu-central-1-nightly-snapshot") });
      assert.ok(problems.length > 0 && problems.every((p) => p.notChecked), JSON.stringify(problems));
    },
  );
});
