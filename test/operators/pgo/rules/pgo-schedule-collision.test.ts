import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/schedule-collision.ts";
import { R, cluster, good, pgbackrest, s3Repo, volumeRepo } from "../fixtures.ts";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "full and incremental on different minutes", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, { full: "0 1 * * 0", incremental: "30 * * * *" })]) }) },
    { name: "two cloud repos at the same minute (acrossRepos off)", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, { full: "0 1 * * *" }), s3Repo(2, { full: "0 1 * * *" }, "other")]) }) },
    { name: "volume and cloud repo at the same minute", resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1, { full: "0 1 * * *" }), s3Repo(2, { full: "0 1 * * *" })]) }) },
    {
      name: "a placeholder incremental: compared once substituted",
      notChecked: true,
      resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, { full: "0 1 * * 0", incremental: "${INCREMENTAL_SCHEDULE}" })]) }),
    },
    {
      name: "two volume repos, one full a placeholder (one repo host)",
      notChecked: true,
      resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1, { full: "0 1 * * *" }), volumeRepo(2, { full: "${FULL_SCHEDULE}" })]) }),
    },
    {
      name: "a placeholder full of a cloud repo with nothing to meet",
      resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, { full: "0 1 * * *" }), s3Repo(2, { full: "${FULL_SCHEDULE}" }, "other")]) }),
    },
  ],
  invalid: [
    {
      name: "full and hourly incremental share 01:00",
      resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, { full: "0 1 * * 0", incremental: "0 * * * *" })]) }),
      problems: [{ path: `${R}[0].schedules.incremental`, message: "fires in the same minute as repo1 full" }],
    },
    {
      name: "two volume repos (one repo host)",
      resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1, { full: "0 1 * * *" }), volumeRepo(2, { full: "0 1 * * *" })]) }),
      problems: [{ path: `${R}[1].schedules.full`, message: "one repo host" }],
    },
    {
      name: "a collision in repo1, a placeholder in repo2 with acrossRepos",
      params: { acrossRepos: true },
      resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, { full: "0 1 * * 0", incremental: "0 * * * *" }), s3Repo(2, { full: "${FULL}" }, "other")]) }),
      problems: [
        { path: `${R}[0].schedules.incremental`, message: "fires in the same minute as repo1 full" },
        { path: `${R}[1].schedules.full`, message: 'the schedule "${FULL}" contains the unresolved placeholder', notChecked: true },
      ],
    },
    {
      name: "acrossRepos: two cloud repos",
      params: { acrossRepos: true },
      resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, { full: "0 1 * * *" }), s3Repo(2, { full: "0 1 * * *" }, "other")]) }),
      problems: [{ path: `${R}[1].schedules.full` }],
    },
  ],
});
