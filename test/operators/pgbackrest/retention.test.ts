import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Resource, RuleContext } from "../../../src/engine/types.ts";
import { getObject } from "../../../src/util/object.ts";
import { retentionFullDefaulter, type RetentionParams } from "../../../src/operators/pgbackrest/retention.ts";
import { FIXED_NOW } from "../../helpers/rule-tester.ts";

const defaulter = retentionFullDefaulter({
  id: "x-retention-full",
  appliesTo: [],
  description: "d",
  globalPath: "spec.pg.global",
  pgbackrestOf: (r) => getObject(r, "spec.pg"),
  reposOf: (r) => {
    const repos = getObject(r, "spec.pg")?.repos;
    return Array.isArray(repos) ? repos.map((n) => (typeof n === "number" ? { number: n } : {})) : undefined;
  },
  skip: (r) => r.metadata.name === "standby",
});
const ctx = (params: Partial<RetentionParams>) => ({ params, policy: { rpoSeconds: 300 }, now: FIXED_NOW, operation: "CREATE" }) as RuleContext<RetentionParams>;
const resource = (pg: unknown, name = "db"): Resource => ({ apiVersion: "x/v1", kind: "X", metadata: { name }, spec: { pg } });

describe("retentionFullDefaulter", () => {
  it("is CREATE-only, enabled by default, with the shared parameters", () => {
    assert.deepEqual(defaulter.meta.operations, ["CREATE"]);
    assert.equal(defaulter.meta.enabledByDefault, true);
    assert.deepEqual(Object.keys(defaulter.meta.params), ["count", "type"]);
  });
  it("adds retention for every numbered repo into a new global, and stores it", () => {
    const r = resource({ repos: [1, "x", 2] });
    const notes = defaulter.apply(r, ctx({ count: 3, type: "time" }));
    assert.deepEqual(notes.map((n) => [n.path, n.value]), [
      ["spec.pg.global.repo1-retention-full", "3"],
      ["spec.pg.global.repo1-retention-full-type", "time"],
      ["spec.pg.global.repo2-retention-full", "3"],
      ["spec.pg.global.repo2-retention-full-type", "time"],
    ]);
    assert.deepEqual((r.spec as any).pg.global, { "repo1-retention-full": "3", "repo1-retention-full-type": "time", "repo2-retention-full": "3", "repo2-retention-full-type": "time" });
  });
  it("writes nothing when global is no map, repos are none, or skip says so; keeps a global it did not change", () => {
    for (const r of [resource({ repos: [1], global: "x" }), resource({ repos: [] }), resource({}), resource({ repos: [1] }, "standby")]) {
      const before = JSON.stringify(r);
      assert.deepEqual(defaulter.apply(r, ctx({})), []);
      assert.equal(JSON.stringify(r), before);
    }
    const r = resource({ repos: [1] });
    (r.spec as any).pg.global = { "repo1-retention-full": "9" };
    assert.deepEqual(defaulter.apply(r, ctx({})), []);
  });
});
