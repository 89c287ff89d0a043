import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/inplace-restore-armed.ts";
import { cluster, good, pgbackrest, s3Repo } from "../fixtures.ts";

const restore = (enabled: unknown, annotations?: Record<string, string>) =>
  cluster({ pgbackrest: pgbackrest([s3Repo(1)], { restore: { enabled, repoName: "repo1" } }) }, {}, annotations ? { annotations } : {});
const E = "spec.backups.pgbackrest.restore.enabled";

ruleTester(rule, {
  valid: [{ resource: good() }, { name: "disabled", resource: restore(false) }, { name: "string true is not true", resource: restore("true") }],
  invalid: [
    { name: "enabled", resource: restore(true), problems: [{ path: E, message: "adding the postgres-operator.crunchydata.com/pgbackrest-restore annotation" }] },
    { name: "enabled and annotated", resource: restore(true, { "postgres-operator.crunchydata.com/pgbackrest-restore": "id1" }), problems: [{ message: "already present" }] },
  ],
});
