import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/retention-required.ts";
import { G, cluster, good, pgbackrest, s3Repo, volumeRepo } from "../fixtures.ts";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "repo without schedules", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, null)], { global: {} }) }) },
    { name: "standby", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1)], { global: {} }) }, { standby: { repoName: "repo1" } }) },
    { name: "no backups", resource: cluster() },
  ],
  invalid: [
    { name: "no global", resource: cluster({ pgbackrest: { repos: [s3Repo(1)] } }), problems: [{ path: G, message: "global has no repo1-retention-full" }] },
    {
      name: "second repo lacks it",
      resource: cluster({ pgbackrest: pgbackrest([s3Repo(1), volumeRepo(2)], { global: { "repo1-retention-full": "4" } }) }),
      problems: [{ path: G, message: "repo2-retention-full" }],
    },
    { name: "global not a map", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1)], { global: ["x"] }) }), problems: [{ path: G, message: "not a map" }] },
  ],
});
