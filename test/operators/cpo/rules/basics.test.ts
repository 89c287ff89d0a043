import { ruleTester, assertRuleMeta } from "../../../helpers/rule-tester.ts";
import { test } from "node:test";
import { cpoRules } from "../../../../src/operators/cpo/rules/index.ts";
import { rule as pgbackrestRequired } from "../../../../src/operators/cpo/rules/pgbackrest-required.ts";
import { rule as reposRequired } from "../../../../src/operators/cpo/rules/repos-required.ts";
import { rule as repoNames } from "../../../../src/operators/cpo/rules/repo-names.ts";
import { rule as clusterNameLength } from "../../../../src/operators/cpo/rules/cluster-name-length.ts";
import { backup, cluster, good, pvcRepo, s3Repo } from "./fixtures.ts";

test("every CPO rule documents itself", () => {
  for (const r of cpoRules) assertRuleMeta(r);
});

const standbyOf = (host: string) => ({ standby: { standby_host: host } });

ruleTester(pgbackrestRequired, {
  valid: [
    { resource: good() },
    { name: "a standby cannot back up until promoted", resource: cluster(undefined, standbyOf("acid-primary.db.svc")) },
    { name: "a WAL-path standby", resource: cluster(undefined, { standby: { s3_wal_path: "s3://bucket/spilo/acid/wal" } }) },
  ],
  invalid: [
    { name: "no backup section", resource: cluster(), problems: [{ path: "spec.backup.pgbackrest", message: "/bin/true" }] },
    { name: "an empty standby section is no standby", resource: cluster(undefined, { standby: {} }), problems: [{ path: "spec.backup.pgbackrest" }] },
    { name: "pgbackrest null", resource: cluster(null), problems: [{ path: "spec.backup.pgbackrest", message: "is null" }] },
    {
      name: "spec is a string",
      resource: { apiVersion: "cpo.opensource.cybertec.at/v1", kind: "postgresql", metadata: {}, spec: "x" },
      problems: [{ path: "spec.backup.pgbackrest" }],
    },
    { name: "pgbackrest is a list", resource: cluster([] as never), problems: [{ message: "not a map" }] },
  ],
});

ruleTester(reposRequired, {
  valid: [
    { resource: good() },
    { name: "no pgbackrest: other rule", resource: cluster() },
    { name: "a standby without repos", resource: cluster(backup(undefined), standbyOf("acid-primary")) },
    { name: "pvc allowed by default", resource: cluster(backup([pvcRepo(1)])) },
  ],
  invalid: [
    { name: "repos null", resource: cluster(backup(null)), problems: [{ path: "spec.backup.pgbackrest.repos", message: "is null" }] },
    { name: "repos missing", resource: cluster(backup(undefined)), problems: [{ message: "is missing" }] },
    { name: "repos empty", resource: cluster(backup([])), problems: [{ message: "is empty" }] },
    { name: "repos a string", resource: cluster(backup("repo1")), problems: [{ message: '"repo1"' }] },
    { name: "entry not a map", resource: cluster(backup(["repo1"])), problems: [{ path: "spec.backup.pgbackrest.repos[0]" }] },
    {
      name: "unknown storage (blob from the CRD docs)",
      resource: cluster(backup([{ ...s3Repo(1), storage: "blob" }])),
      problems: [{ path: "spec.backup.pgbackrest.repos[0].storage", message: "does not know" }],
    },
    { name: "no storage", resource: cluster(backup([{ name: "repo1", schedule: { full: "0 1 * * *" } }])), problems: [{ message: "has no storage" }] },
    {
      name: "storage not allowed by policy",
      resource: cluster(backup([pvcRepo(1)])),
      params: { allowedStorage: ["s3", "gcs"] },
      problems: [{ message: "does not allow" }],
    },
  ],
});

ruleTester(repoNames, {
  valid: [
    { resource: good() },
    { name: "two repos in order", resource: cluster(backup([s3Repo(1), pvcRepo(2)])) },
    { name: "repos wrong type", resource: cluster(backup(7)) },
  ],
  invalid: [
    {
      name: "first repo is repo2",
      resource: cluster(backup([s3Repo(2)])),
      problems: [{ path: "spec.backup.pgbackrest.repos[0].name", message: "repo1 must come first" }],
    },
    { name: "swapped", resource: cluster(backup([s3Repo(2), s3Repo(1)])), problems: [{ message: "name: repo1" }, { message: "name: repo2" }] },
    { name: "name missing", resource: cluster(backup([{ storage: "s3" }])), problems: [{ message: "has no name" }] },
    { name: "name '1'", resource: cluster(backup([{ ...s3Repo(1), name: "1" }])), problems: [{ message: 'is named "1"' }] },
    {
      name: "five repos",
      resource: cluster(backup([1, 2, 3, 4, 5].map((n) => s3Repo(n)))),
      problems: [{ path: "spec.backup.pgbackrest.repos", message: "5 entries" }],
    },
  ],
});

ruleTester(clusterNameLength, {
  valid: [
    { resource: good() },
    { name: "33 characters", resource: { ...good(), metadata: { name: "a".repeat(33) } } },
    { name: "no name (generateName)", resource: { ...good(), metadata: { generateName: "x-" } } },
  ],
  invalid: [
    {
      name: "35 characters",
      resource: { ...good(), metadata: { name: "orders-service-production-primarydb" } },
      problems: [{ path: "metadata.name", message: "35 characters" }],
    },
    {
      name: "34 characters: cut at 52, trailing '-' trimmed, full+incr leave no CronJob",
      resource: { ...good(), metadata: { name: "a".repeat(34) } },
      problems: [{ message: `"pgbackrest-${"a".repeat(34)}-repo1"` }],
    },
    {
      name: "full+incr on one repo: the missing diff deletes the shared job",
      resource: { ...good(), metadata: { name: "a".repeat(34) } },
      problems: [{ message: "no backup CronJob is left at all (repo1 full and repo1 incr configured)" }],
    },
    {
      name: "full+incr+diff: only the diff survives",
      resource: { ...cluster(backup([s3Repo(1, { full: "30 2 * * *", incr: "0 * * * *", diff: "0 12 * * *" })])), metadata: { name: "a".repeat(35) } },
      problems: [{ message: "only repo1 diff keeps a CronJob; repo1 full and repo1 incr never run" }],
    },
    {
      name: "36 characters: all repos share one name",
      resource: { ...cluster(backup([s3Repo(1), s3Repo(2)])), metadata: { name: "b".repeat(36) } },
      problems: [{ message: `the full, incr and diff jobs of all four repos get the same name "pgbackrest-${"b".repeat(36)}-repo"` }],
    },
    {
      name: "36 characters: even a diff on each repo leaves only repo4's",
      resource: {
        ...cluster(backup([1, 2, 3, 4].map((n) => s3Repo(n, { full: "30 2 * * *", diff: "0 12 * * *" })))),
        metadata: { name: "b".repeat(36) },
      },
      problems: [{ message: "only repo4 diff keeps a CronJob" }],
    },
    { name: "no backup configured yet", resource: { ...cluster(), metadata: { name: "c".repeat(40) } }, problems: [{ message: "once schedules are configured" }] },
  ],
});
