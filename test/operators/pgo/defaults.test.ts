import { describe, it } from "node:test";
import { expandHashTokens } from "../../../src/cron/hash.ts";
import assert from "node:assert/strict";
import type { Injection, Resource, RuleContext } from "../../../src/engine/types.ts";
import { archiveTimeout, pgoDefaulters, repoPath, retentionFull, schedules } from "../../../src/operators/pgo/defaults.ts";
import { pgoRules } from "../../../src/operators/pgo/rules/index.ts";
import { scheduleRules } from "../../../src/rules/schedule/index.ts";
import { InventoryLookups } from "../../../src/lookups/inventory.ts";
import { paramDefaults, recommendedPolicy } from "../../../src/policy/builtin.ts";
import { firstCommonMinute, parseSchedule } from "../../../src/cron/index.ts";
import { evaluate, mutate } from "../../../src/engine/engine.ts";
import { FIXED_NOW } from "../../helpers/rule-tester.ts";
import { cluster, pgbackrest, s3Repo, volumeRepo } from "./fixtures.ts";
import { applyDefaulter } from "../../../src/rules/define.ts";

function ctx(params: Record<string, unknown>, rpoSeconds = 300): RuleContext {
  return { params, policy: { rpoSeconds }, lookups: new InventoryLookups(), now: FIXED_NOW, operation: "CREATE" };
}

function run(d: (typeof pgoDefaulters)[number], r: Resource, params: Record<string, unknown> = {}, rpo = 300): Injection[] {
  return applyDefaulter(d, r, ctx({ ...paramDefaults(d.meta.params), ...params }, rpo));
}

const spec = (r: Resource) => r.spec as any;
const pgb = (r: Resource) => spec(r).backups.pgbackrest;

describe("pgo-archive-timeout", () => {
  it("does nothing while the rpo is at least PGO's 60s default", () => {
    const r = cluster({ pgbackrest: pgbackrest([s3Repo(1)]) });
    assert.deepEqual(run(archiveTimeout, r, {}, 300), []);
    assert.deepEqual(run(archiveTimeout, r, {}, 60), []);
    assert.equal(spec(r).config, undefined);
  });
  it("sets the rpo below 60s, creating spec.config.parameters", () => {
    const r = cluster({ pgbackrest: pgbackrest([s3Repo(1)]) });
    assert.equal(run(archiveTimeout, r, {}, 30).length, 1);
    assert.equal(spec(r).config.parameters.archive_timeout, "30s");
    assert.deepEqual(run(archiveTimeout, r, {}, 30), [], "idempotent");
  });
  it("keeps a value set in config or patroni, and skips clusters without repos, wrong types, and 50 parameters", () => {
    const explicit = cluster({ pgbackrest: pgbackrest([s3Repo(1)]) }, { patroni: { dynamicConfiguration: { postgresql: { parameters: { archive_timeout: "2min" } } } } });
    assert.deepEqual(run(archiveTimeout, explicit, {}, 30), []);
    assert.deepEqual(run(archiveTimeout, cluster(), {}, 30), []);
    assert.deepEqual(run(archiveTimeout, cluster({ pgbackrest: pgbackrest([s3Repo(1)]) }, { config: "x" }), {}, 30), []);
    const full = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, "1"]));
    assert.deepEqual(run(archiveTimeout, cluster({ pgbackrest: pgbackrest([s3Repo(1)]) }, { config: { parameters: full } }), {}, 30), []);
  });
});

describe("pgo-retention-full", () => {
  it("is CREATE-only", () => assert.deepEqual(retentionFull.meta.operations, ["CREATE"]));
  it("adds retention for every valid repo without one, with its type", () => {
    const r = cluster({ pgbackrest: { repos: [volumeRepo(1), s3Repo(2), { ...s3Repo(3), name: "repo3x" }], global: { "repo2-retention-full": "3" } } });
    const notes = run(retentionFull, r);
    assert.deepEqual(
      notes.map((n) => n.path),
      ["spec.backups.pgbackrest.global.repo1-retention-full", "spec.backups.pgbackrest.global.repo1-retention-full-type"],
    );
    assert.equal(pgb(r).global["repo1-retention-full"], "7");
    assert.equal(pgb(r).global["repo2-retention-full"], "3");
  });
  it("uses the params and keeps an explicit type", () => {
    const r = cluster({ pgbackrest: { repos: [s3Repo(1)], global: { "repo1-retention-full-type": "time" } } });
    run(retentionFull, r, { count: 14 });
    assert.equal(pgb(r).global["repo1-retention-full"], "14");
    assert.equal(pgb(r).global["repo1-retention-full-type"], "time");
  });
  it("skips standbys and a global of the wrong type", () => {
    assert.deepEqual(run(retentionFull, cluster({ pgbackrest: { repos: [s3Repo(1)] } }, { standby: { repoName: "repo1" } })), []);
    assert.deepEqual(run(retentionFull, cluster({ pgbackrest: { repos: [s3Repo(1)], global: "x" } })), []);
  });
});

describe("pgo-repo-path", () => {
  it("is CREATE-only", () => assert.deepEqual(repoPath.meta.operations, ["CREATE"]));
  it("sets /pgbackrest/<namespace>/<cluster>/repoN for cloud repos without a path", () => {
    const r = cluster({ pgbackrest: { repos: [volumeRepo(1), s3Repo(2), { name: "repo3", gcs: { bucket: "g" } }], global: { "repo3-path": "/mine" } } });
    const notes = run(repoPath, r);
    assert.deepEqual(notes.map((n) => [n.path, n.value]), [["spec.backups.pgbackrest.global.repo2-path", "/pgbackrest/prod/hippo/repo2"]]);
    assert.equal(pgb(r).global["repo3-path"], "/mine");
    assert.equal(pgb(r).global["repo1-path"], undefined, "volume repos keep PGO's path on their own PVC");
  });
  it("skips standbys and objects without a namespace", () => {
    assert.deepEqual(run(repoPath, cluster({ pgbackrest: { repos: [s3Repo(1)] } }, { standby: { repoName: "repo1" } })), []);
    assert.deepEqual(run(repoPath, cluster({ pgbackrest: { repos: [s3Repo(1)] } }, {}, { namespace: undefined })), []);
  });
});

describe("pgo-schedules", () => {
  it("adds a daily full between 01:00 and 04:59 to repos without one, stable per cluster/repo", () => {
    const r = cluster({ pgbackrest: { repos: [s3Repo(1, null), s3Repo(2, { full: "0 5 * * *" })] } });
    const notes = run(schedules, r);
    assert.equal(notes.length, 1);
    const text = pgb(r).repos[0].schedules.full as string;
    assert.match(text, /^\d{1,2} [1-4] \* \* \*$/);
    assert.equal(pgb(r).repos[1].schedules.full, "0 5 * * *");
    const again = cluster({ pgbackrest: { repos: [s3Repo(1, null)] } });
    run(schedules, again);
    assert.equal(pgb(again).repos[0].schedules.full, text, "the same cluster and repo get the same minute");
  });
  it("keeps an existing differential and avoids its minute; spreads volume repos apart", () => {
    const r = cluster({ pgbackrest: { repos: [volumeRepo(1, null), volumeRepo(2, null)] } });
    run(schedules, r, { full: "H(0-1) 1 * * *" });
    const a = parseSchedule(pgb(r).repos[0].schedules.full, "kubernetes");
    const b = parseSchedule(pgb(r).repos[1].schedules.full, "kubernetes");
    assert.ok(a.ok && b.ok);
    assert.equal(firstCommonMinute(a.schedule, b.schedule, FIXED_NOW), null, "two volume repos never share a minute");
  });
  it("adds differential/incremental only with a defaulted full, and skips standbys and wrong types", () => {
    const r = cluster({ pgbackrest: { repos: [s3Repo(1, { incremental: "15 * * * *" })] } });
    run(schedules, r, { full: "0 1 * * 0", differential: "0 1 * * 1-6", incremental: "30 * * * *" });
    assert.deepEqual(pgb(r).repos[0].schedules, { incremental: "15 * * * *", full: "0 1 * * 0", differential: "0 1 * * 1-6" });
    assert.deepEqual(run(schedules, cluster({ pgbackrest: { repos: [s3Repo(1, null)] } }, { standby: { host: "h" } })), []);
    assert.deepEqual(run(schedules, cluster({ pgbackrest: { repos: [s3Repo(1, "0 1 * * *")] } })), []);
    assert.deepEqual(run(schedules, cluster({ pgbackrest: { repos: [{ ...s3Repo(1, null), name: "repo9" }] } })), []);
  });
  it("expands H tokens like cpo-schedules", () => {
    assert.deepEqual(expandHashTokens("0 1 * * *", "k"), { ok: true, text: "0 1 * * *" });
    const e = expandHashTokens("H H(1-4) * * *", "prod/hippo/repo1/full");
    assert.ok(e.ok && /^\d+ [1-4] \* \* \*$/.test(e.text));
    assert.equal(expandHashTokens("H * *", "k").ok, false);
  });
});

describe("PGO defaults satisfy the PGO rules", () => {
  it("a cluster with an s3 repo and credentials but no schedules, retention or path passes after mutation", () => {
    const r = cluster({ pgbackrest: { configuration: [{ secret: { name: "c" } }], repos: [s3Repo(1, null)] } });
    const policy = recommendedPolicy();
    const before = evaluate(r, { policy, lookups: new InventoryLookups(), now: FIXED_NOW, operation: "CREATE" }, [...pgoRules, ...scheduleRules]);
    assert.ok(before.findings.some((f) => f.rule === "pgo-full-schedule-required"));
    const m = mutate(r, { policy, lookups: new InventoryLookups(), now: FIXED_NOW, operation: "CREATE" }, pgoDefaulters);
    const after = evaluate(m.resource, { policy, lookups: new InventoryLookups(), now: FIXED_NOW, operation: "CREATE" }, [...pgoRules, ...scheduleRules]);
    assert.deepEqual(after.findings.map((f) => `${f.rule}: ${f.message}`), []);
  });
  it("a repo named by a placeholder gets no invented schedule; the schedule rules answer not checked instead", () => {
    const r = cluster({ pgbackrest: { configuration: [{ secret: { name: "c" } }], repos: [s3Repo(1), { ...s3Repo(2, null), name: "${OFFSITE_REPO}" }] } });
    const policy = recommendedPolicy();
    const ctx = { policy, lookups: new InventoryLookups(), now: FIXED_NOW, operation: "CREATE" as const };
    const m = mutate(r, ctx, pgoDefaulters);
    assert.equal(pgb(m.resource).repos[1].schedules, undefined, "what ${OFFSITE_REPO} becomes is not known");
    const after = evaluate(m.resource, ctx, [...pgoRules, ...scheduleRules]);
    assert.deepEqual(after.findings.map((f) => `${f.rule}: ${f.message}`), []);
    assert.ok(after.notChecked.some((n) => n.rule === "pgo-repo-schedule-missing" && n.cause === "placeholder"), JSON.stringify(after.notChecked));
  });
});
