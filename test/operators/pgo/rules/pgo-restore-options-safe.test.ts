import { ruleTester } from "../../../helpers/rule-tester.ts";
import assert from "node:assert/strict";
import { test } from "node:test";
import { rule, shellProblem } from "../../../../src/operators/pgo/rules/restore-options-safe.ts";
import { cluster, good, pgbackrest, s3Repo } from "../fixtures.ts";

const restore = (options: unknown) => cluster({ pgbackrest: pgbackrest([s3Repo(1)], { restore: { enabled: true, repoName: "repo1", options } }) });
const RO = "spec.backups.pgbackrest.restore.options";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "point in time, quoted", resource: restore(["--type=time", '--target="2024-05-16 07:46:05+00"']) },
    { name: "single-quoted value with ;", resource: restore(["--target='a;b'"]) },
    { name: "repo1-path is not --repo", resource: restore(["--repo1-path=/pgbackrest/old"]) },
    { name: "manual --type", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1)], { manual: { repoName: "repo1", options: ["--type=full"] } }) }) },
  ],
  invalid: [
    { name: "--repo", resource: restore(["--repo=2"]), problems: [{ path: `${RO}[0]`, message: "Choose the repo with repoName" }] },
    { name: "--target-action in a longer string", resource: restore(["--type=time --target-action=promote"]), problems: [{ message: "sets --target-action" }] },
    { name: "command separator", resource: restore(["--target=2024-05-16; rm -rf /pgdata"]), problems: [{ message: "';' outside quotes" }] },
    { name: "command substitution in double quotes", resource: restore(['--target="$(id)"']), problems: [{ message: "substitution" }] },
    { name: "unclosed quote", resource: restore(['--target="2024-05-16 07:46:05']), problems: [{ message: "unclosed double quote" }] },
    {
      name: "dataSource.postgresCluster --stanza",
      resource: cluster(undefined, { dataSource: { postgresCluster: { clusterName: "a", repoName: "repo1", options: ["--stanza=other"] } } }),
      problems: [{ path: "spec.dataSource.postgresCluster.options[0]" }],
    },
    {
      name: "manual --repo",
      resource: cluster({ pgbackrest: pgbackrest([s3Repo(1)], { manual: { repoName: "repo1", options: ["--type=diff", "--repo=1"] } }) }),
      problems: [{ path: "spec.backups.pgbackrest.manual.options[1]", message: "InvalidManualBackup" }],
    },
  ],
});

test("shellProblem", () => {
  assert.equal(shellProblem("--db-include=app"), undefined);
  assert.equal(shellProblem("--target=\\;x"), undefined);
  assert.match(shellProblem("--x=`id`") ?? "", /backtick/);
  assert.match(shellProblem("a\nb") ?? "", /line break/);
  assert.match(shellProblem("--x='a") ?? "", /single quote/);
});
