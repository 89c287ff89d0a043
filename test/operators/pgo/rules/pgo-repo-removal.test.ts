import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/repo-removal.ts";
import { R, cluster, good, pgbackrest, s3Repo, volumeRepo } from "../fixtures.ts";

const vol = cluster({ pgbackrest: pgbackrest([volumeRepo(1), s3Repo(2)]) });

ruleTester(rule, {
  valid: [
    { name: "CREATE", resource: good() },
    { name: "UPDATE keeping the volume repo", operation: "UPDATE", oldResource: vol, resource: vol },
    { name: "UPDATE adding a repo", operation: "UPDATE", oldResource: cluster({ pgbackrest: pgbackrest([volumeRepo(1)]) }), resource: vol },
    { name: "UPDATE removing a cloud repo", operation: "UPDATE", oldResource: vol, resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1)]) }) },
    { name: "CLI: no old object", operation: "UPDATE", resource: good() },
  ],
  invalid: [
    { name: "volume repo removed", operation: "UPDATE", oldResource: vol, resource: cluster({ pgbackrest: pgbackrest([s3Repo(2)]) }), problems: [{ path: R, message: "PVC hippo-repo1" }] },
    {
      name: "volume repo changed to s3",
      operation: "UPDATE",
      oldResource: vol,
      resource: cluster({ pgbackrest: pgbackrest([s3Repo(1), s3Repo(2)]) }),
      problems: [{ path: `${R}[0]`, message: "from a volume repo to s3" }],
    },
    { name: "spec.backups removed", operation: "UPDATE", oldResource: vol, resource: cluster(), problems: [{ path: "spec.backups", message: "pauses reconciliation" }] },
    {
      name: "spec.backups removed with the authorization annotation",
      operation: "UPDATE",
      oldResource: vol,
      resource: cluster(undefined, {}, { annotations: { "postgres-operator.crunchydata.com/authorizeBackupRemoval": "true" } }),
      problems: [{ message: "deletes the repo host" }],
    },
  ],
});
