import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/retention-values.ts";
import { G, cluster, good, pgbackrest, s3Repo } from "../fixtures.ts";

const withGlobal = (global: Record<string, unknown>) => cluster({ pgbackrest: pgbackrest([s3Repo(1)], { global }) });

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "time type", resource: withGlobal({ "repo1-retention-full": "14", "repo1-retention-full-type": "time" }) },
    { name: "diff and archive", resource: withGlobal({ "repo1-retention-diff": "6", "repo1-retention-archive": "2", "repo1-retention-archive-type": "diff" }) },
    { name: "no global", resource: cluster({ pgbackrest: { repos: [s3Repo(1)] } }) },
  ],
  invalid: [
    { name: "7d", resource: withGlobal({ "repo1-retention-full": "7d" }), problems: [{ path: `${G}.repo1-retention-full`, message: "not a whole number" }] },
    { name: "zero", resource: withGlobal({ "repo1-retention-diff": "0" }), problems: [{ message: "1 to 9999999" }] },
    { name: "too large", resource: withGlobal({ "repo1-retention-archive": "10000000" }), problems: [{ message: "1 to 9999999" }] },
    { name: "type days", resource: withGlobal({ "repo1-retention-full": "7", "repo1-retention-full-type": "days" }), problems: [{ path: `${G}.repo1-retention-full-type`, message: "count or time" }] },
    { name: "archive type", resource: withGlobal({ "repo1-retention-archive-type": "count" }), problems: [{ message: "full or diff or incr" }] },
    { name: "number, not string", resource: withGlobal({ "repo1-retention-full": 7 }), problems: [{ message: "not a string" }] },
    { name: "below the policy", params: { minFullCount: 3 }, resource: withGlobal({ "repo1-retention-full": "2" }), problems: [{ message: "below the policy minimum of 3 full backups" }] },
    { name: "days below the policy", params: { minFullDays: 7 }, resource: withGlobal({ "repo1-retention-full": "2", "repo1-retention-full-type": "time" }), problems: [{ message: "7 days" }] },
  ],
});
