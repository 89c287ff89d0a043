import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule, MAX_NAME_LENGTH } from "../../../../src/operators/pgo/rules/cluster-name-length.ts";
import { cluster, good, pgbackrest, s3Repo } from "../fixtures.ts";

const named = (name: string, schedules: unknown = { full: "0 1 * * 0" }) => cluster({ pgbackrest: pgbackrest([s3Repo(1, schedules)]) }, {}, { name });

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "41 characters", resource: named("a".repeat(MAX_NAME_LENGTH)) },
    { name: "long name without schedules", resource: named("a".repeat(60), null) },
    {
      name: "a Flux placeholder name longer than 41 as written, short enough once substituted: not checked",
      notChecked: true,
      resource: named("${APPLICATION}-orders-eu-west-1-production-db-01"),
    },
  ],
  invalid: [
    {
      name: "a placeholder name whose written part alone is too long stays wrong",
      resource: named("${APP}-" + "a".repeat(42)),
      problems: [{ path: "metadata.name" }],
    },
    { name: "42 characters", resource: named("a".repeat(42)), problems: [{ path: "metadata.name", message: "53 characters" }] },
    { name: "long repo name", resource: cluster({ pgbackrest: pgbackrest([{ ...s3Repo(1), name: `repo1${"x".repeat(40)}` }]) }), problems: [{ path: "metadata.name" }] },
  ],
});
