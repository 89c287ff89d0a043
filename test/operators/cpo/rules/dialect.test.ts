// Dialect traps on CPO schedules through the whole engine: the shared schedule-syntax rule reports them,
// the CPO rules neither crash nor double-report.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { evaluate } from "../../../../src/engine/engine.ts";
import { recommendedPolicy } from "../../../../src/policy/builtin.ts";
import { InventoryLookups } from "../../../../src/lookups/inventory.ts";
import { FIXED_NOW } from "../../../helpers/rule-tester.ts";
import { backup, cluster, s3Repo } from "./fixtures.ts";

function findings(schedule: unknown) {
  const r = cluster(backup([s3Repo(1, schedule)]));
  const e = evaluate(r, { policy: recommendedPolicy(), lookups: new InventoryLookups(), now: FIXED_NOW });
  assert.deepEqual(e.notChecked, [], "no rule crashed");
  return e.findings.map((f) => `${f.rule} ${f.path}`);
}

describe("CPO dialect traps", () => {
  const P = "spec.backup.pgbackrest.repos[0].schedule";
  it("6-field full (CNPG style, seconds first) is a syntax error", () => {
    assert.deepEqual(findings({ full: "0 30 2 * * *" }), [`schedule-syntax ${P}.full`]);
  });
  it("TZ= and CRON_TZ= prefixes are syntax errors", () => {
    assert.deepEqual(findings({ full: "TZ=Europe/Vienna 30 2 * * *" }), [`schedule-syntax ${P}.full`]);
    assert.deepEqual(findings({ full: "30 2 * * *", incr: "CRON_TZ=UTC 0 * * * *" }), [`schedule-syntax ${P}.incr`]);
  });
  it("descriptors are fine (robfig v3 ParseStandard also takes @every)", () => {
    assert.deepEqual(findings({ full: "@daily" }), []);
    assert.deepEqual(findings({ full: "@every 24h", incr: "@hourly" }), []);
    assert.deepEqual(findings({ full: "@daily", incr: "@every 24h" }), [`cpo-incremental-interval ${P}.incr`]);
  });
  it("a misspelt key leaves the repo without a full schedule", () => {
    assert.deepEqual(findings({ ful: "30 2 * * *" }), [`cpo-full-schedule-required ${P}`, `cpo-schedule-keys ${P}.ful`]);
  });
  it("docs example collides at 02:30 but is otherwise fine", () => {
    assert.deepEqual(findings({ full: "30 2 * * *", incr: "*/30 * * * *" }), [`cpo-schedule-collision ${P}.incr`]);
  });
});
