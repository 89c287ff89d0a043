// cnpg-scheduled-backup-name-length: what the 63-character label limit breaks, per method.
// Backups are named <name>-<YYYYMMDDHHMMSS> and labelled cnpg.io/scheduled-backup: <name> (scheduledbackup_controller.go
// createBackup); a volumeSnapshot Backup labels its VolumeSnapshots cnpg.io/backupName: <Backup name>
// (volumesnapshot/reconciler.go enrichSnapshot). The other methods put the Backup name in no label.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/scheduled-backup-name-length.ts";
import { scheduled } from "./fixtures.ts";

const named = (length: number, spec: Record<string, unknown> = {}) => scheduled(spec, { name: "a".repeat(length) });
const snapshot = { method: "volumeSnapshot" };
const plugin = { method: "plugin", pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" } };

ruleTester(rule, {
  valid: [
    { name: "volumeSnapshot, 48 characters: the Backup name is 63", resource: named(48, snapshot) },
    { name: "plugin, 63 characters: no label holds the Backup name", resource: named(63, plugin) },
    { name: "method unset (CRD default barmanObjectStore), 63 characters", resource: named(63) },
    { name: "barmanObjectStore, 50 characters", resource: named(50, { method: "barmanObjectStore" }) },
    { name: "a policy maxLength other than the default applies to every method", resource: named(50), params: { maxLength: 50 } },
  ],
  invalid: [
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
  ],
});
