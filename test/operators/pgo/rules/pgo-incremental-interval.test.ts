import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/incremental-interval.ts";
import { R, cluster, good, pgbackrest, s3Repo } from "../fixtures.ts";

const repo = (schedules: unknown) => cluster({ pgbackrest: pgbackrest([s3Repo(1, schedules)]) });

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "hourly incremental, daily full", resource: repo({ full: "0 1 * * *", incremental: "30 * * * *" }) },
    { name: "unparseable: schedule-syntax's", resource: repo({ full: "0 1 * * *", incremental: "every hour" }) },
    { name: "incremental without full", resource: repo({ incremental: "30 * * * *" }) },
  ],
  invalid: [
    { name: "daily differential with daily full", resource: repo({ full: "0 1 * * *", differential: "0 3 * * *" }), problems: [{ path: `${R}[0].schedules.differential`, message: "not more frequent than full" }] },
    { name: "too frequent", resource: repo({ full: "0 1 * * *", incremental: "* * * * *" }), problems: [{ message: "minInterval" }] },
    { name: "too rare", resource: repo({ full: "0 1 1 * *", differential: "0 2 * * 1" }), problems: [{ message: "maxInterval" }] },
    {
      name: "standby: reported with a note",
      resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, { full: "0 1 * * *", differential: "0 3 * * *" })]) }, { standby: { repoName: "repo1" } }),
      problems: [{ message: "suspended while spec.standby.enabled" }],
    },
  ],
});
