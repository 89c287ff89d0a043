// Every PGO rule and defaulter on hostile and malformed input: nothing throws, and rules stay fast on huge input.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Resource, RuleContext } from "../../../src/engine/types.ts";
import { pgoRules } from "../../../src/operators/pgo/rules/index.ts";
import { pgoDefaulters } from "../../../src/operators/pgo/defaults.ts";
import { InventoryLookups } from "../../../src/lookups/inventory.ts";
import { paramDefaults } from "../../../src/policy/builtin.ts";
import { assertRuleMeta, FIXED_NOW } from "../../helpers/rule-tester.ts";
import { cluster, good, s3Repo } from "./fixtures.ts";
import { applyDefaulter, checkRule } from "../../../src/rules/define.ts";

const weird: unknown[] = [null, 0, "x", [], [null], {}, { a: 1 }, true];
const specs: Record<string, unknown>[] = [
  {},
  { backups: null },
  ...weird.map((w) => ({ backups: w })),
  ...weird.map((w) => ({ backups: { pgbackrest: w } })),
  ...weird.map((w) => ({ backups: { pgbackrest: { repos: w, global: w, configuration: w, restore: w, manual: w }, snapshots: w } })),
  ...weird.map((w) => ({ backups: { pgbackrest: { repos: [{ name: "repo1", s3: w, gcs: w, azure: w, volume: w, schedules: w }], global: { "repo1-path": w } } } })),
  ...weird.map((w) => ({ standby: w, shutdown: w, dataSource: w, config: w, patroni: w, instances: w })),
  ...weird.map((w) => ({ dataSource: { postgresCluster: w, pgbackrest: { options: w, configuration: [w] } }, patroni: { dynamicConfiguration: { postgresql: { parameters: w } } } })),
];

function ctx(params: Record<string, unknown>, old?: Resource): RuleContext {
  const lookups = new InventoryLookups([good(), { apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "prod" } }]);
  const c: RuleContext = { params, policy: { rpoSeconds: 30 }, lookups, now: FIXED_NOW, operation: old ? "UPDATE" : "CREATE" };
  if (old) c.oldResource = old;
  return c;
}

describe("pgo rules and defaulters on malformed input", () => {
  for (const rule of pgoRules) {
    it(`${rule.meta.id}: documented, never throws`, () => {
      assertRuleMeta(rule);
      for (const spec of specs) {
        const r = { ...cluster(), spec } as Resource;
        assert.doesNotThrow(() => checkRule(rule, r, ctx(paramDefaults(rule.meta.params), good())), JSON.stringify(spec));
        assert.doesNotThrow(() => checkRule(rule, { ...r, metadata: {} } as Resource, ctx(paramDefaults(rule.meta.params), r)));
      }
    });
  }
  for (const d of pgoDefaulters) {
    it(`${d.meta.id}: never throws`, () => {
      for (const spec of specs) {
        const r = { ...cluster(), spec: structuredClone(spec) } as Resource;
        assert.doesNotThrow(() => applyDefaulter(d, r, ctx(paramDefaults(d.meta.params))), JSON.stringify(spec));
      }
    });
  }
  it("huge input stays fast", () => {
    const global = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`repo1-bogus-${i}`, "x".repeat(10)]));
    const repos = Array.from({ length: 20_000 }, (_, i) => ({ ...s3Repo(1, { full: "0 1 * * *", differential: "* * * * *", incremental: "* * * * *" }), name: `repo1-${i}` }));
    const options = Array.from({ length: 20_000 }, () => "--repo=1; x");
    const r = cluster({ pgbackrest: { global, repos, restore: { enabled: true, repoName: "repo1", options }, manual: { repoName: "repo1", options } } }, {}, { name: "n".repeat(10_000) });
    const start = performance.now();
    for (const rule of pgoRules) {
      const problems = checkRule(rule, r, ctx(paramDefaults(rule.meta.params), r));
      assert.ok(problems.length <= 50, `${rule.meta.id}: ${problems.length} problems`);
    }
    assert.ok(performance.now() - start < 3000, `took ${Math.round(performance.now() - start)} ms`);
  });
});
