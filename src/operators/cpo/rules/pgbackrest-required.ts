import { problem } from "../../../rules/util.ts";
import { getPath, isObject } from "../../../util/object.ts";
import { APPLIES_TO, PGBACKREST_PATH, show, standbySource } from "../model.ts";
import { containerCode, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

export const rule = defineRule({
  meta: {
    id: "cpo-pgbackrest-required",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "A postgresql must configure pgBackRest (spec.backup.pgbackrest).",
      rationale:
        "Not for a standby cluster (spec.standby with standby_host or a WAL path): it cannot take backups until it is promoted by removing spec.standby, and then this rule applies. " +
        "Without spec.backup.pgbackrest the operator does not set USE_PGBACKREST on the database pods " +
        `(${operatorCode("pkg/cluster/k8sres.go", 1063, 1065)}), so the CPO container sets archive_command to /bin/true while ` +
        `archive_mode stays on (${containerCode("scripts/configure_spilo.py", 741, 743)}): every WAL segment is discarded, and the ` +
        "operator deletes any backup CronJob.",
      bad: "spec:\n  numberOfInstances: 2\n  # no backup section",
      good:
        "spec:\n  backup:\n    pgbackrest:\n      image: containers.cybertec.at/cybertec-pg-container/pgbackrest:rocky9-18.3-2\n" +
        "      global: {repo1-path: /my-cluster/repo1/, repo1-retention-full: '7'}\n" +
        "      repos:\n        - {name: repo1, storage: s3, resource: my-bucket, endpoint: s3.example.com, region: eu-1, schedule: {full: '30 2 * * *'}}",
      fix: "Add spec.backup.pgbackrest with an image and at least one repo (repo1) with a schedule.full.",
    },
  },
  check(resource) {
    // A standby cannot take backups (cpo-standby-backups); the rule applies once spec.standby is removed to promote it.
    if (standbySource(resource)) return [];
    const value = getPath(resource, PGBACKREST_PATH);
    if (isObject(value)) return [];
    const what = value === undefined ? "is missing" : `is ${show(value)}, not a map`;
    return [
      problem(
        PGBACKREST_PATH,
        `spec.backup.pgbackrest ${what}: without it the CPO container sets archive_command to /bin/true, so WAL is discarded and no backup ever runs. ` +
          "Add spec.backup.pgbackrest with `image` and `repos` (at least repo1 with schedule.full, e.g. '30 2 * * *').",
      ),
    ];
  },
});
