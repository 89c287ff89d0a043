import { problem } from "../../../rules/util.ts";
import { getObject, isObject } from "../../../util/object.ts";
import { APPLIES_TO } from "../model.ts";
import { operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

export const rule = defineRule({
  meta: {
    id: "pgo-datasource-exclusive",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "spec.dataSource must not set both postgresCluster and pgbackrest.",
      rationale:
        "The CRD accepts both, but PGO honours only dataSource.postgresCluster and silently ignores dataSource.pgbackrest " +
        `(${operatorCode("internal/controller/postgrescluster/cluster.go", 312, 318)}, ${operatorCode("internal/controller/postgrescluster/cluster.go", 360, 367)}): ` +
        "the new cluster is restored from another source than the one the pgbackrest section describes.",
      bad: "dataSource:\n  postgresCluster: {clusterName: hippo, repoName: repo1}\n  pgbackrest: {stanza: db, repo: {name: repo1, s3: {...}}}",
      good: "dataSource:\n  pgbackrest: {stanza: db, repo: {name: repo1, s3: {...}}}",
      fix: "Keep the one data source you mean and delete the other.",
    },
  },
  check(resource) {
    const ds = getObject(resource, "spec.dataSource");
    if (!ds || !isObject(ds.postgresCluster) || !isObject(ds.pgbackrest)) return [];
    return [
      problem(
        "spec.dataSource.pgbackrest",
        "spec.dataSource sets both postgresCluster and pgbackrest: PGO restores from dataSource.postgresCluster and silently ignores dataSource.pgbackrest. Delete the one you do not mean.",
      ),
    ];
  },
});
