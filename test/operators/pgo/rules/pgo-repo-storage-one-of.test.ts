import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/repo-storage-one-of.ts";
import { R, cluster, good, pgbackrest, s3Repo, volumeRepo } from "../fixtures.ts";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "volume + s3 in separate repos", resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), s3Repo(2)]) }) },
    { name: "type chosen in global (sftp)", resource: cluster({ pgbackrest: { global: { "repo1-type": "sftp" }, repos: [{ name: "repo1" }] } }) },
    { name: "entry not an object", resource: cluster({ pgbackrest: { repos: ["repo1"] } }) },
  ],
  invalid: [
    {
      name: "s3 and gcs",
      resource: cluster({ pgbackrest: pgbackrest([{ ...s3Repo(1), gcs: { bucket: "b" } }]) }),
      problems: [{ path: `${R}[0]`, message: "PGO silently uses gcs" }],
    },
    {
      name: "volume wins over azure",
      resource: cluster({ pgbackrest: pgbackrest([{ ...volumeRepo(1), azure: { container: "c" } }]) }),
      problems: [{ message: "uses volume" }],
    },
    { name: "no storage", resource: cluster({ pgbackrest: pgbackrest([{ name: "repo1", schedules: { full: "0 1 * * *" } }]) }), problems: [{ path: `${R}[0]`, message: "none of volume" }] },
    { name: "storage member not an object", resource: cluster({ pgbackrest: pgbackrest([{ name: "repo1", s3: "bucket" }]) }), problems: [{ message: "none of volume" }] },
  ],
});
