import { describe, it } from "node:test";
import { expandHashTokens } from "../../../src/cron/hash.ts";
import assert from "node:assert/strict";
import type { Injection, Resource, RuleContext } from "../../../src/engine/types.ts";
import { archiveTimeout, retentionFull, scheduleKey, schedules, cpoDefaulters } from "../../../src/operators/cpo/defaults.ts";
import { cpoRules } from "../../../src/operators/cpo/rules/index.ts";
import { scheduleRules } from "../../../src/rules/schedule/index.ts";
import { InventoryLookups } from "../../../src/lookups/inventory.ts";
import { paramDefaults } from "../../../src/policy/builtin.ts";
import { parseSchedule } from "../../../src/cron/index.ts";
import { evaluate, mutate } from "../../../src/engine/engine.ts";
import { recommendedPolicy } from "../../../src/policy/builtin.ts";
import { FIXED_NOW } from "../../helpers/rule-tester.ts";
import { backup, cluster, pvcRepo, s3Repo } from "./rules/fixtures.ts";
import { applyDefaulter } from "../../../src/rules/define.ts";

function ctx(params: Record<string, unknown>, rpoSeconds = 300): RuleContext {
  return { params, policy: { rpoSeconds }, lookups: new InventoryLookups(), now: FIXED_NOW, operation: "CREATE" };
}

function run(d: (typeof cpoDefaulters)[number], r: Resource, params: Record<string, unknown> = {}, rpo = 300): Injection[] {
  return applyDefaulter(d, r, ctx({ ...paramDefaults(d.meta.params), ...params }, rpo));
}

const spec = (r: Resource) => r.spec as any;

describe("cpo-archive-timeout", () => {
  it("sets archive_timeout from the rpo when unset", () => {
    const r = cluster(backup([s3Repo(1)]));
    delete spec(r).postgresql.parameters;
    assert.equal(run(archiveTimeout, r).length, 1);
    assert.equal(spec(r).postgresql.parameters.archive_timeout, "5min");
    assert.deepEqual(run(archiveTimeout, r), [], "idempotent");
  });
  it("uses the policy rpo", () => {
    const r = cluster(backup([s3Repo(1)]), { postgresql: { version: "17" } });
    run(archiveTimeout, r, {}, 90);
    assert.equal(spec(r).postgresql.parameters.archive_timeout, "90s");
  });
  it("keeps an explicit value, and leaves resources without pgBackRest or with wrong types alone", () => {
    const explicit = cluster(backup([s3Repo(1)]), { postgresql: { version: "17", parameters: { archive_timeout: "1h" } } });
    assert.deepEqual(run(archiveTimeout, explicit), []);
    assert.equal(spec(explicit).postgresql.parameters.archive_timeout, "1h");
    assert.deepEqual(run(archiveTimeout, cluster()), []);
    assert.deepEqual(run(archiveTimeout, cluster(backup([s3Repo(1)]), { postgresql: "17" })), []);
    assert.deepEqual(run(archiveTimeout, cluster(backup([s3Repo(1)]), { postgresql: { version: "17", parameters: "x" } })), []);
  });
});

describe("cpo-retention-full", () => {
  it("runs on CREATE only: on an existing repo the next backup would expire older full backups", () => {
    assert.deepEqual(retentionFull.meta.operations, ["CREATE"]);
    const policy = recommendedPolicy();
    const r = cluster(backup([s3Repo(1)], {}));
    const old = cluster(backup([s3Repo(1, null)], {}));
    const update = mutate(r, { policy, lookups: new InventoryLookups(), now: FIXED_NOW, operation: "UPDATE", oldResource: old });
    assert.ok(!update.changes.some((c) => c.defaulter === "cpo-retention-full"), JSON.stringify(update.changes));
    const create = mutate(r, { policy, lookups: new InventoryLookups(), now: FIXED_NOW, operation: "CREATE" });
    assert.ok(create.changes.some((c) => c.defaulter === "cpo-retention-full"));
  });
  it("adds count and type as strings for each repo that lacks them", () => {
    const r = cluster(backup([s3Repo(1), pvcRepo(2)], { "repo1-retention-full": "14" }));
    const notes = run(retentionFull, r);
    assert.deepEqual(notes.map((n) => [n.path, n.value]), [
      ["spec.backup.pgbackrest.global.repo2-retention-full", "7"],
      ["spec.backup.pgbackrest.global.repo2-retention-full-type", "count"],
    ]);
    assert.deepEqual(spec(r).backup.pgbackrest.global, { "repo1-retention-full": "14", "repo2-retention-full": "7", "repo2-retention-full-type": "count" });
    assert.deepEqual(run(retentionFull, r), [], "idempotent");
  });
  it("creates global and honours params", () => {
    const r = cluster(backup([s3Repo(1)], null));
    run(retentionFull, r, { count: 30, type: "time" });
    assert.deepEqual(spec(r).backup.pgbackrest.global, { "repo1-retention-full": "30", "repo1-retention-full-type": "time" });
  });
  it("does not touch wrong types", () => {
    for (const r of [cluster(backup([s3Repo(1)], "x")), cluster(backup(null)), cluster(backup("repo1")), cluster(), cluster(backup([{ ...s3Repo(1), name: "one" }], null))]) {
      const before = structuredClone(r);
      assert.deepEqual(run(retentionFull, r), []);
      assert.deepEqual(r, before);
    }
  });
});

describe("H notation", () => {
  it("expands H, H(a-b), H/n, H(a-b)/n from SHA-256 words", () => {
    const e = expandHashTokens("H H(1-4) H/10 * H(1-5)/2", "db/cluster-1/repo1/full");
    assert.ok(e.ok);
    const [m, h, dom, month, dow] = e.text.split(" ");
    assert.ok(Number(m) >= 0 && Number(m) <= 59);
    assert.ok(Number(h) >= 1 && Number(h) <= 4);
    assert.match(dom!, /^([1-9]|10)-28\/10$/);
    assert.equal(month, "*");
    assert.match(dow!, /^[12]-5\/2$/);
  });
  it("is documented exactly: minute = first big-endian u32 of SHA-256 mod 60", async () => {
    const { createHash } = await import("node:crypto");
    const digest = createHash("sha256").update("db/cluster-1/repo1/full").digest();
    const e = expandHashTokens("H H(1-4) * * *", "db/cluster-1/repo1/full");
    assert.ok(e.ok);
    assert.equal(e.text, `${digest.readUInt32BE(0) % 60} ${1 + (digest.readUInt32BE(4) % 4)} * * *`);
  });
  it("leaves templates without H alone and rejects bad H items", () => {
    assert.deepEqual(expandHashTokens("30 2 * * *", "k"), { ok: true, text: "30 2 * * *" });
    assert.equal(expandHashTokens("H(0-99) * * * *", "k").ok, false);
    assert.equal(expandHashTokens("H2 * * * *", "k").ok, false);
    assert.equal(expandHashTokens("H * * *", "k").ok, false);
  });
  it("spreads 100 clusters over many minutes and hours, stably", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const e = expandHashTokens("H H(1-4) * * *", `team/db-${i}/repo1/full`);
      assert.ok(e.ok);
      assert.deepEqual(expandHashTokens("H H(1-4) * * *", `team/db-${i}/repo1/full`), e, "stable");
      seen.add(e.text);
    }
    assert.ok(seen.size >= 80, `only ${seen.size} distinct start times for 100 clusters`);
  });
});

describe("cpo-schedules", () => {
  it("adds a spread full schedule to repos without one, and only to those", () => {
    const r = cluster(backup([s3Repo(1, null), s3Repo(2, { full: "0 3 * * *" })]));
    const notes = run(schedules, r);
    assert.equal(notes.length, 1);
    assert.equal(notes[0]!.path, "spec.backup.pgbackrest.repos[0].schedule.full");
    const full = spec(r).backup.pgbackrest.repos[0].schedule.full as string;
    assert.match(full, /^\d+ [1-4] \* \* \*$/);
    assert.ok(parseSchedule(full, "kubernetes").ok);
    assert.equal(spec(r).backup.pgbackrest.repos[1].schedule.full, "0 3 * * *");
    assert.deepEqual(run(schedules, r), [], "idempotent");
  });
  it("uses namespace/name/repo/type as the key", () => {
    const r = cluster(backup([s3Repo(1, null)]));
    run(schedules, r);
    const e = expandHashTokens("H H(1-4) * * *", scheduleKey(r, "repo1", "full"));
    assert.ok(e.ok);
    assert.equal(spec(r).backup.pgbackrest.repos[0].schedule.full, e.text);
    assert.equal(scheduleKey(r, "repo1", "full"), "db/cluster-1/repo1/full");
  });
  it("adds incr with the full and never in the same minute", () => {
    for (let i = 0; i < 40; i++) {
      const r = cluster(backup([s3Repo(1, null)]));
      r.metadata.name = `db-${i}`;
      run(schedules, r, { incr: "H/30 * * * *" });
      const s = spec(r).backup.pgbackrest.repos[0].schedule;
      const minute = Number(s.full.split(" ")[0]);
      const incrStart = Number(s.incr.split("-")[0]);
      assert.notEqual(minute % 30, incrStart % 30, `${s.full} vs ${s.incr}`);
    }
  });
  it("adds full next to an existing incr without colliding", () => {
    const r = cluster(backup([s3Repo(1, { incr: "*/30 * * * *" })]));
    run(schedules, r, { full: "H H(1-4) * * *" });
    const full = spec(r).backup.pgbackrest.repos[0].schedule.full as string;
    assert.ok(Number(full.split(" ")[0]) % 30 !== 0, full);
  });
  it("throws a clear error for a template Kubernetes would reject", () => {
    assert.throws(() => run(schedules, cluster(backup([s3Repo(1, null)])), { full: "0 H * * * *" }), /5-field/);
    assert.throws(() => run(schedules, cluster(backup([s3Repo(1, null)])), { full: "0 25 * * *" }), /Kubernetes rejects/);
  });
  it("leaves wrong types alone", () => {
    for (const r of [cluster(backup([s3Repo(1, "30 2 * * *")])), cluster(backup(null)), cluster(), cluster(backup([7]))]) {
      const before = structuredClone(r);
      assert.deepEqual(run(schedules, r), []);
      assert.deepEqual(r, before);
    }
  });
});

describe("defaults satisfy the rules they fix", () => {
  it("a bare repo passes every CPO and schedule rule after mutation", () => {
    const r = cluster(backup([s3Repo(1, null)], { "repo1-path": "/db/cluster-1/repo1/" }));
    delete spec(r).postgresql.parameters;
    const policy = recommendedPolicy();
    const engineCtx = { policy, lookups: new InventoryLookups(), now: FIXED_NOW };
    const before = evaluate(r, engineCtx);
    assert.ok(!before.allowed, "the bare resource is denied");
    const { resource, changes, errors } = mutate(r, engineCtx);
    assert.deepEqual(errors, []);
    assert.equal(changes.length, 4, "archive_timeout, retention-full and its type, the full schedule");
    const after = evaluate(resource, engineCtx, [...scheduleRules, ...cpoRules]);
    assert.deepEqual(after.findings, []);
    assert.deepEqual(after.notChecked, []);
  });
});

describe("docs/cpo.md example", () => {
  it("payments/orders-db gets full '1 1 * * *' and incr '8-59/30 * * * *'", () => {
    const r = cluster(backup([s3Repo(1, null)]));
    r.metadata = { name: "orders-db", namespace: "payments" };
    run(schedules, r, { incr: "H/30 * * * *" });
    assert.deepEqual(spec(r).backup.pgbackrest.repos[0].schedule, { full: "1 1 * * *", incr: "8-59/30 * * * *" });
  });
});
