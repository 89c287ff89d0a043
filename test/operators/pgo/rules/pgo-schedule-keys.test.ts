import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/schedule-keys.ts";
import { R, cluster, good, pgbackrest, s3Repo } from "../fixtures.ts";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "all three keys", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, { full: "0 1 * * 0", differential: "0 1 * * 1-6", incremental: "30 * * * *" })]) }) },
    { name: "no schedules", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, null)]) }) },
  ],
  invalid: [
    { name: "incr", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, { full: "0 1 * * 0", incr: "0 * * * *" })]) }), problems: [{ path: `${R}[0].schedules.incr`, message: "Rename it to `incremental`" }] },
    { name: "diff", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, { diff: "0 1 * * *" })]) }), problems: [{ message: "`differential`" }] },
    { name: "unrelated key", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, { weekly: "0 1 * * 0" })]) }), problems: [{ message: "Use full, differential or incremental" }] },
    { name: "schedules a string", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, "0 1 * * *")]) }), problems: [{ path: `${R}[0].schedules`, message: "not a map" }] },
  ],
});
