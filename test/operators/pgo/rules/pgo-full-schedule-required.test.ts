import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/full-schedule-required.ts";
import { R, cluster, good, pgbackrest, s3Repo, volumeRepo } from "../fixtures.ts";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "one repo of two has full", resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), s3Repo(2, null)]) }) },
    { name: "standby", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, null)]) }, { standby: { repoName: "repo1" } }) },
    { name: "no backups: other rule", resource: cluster() },
    { name: "perRepo, all have full", params: { perRepo: true }, resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), s3Repo(2)]) }) },
  ],
  invalid: [
    { name: "no schedules", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, null)]) }), problems: [{ path: R, message: "one-off replica-create backup to repo1" }] },
    { name: "incremental only", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, { incremental: "0 * * * *" })]) }), problems: [{ path: R }] },
    { name: "full not a string", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, { full: 5 })]) }), problems: [{ path: R }] },
    { name: "shutdown still reported", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, null)]) }, { shutdown: true }), problems: [{ path: R }] },
    {
      name: "perRepo: the second repo",
      params: { perRepo: true },
      resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), s3Repo(2, { differential: "0 3 * * *" })]) }),
      problems: [{ path: `${R}[1].schedules`, message: "repo2 has no schedules.full" }],
    },
  ],
});
