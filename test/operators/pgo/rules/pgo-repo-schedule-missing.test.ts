import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/repo-schedule-missing.ts";
import { R, cluster, good, pgbackrest, s3Repo, volumeRepo } from "../fixtures.ts";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "no repo has full: pgo-full-schedule-required reports", resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1, null), s3Repo(2, null)]) }) },
    { name: "standby", resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), s3Repo(2, null)]) }, { standby: { host: "p" } }) },
  ],
  invalid: [
    {
      name: "second repo without schedules",
      resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), s3Repo(2, null)]) }),
      problems: [{ path: `${R}[1]`, message: "repo2 has no schedules" }],
    },
    {
      name: "differential only",
      resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), s3Repo(2, { differential: "30 3 * * *" })]) }),
      problems: [{ path: `${R}[1].schedules`, message: "no full" }],
    },
    {
      name: "pgo-full-schedule-required off: every repo",
      inactiveRules: ["pgo-full-schedule-required"],
      resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1, null)]) }),
      problems: [{ path: `${R}[0]`, message: "after the one-off replica-create backup" }],
    },
  ],
});
