import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/backups-required.ts";
import { R, cluster, good } from "../fixtures.ts";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "standby without backups (default enabled)", resource: cluster(undefined, { standby: { host: "primary.prod.svc" } }) },
  ],
  invalid: [
    { name: "no spec.backups", resource: cluster(), problems: [{ path: "spec", message: "archive_command to `true`" }] },
    { name: "backups without pgbackrest", resource: cluster({ snapshots: { volumeSnapshotClassName: "x" } }), problems: [{ path: "spec.backups" }] },
    { name: "empty repos", resource: cluster({ pgbackrest: { repos: [] } }), problems: [{ path: R, message: "at least one repo" }] },
    { name: "repos a string", resource: cluster({ pgbackrest: { repos: "repo1" } }), problems: [{ path: R }] },
    { name: "standby disabled", resource: cluster(undefined, { standby: { enabled: false, host: "x" } }), problems: [{ path: "spec" }] },
    { name: "pgbackrest null", resource: cluster({ pgbackrest: null }), problems: [{ path: "spec.backups" }] },
  ],
});
