import { placeholderLengthNotChecked, problem } from "../../../rules/util.ts";
import { SCHEDULED_BACKUP, effectiveMethod } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

interface Params {
  maxLength: number;
}

/** Kubernetes' limit on a label value. */
const LABEL_VALUE_MAX = 63;
/** "-" + pgTime.ToCompactISO8601 (YYYYMMDDHHMMSS), appended by ScheduledBackup.BackupName. */
const SUFFIX = 15;

// What CNPG does with the name (internal/controller/scheduledbackup_controller.go createBackup, api/v1
// scheduledbackup_funcs.go BackupName, pkg/reconciler/backup/volumesnapshot/reconciler.go enrichSnapshot):
// - each Backup is named <ScheduledBackup name>-<YYYYMMDDHHMMSS> and labelled cnpg.io/scheduled-backup: <ScheduledBackup
//   name>, so a name over 63 characters makes the API server reject every Backup, whatever the method;
// - a volumeSnapshot Backup labels each VolumeSnapshot cnpg.io/backupName: <Backup name>, so a ScheduledBackup name over
//   48 characters makes the API server reject the VolumeSnapshots and the Backup fails.
// Other methods put the Backup name in no label (the barman-cloud plugin names its backups backup-<timestamp>).

const DEFAULT_MAX = 48;

/** What CNPG does with a ScheduledBackup name of this length and method, or `undefined` when it works. */
function cnpgFailure(name: string, method: string): string | undefined {
  if (name.length > LABEL_VALUE_MAX) {
    return (
      "CNPG labels every Backup this ScheduledBackup creates with cnpg.io/scheduled-backup: <this name>, and a label " +
      `value may have at most ${LABEL_VALUE_MAX} characters, so the API server rejects each Backup (event BackupCreation ` +
      '"Error while creating backup object" on the ScheduledBackup) and no scheduled backup is ever taken (#9343).'
    );
  }
  if (method === "volumeSnapshot" && name.length + SUFFIX > LABEL_VALUE_MAX) {
    return (
      `CNPG names each Backup ${name}-<YYYYMMDDHHMMSS> (${name.length + SUFFIX} characters) and labels each of its ` +
      `VolumeSnapshots with cnpg.io/backupName: <Backup name>; a label value may have at most ${LABEL_VALUE_MAX} ` +
      "characters, so the API server rejects the VolumeSnapshot and every scheduled Backup fails (\"can't execute " +
      'snapshot backup: while creating VolumeSnapshot ...: metadata.labels: Invalid value"), a cold one after its ' +
      "instance was already fenced (#9343)."
    );
  }
  return undefined;
}

export const rule = defineRule<Params>({
  meta: {
    id: "cnpg-scheduled-backup-name-length",
    appliesTo: [SCHEDULED_BACKUP],
    defaultAction: "deny",
    params: {
      maxLength: {
        type: "integer",
        minimum: 1,
        maximum: 253,
        default: DEFAULT_MAX,
        description: "Longest ScheduledBackup name allowed.",
      },
    },
    docs: {
      summary: "ScheduledBackup names must fit CNPG's 63-character labels: at most 48 characters for volumeSnapshot, 63 otherwise.",
      rationale:
        "CNPG names each Backup a ScheduledBackup creates <name>-<YYYYMMDDHHMMSS> (15 characters more) and labels it " +
        "cnpg.io/scheduled-backup: <name>; a volumeSnapshot Backup also labels each of its VolumeSnapshots " +
        "cnpg.io/backupName: <Backup name>. Label values are limited to 63 characters and CNPG does not check the " +
        "length (#9343): above 48 characters the API server rejects the VolumeSnapshots, so every scheduled snapshot " +
        "backup fails (a cold one after its instance was fenced); above 63 it rejects the Backups themselves, for " +
        "every method. The other methods (plugin, and barmanObjectStore, the CRD default when method is unset) put " +
        "the Backup name in no label. With the default maxLength (48) the limit is therefore 48 for method: " +
        "volumeSnapshot and 63 otherwise; another maxLength lowers the limit for every method (it cannot raise it " +
        "above CNPG's).",
      bad: "metadata:\n  name: payments-production-eu-west-1-primary-database-nightly\nspec:\n  method: volumeSnapshot",
      good: "metadata:\n  name: payments-prod-euw1-nightly\nspec:\n  method: volumeSnapshot",
      fix: "Shorten metadata.name to 48 characters or fewer with method: volumeSnapshot, 63 with the other methods.",
    },
  },
  check(resource, ctx) {
    const name = resource.metadata.name;
    if (typeof name !== "string") return [];
    const max = typeof ctx.params.maxLength === "number" ? ctx.params.maxLength : DEFAULT_MAX;
    const method = effectiveMethod(resource);
    const cnpgLimit = method === "volumeSnapshot" ? LABEL_VALUE_MAX - SUFFIX : LABEL_VALUE_MAX;
    // The default follows CNPG's limit for the method; another value can only lower it (CNPG's limits always apply).
    const limit = max === DEFAULT_MAX ? cnpgLimit : Math.min(max, cnpgLimit);
    if (name.length <= limit) return [];
    const unresolved = placeholderLengthNotChecked(name, limit, "metadata.name", "metadata.name");
    if (unresolved) return [unresolved];
    const why =
      cnpgFailure(name, method) ??
      `CNPG accepts it with method ${method} (its labels stay within ${LABEL_VALUE_MAX} characters), but the policy's ` +
        `maxLength is ${max}.`;
    return [problem("metadata.name", `the name "${name}" is ${name.length} characters long. ${why} Use a name of at most ${limit} characters.`)];
  },
});
