import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/datasource-exclusive.ts";
import { cluster, good, s3Repo } from "../fixtures.ts";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "postgresCluster only", resource: cluster(undefined, { dataSource: { postgresCluster: { clusterName: "hippo", repoName: "repo1" } } }) },
    { name: "pgbackrest only", resource: cluster(undefined, { dataSource: { pgbackrest: { stanza: "db", repo: s3Repo(1) } } }) },
  ],
  invalid: [
    {
      name: "both",
      resource: cluster(undefined, { dataSource: { postgresCluster: { clusterName: "hippo", repoName: "repo1" }, pgbackrest: { stanza: "db", repo: s3Repo(1) } } }),
      problems: [{ path: "spec.dataSource.pgbackrest", message: "silently ignores dataSource.pgbackrest" }],
    },
  ],
});
