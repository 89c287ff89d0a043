import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/standby-source.ts";
import { cluster, good, pgbackrest, s3Repo } from "../fixtures.ts";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "streaming standby", resource: cluster(undefined, { standby: { enabled: true, host: "primary.prod.svc" } }) },
    { name: "repo standby", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1)]) }, { standby: { repoName: "repo1" } }) },
    { name: "disabled without source", resource: cluster(undefined, { standby: { enabled: false } }) },
  ],
  invalid: [
    { name: "enabled by default, no source", resource: cluster(undefined, { standby: {} }), problems: [{ path: "spec.standby", message: "InvalidStandbyConfiguration" }] },
    { name: "empty host", resource: cluster(undefined, { standby: { enabled: true, host: "" } }), problems: [{ path: "spec.standby" }] },
    {
      name: "repoName not a repo",
      resource: cluster({ pgbackrest: pgbackrest([s3Repo(1)]) }, { standby: { repoName: "repo2" } }),
      problems: [{ path: "spec.standby.repoName", message: "--repo=2" }],
    },
    { name: "repoName without backups", resource: cluster(undefined, { standby: { host: "h", repoName: "repo1" } }), problems: [{ message: "there are none" }] },
  ],
});
