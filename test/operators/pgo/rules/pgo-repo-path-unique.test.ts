import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/repo-path-unique.ts";
import { G, cluster, good, pgbackrest, s3Repo, volumeRepo } from "../fixtures.ts";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "volume repo: its own PVC", resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1)], { global: { "repo1-retention-full": "4" } }) }) },
    { name: "standby reads the primary's path", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1)], { global: {} }) }, { standby: { repoName: "repo1" } }) },
  ],
  invalid: [
    { name: "no path", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1)], { global: { "repo1-retention-full": "4" } }) }), problems: [{ path: G, message: "repo1-path: /pgbackrest/prod/hippo/repo1" }] },
    { name: "path is PGO's prefix", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1)], { global: { "repo1-path": "/pgbackrest/" } }) }), problems: [{ path: `${G}.repo1-path` }] },
    {
      name: "two repos, same bucket and path",
      resource: cluster({ pgbackrest: pgbackrest([s3Repo(1), s3Repo(2)], { global: { "repo1-path": "/p/x", "repo2-path": "/p/x/" } }) }),
      problems: [{ path: `${G}.repo2-path`, message: "same bucket and path" }],
    },
    { name: "gcs without path", resource: cluster({ pgbackrest: pgbackrest([{ name: "repo1", gcs: { bucket: "b" } }], { global: {} }) }), problems: [{ message: "repo1 (gcs)" }] },
  ],
});
