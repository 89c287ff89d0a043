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
    { name: "a placeholder differential: judged once substituted", notChecked: true, resource: repo({ full: "0 1 * * 0", differential: "${DIFF_SCHEDULE}" }) },
    { name: "a placeholder full next to an incremental", notChecked: true, resource: repo({ full: "0 1 * * ${DOW:=0}", incremental: "30 * * * *" }) },
    { name: "a placeholder full alone: nothing to judge", resource: repo({ full: "${FULL_SCHEDULE}" }) },
  ],
  invalid: [
    { name: "daily differential with daily full", resource: repo({ full: "0 1 * * *", differential: "0 3 * * *" }), problems: [{ path: `${R}[0].schedules.differential`, message: "not more frequent than full" }] },
    {
      name: "one repo judged, the placeholder of the other not checked",
      resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, { full: "0 1 * * *", differential: "0 3 * * *" }), s3Repo(2, { full: "0 1 * * 0", incremental: "${INCR}" })]) }),
      problems: [
        { path: `${R}[0].schedules.differential`, message: "not more frequent than full" },
        { path: `${R}[1].schedules.incremental`, message: 'the schedule "${INCR}"', notChecked: true },
      ],
    },
    { name: "too frequent", resource: repo({ full: "0 1 * * *", incremental: "* * * * *" }), problems: [{ message: "minInterval" }] },
    { name: "too rare", resource: repo({ full: "0 1 1 * *", differential: "0 2 * * 1" }), problems: [{ message: "maxInterval" }] },
    {
      name: "standby: reported with a note",
      resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, { full: "0 1 * * *", differential: "0 3 * * *" })]) }, { standby: { repoName: "repo1" } }),
      problems: [{ message: "suspended while spec.standby.enabled" }],
    },
  ],
});
