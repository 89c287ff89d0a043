// cpo-standby-backups: a standby cluster's backup CronJobs never produce a backup.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { ruleTester, runCase } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/standby-backups.ts";
import type { Resource } from "../../../../src/engine/types.ts";
import { hasShared, sharedPath, SKIP_NO_SHARED } from "../../../helpers/shared.ts";
import { backup, cluster, good, pvcRepo, s3Repo } from "./fixtures.ts";
import { SHOP, edit } from "./manifests.ts";

const HOST = { standby_host: "pg-main.prod.svc" };

function standby(pgbackrest: Record<string, unknown> | undefined, standbySpec: unknown = HOST, extra: Record<string, unknown> = {}): Resource {
  return cluster(pgbackrest, { standby: standbySpec, ...extra });
}

ruleTester(rule, {
  valid: [
    { name: "primary cluster with schedules", resource: good() },
    { name: "standby without backup", resource: standby(undefined) },
    {
      name: "standby with repos but no schedules",
      resource: standby(backup([{ name: "repo1", storage: "s3", resource: "b", endpoint: "e", region: "r" }])),
    },
    { name: "standby with schedule null", resource: standby(backup([s3Repo(1, null)])) },
    { name: "standby with schedule of other keys only (pruned, no CronJob)", resource: standby(backup([s3Repo(1, { weekly: "0 0 * * 0" })])) },
    { name: "standby with non-string schedule values", resource: standby(backup([s3Repo(1, { full: 30 })])) },
    { name: "standby with repos null", resource: standby(backup(null)) },
    { name: "repo name the operator's job loop never matches", resource: standby(backup([{ ...s3Repo(1), name: "first" }])) },
    { name: "empty standby: no standby env, a normal primary", resource: standby(backup([s3Repo(1)]), {}) },
    { name: "standby with blank host and no WAL path", resource: standby(backup([s3Repo(1)]), { standby_host: " ", standby_port: "5432" }) },
    { name: "standby a string", resource: standby(backup([s3Repo(1)]), "pg-main") },
    { name: "WAL-path standby ignored while a clone method is set", resource: standby(backup([s3Repo(1)]), { s3_wal_path: "s3://b/p" }, { clone: { cluster: "src" } }) },
    { name: "spec a string", resource: { apiVersion: "cpo.opensource.cybertec.at/v1", kind: "postgresql", metadata: {}, spec: "x" } },
    { name: "realistic: a primary", resource: SHOP },
    {
      name: "realistic: a DR standby of orders-db with its repos but no schedules",
      resource: edit(SHOP, ({ spec, repos }) => {
        spec.standby = { standby_host: "orders-db.shop-prod.svc" };
        for (const r of repos) delete r.schedule;
      }),
    },
  ],
  invalid: [
    {
      name: "streaming standby with a full schedule",
      resource: standby(backup([s3Repo(1)])),
      problems: [{ path: "spec.standby", message: "streams from pg-main.prod.svc), yet it has backup schedules (repo1 full)" }],
    },
    {
      name: "names every scheduled job, pvc repos included",
      resource: standby(backup([s3Repo(1, { full: "30 2 * * *", incr: "0 * * * *" }), pvcRepo(2, { diff: "0 3 * * *" })])),
      problems: [{ path: "spec.standby", message: "(repo1 full, repo1 incr, repo2 diff)" }],
    },
    {
      name: "an empty schedule string still gets a CronJob (logical_backup_schedule)",
      resource: standby(backup([s3Repo(1, { full: "" })])),
      problems: [{ message: "repo1 full" }],
    },
    { name: "s3 WAL-path standby", resource: standby(backup([s3Repo(1)]), { s3_wal_path: "s3://bucket/spilo/main/wal" }), problems: [{ message: "replays WAL from s3_wal_path" }] },
    { name: "gs WAL-path standby", resource: standby(backup([s3Repo(1)]), { gs_wal_path: "gs://bucket/wal" }), problems: [{ message: "gs_wal_path" }] },
    {
      name: "standby_host wins even with a clone section",
      resource: standby(backup([s3Repo(1)]), HOST, { clone: { cluster: "src" } }),
      problems: [{ message: "unable to find primary cluster" }],
    },
    {
      name: "realistic: the DR standby kept the primary's schedules (host from a placeholder)",
      resource: edit(SHOP, ({ spec }) => {
        spec.standby = { standby_host: "${PRIMARY_HOST}" };
      }),
      problems: [{ path: "spec.standby", message: "yet it has backup schedules (repo1 full, repo1 incr, repo1 diff, repo2 full)" }],
    },
  ],
});

// The published standby manifests have no backup (valid); with a scheduled repo added they are reported.
test("cpo-standby-backups on the upstream standby samples", (t) => {
  if (!hasShared) {
    t.skip(SKIP_NO_SHARED);
    return;
  }
  for (const file of ["tutorials__standby-cluster.yaml", "docs__standby__1_manifest.yaml", "operator__standby-manifest.yaml"]) {
    const docs = parseAllDocuments(readFileSync(sharedPath("upstream", "cpo", "samples", file), "utf8")).map((d) => d.toJS() as Resource);
    const pg = docs.find((d) => d?.kind === "postgresql");
    assert.ok(pg, `${file}: a postgresql`);
    assert.ok((pg.spec as { standby?: unknown }).standby, `${file}: has spec.standby`);
    assert.deepEqual(runCase(rule, { resource: pg }), [], file);
    const scheduled = structuredClone(pg);
    (scheduled.spec as Record<string, unknown>).backup = { pgbackrest: backup([s3Repo(1)]) };
    const problems = runCase(rule, { resource: scheduled });
    assert.equal(problems.length, 1, `${file} with a schedule`);
    assert.equal(problems[0]!.path, "spec.standby");
  }
});
