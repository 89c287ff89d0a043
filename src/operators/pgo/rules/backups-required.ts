import { problem } from "../../../rules/util.ts";
import { getPath, isObject } from "../../../util/object.ts";
import { APPLIES_TO, BACKUPS_PATH, PGBACKREST_PATH, REPOS_PATH, show, standbyEnabled } from "../model.ts";
import { CONTROLLER_PGBACKREST, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

export const rule = defineRule({
  meta: {
    id: "pgo-backups-required",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "spec.backups.pgbackrest must define at least one repo.",
      rationale:
        "spec.backups is optional since PGO v5.7. Without pgBackRest repos PGO keeps archive_mode on but sets archive_command to `true`, " +
        `which throws every WAL segment away (${operatorCode("internal/pgbackrest/postgres.go", 27, 38)}), creates no stanza, no ` +
        `backup Job and no CronJob (backups count as defined unless spec.backups is empty: ${operatorCode(CONTROLLER_PGBACKREST, 3313)}). ` +
        "The cluster has no backup and no point-in-time recovery at all. There is no safe default (a repo needs storage, a bucket " +
        "and credentials), so this rule denies instead of defaulting. Not for a standby (spec.standby.enabled, true by default when " +
        "spec.standby is set): every instance is in recovery, so it takes no backups of its own until promoted, and then this rule applies.",
      bad: "spec:\n  postgresVersion: 17\n  instances: [{dataVolumeClaimSpec: {...}}]\n  # no spec.backups",
      good:
        "spec:\n  backups:\n    pgbackrest:\n      repos:\n        - name: repo1\n          s3: {bucket: my-bucket, endpoint: s3.eu-west-1.amazonaws.com, region: eu-west-1}\n" +
        "          schedules: {full: '30 2 * * 0', differential: '30 2 * * 1-6'}",
      fix: "Add spec.backups.pgbackrest.repos with at least one repo (volume, s3, gcs or azure) and its schedules.",
    },
  },
  check(resource) {
    if (standbyEnabled(resource)) return [];
    const backups = getPath(resource, BACKUPS_PATH);
    const pgbackrest = getPath(resource, PGBACKREST_PATH);
    const repos = getPath(resource, REPOS_PATH);
    if (Array.isArray(repos) && repos.length > 0) return [];
    const consequence =
      "PGO then sets archive_command to `true` (every WAL segment is thrown away) and takes no backup at all, so the cluster cannot be restored.";
    if (!isObject(backups) || !isObject(pgbackrest)) {
      return [problem(isObject(backups) ? BACKUPS_PATH : "spec", `spec.backups.pgbackrest is not set: ${consequence} Add spec.backups.pgbackrest.repos (e.g. an s3 or volume repo1 with schedules).`)];
    }
    return [
      problem(
        REPOS_PATH,
        `spec.backups.pgbackrest.repos is ${repos === undefined ? "missing" : show(repos)}: the CRD requires at least one repo, and without one ${consequence.charAt(0).toLowerCase()}${consequence.slice(1)} Add a repo, e.g. \`{name: repo1, volume: {volumeClaimSpec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}}}\`.`,
      ),
    ];
  },
});
