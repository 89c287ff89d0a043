import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/offsite-repo.ts";
import { R, cluster, good, pgbackrest, volumeRepo } from "../fixtures.ts";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "volume plus gcs", resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), { name: "repo2", gcs: { bucket: "b" } }]) }) },
    { name: "no storage: other rule", resource: cluster({ pgbackrest: pgbackrest([{ name: "repo1" }]) }) },
  ],
  invalid: [
    { name: "volume only", resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1)]) }), problems: [{ path: R, message: "{name: repo2, s3:" }] },
    { name: "two volume repos", resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), volumeRepo(2)]) }), problems: [{ message: "{name: repo3" }] },
  ],
});
