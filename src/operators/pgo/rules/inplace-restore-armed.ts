import { problem } from "../../../rules/util.ts";
import { getObject } from "../../../util/object.ts";
import { APPLIES_TO, PGBACKREST_PATH } from "../model.ts";
import { operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

const ANNOTATION = "postgres-operator.crunchydata.com/pgbackrest-restore";

export const rule = defineRule({
  meta: {
    id: "pgo-inplace-restore-armed",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: {},
    docs: {
      summary: "spec.backups.pgbackrest.restore.enabled: true leaves an in-place restore one annotation away.",
      rationale:
        `With restore.enabled true, setting or changing the annotation ${ANNOTATION} makes PGO stop the cluster and restore it in place ` +
        `over the current data (${operatorCode("internal/controller/postgrescluster/cluster.go", 348, 362)}). Left enabled after a restore, ` +
        "anyone or anything that can annotate the object (a GitOps tool replaying an old manifest, a script) overwrites the database.",
      bad: "backups:\n  pgbackrest:\n    restore:\n      enabled: true\n      repoName: repo1",
      good: "backups:\n  pgbackrest:\n    restore:\n      enabled: false\n      repoName: repo1",
      fix: "Set restore.enabled: false (or remove restore) once the restore is done; enable it only for the restore itself.",
    },
  },
  check(resource) {
    const restore = getObject(resource, `${PGBACKREST_PATH}.restore`);
    if (restore?.enabled !== true) return [];
    const armed = typeof resource.metadata?.annotations?.[ANNOTATION] === "string";
    return [
      problem(
        `${PGBACKREST_PATH}.restore.enabled`,
        `in-place restores are enabled: ${armed ? `changing the ${ANNOTATION} annotation (already present)` : `adding the ${ANNOTATION} annotation`} makes PGO stop the cluster and overwrite its data from the backup. ` +
          "Set restore.enabled: false unless a restore is under way.",
      ),
    ];
  },
});
