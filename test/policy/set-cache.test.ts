// PolicySet memoisation (issue 13): namespaces matched by the same documents share one merge, the caches are
// bounded, and a cached policy is never served for other labels or by another set.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MAX_CACHED_NAMESPACES, PolicySet } from "../../src/policy/set.ts";
import type { PolicyDocument, PolicySpec } from "../../src/policy/document.ts";
import { testBase } from "./fixtures.ts";

const doc = (name: string, spec: PolicySpec): PolicyDocument => ({ name, spec, source: "t" });

describe("PolicySet memoisation", () => {
  const docs = [
    doc("prod", { priority: 10, match: { namespaceSelector: { matchLabels: { env: "prod" } } }, rules: { "schedule-too-rare": { maxInterval: "2d" } } }),
    doc("dev", { match: { namespaces: ["*-dev-*"] }, rules: { "schedule-too-rare": { action: "warn" } } }),
  ];

  it("merges once per set of matching documents, however many namespaces (more than the namespace cache holds)", () => {
    const s = new PolicySet(docs, testBase);
    for (let i = 0; i < MAX_CACHED_NAMESPACES * 2; i++) {
      const env = ["prod", "staging", "dev"][i % 3]!;
      const p = s.forNamespace(`team-${env}-${i}`, { env });
      const expected = env === "prod" ? ["prod"] : env === "dev" ? ["dev"] : [];
      assert.deepEqual(p.sources.slice(1), expected, `team-${env}-${i}`);
    }
    assert.equal(s.stats.merges, 3);
  });

  it("the same namespace with other labels gets the policy of those labels", () => {
    const s = new PolicySet(docs, testBase);
    assert.deepEqual(s.forNamespace("db", { env: "prod" }).sources.slice(1), ["prod"]);
    assert.deepEqual(s.forNamespace("db", { env: "qa" }).sources.slice(1), []);
    assert.deepEqual(s.forNamespace("db", { env: "prod" }).rules.get("schedule-too-rare")?.params, { maxInterval: "2d" });
    assert.deepEqual(s.forNamespace("db").sources.slice(1), [], "unknown labels: a selector never matches");
  });

  it("a new set (a policy change) never serves the old set's merge", () => {
    const a = new PolicySet(docs, testBase);
    const before = a.forNamespace("db", { env: "prod" });
    const b = new PolicySet([doc("prod", { priority: 10, match: { namespaceSelector: { matchLabels: { env: "prod" } } }, rules: { "schedule-too-rare": { maxInterval: "1d" } } })], testBase);
    const after = b.forNamespace("db", { env: "prod" });
    assert.notEqual(after, before);
    assert.deepEqual(after.rules.get("schedule-too-rare")?.params, { maxInterval: "1d" });
  });

  it("equal results to an uncached merge", () => {
    const cached = new PolicySet(docs, testBase);
    for (const [ns, labels] of [["x-dev-1", undefined], ["p", { env: "prod" }], ["x-dev-2", { env: "prod" }], [undefined, undefined]] as const) {
      const fresh = new PolicySet(docs, testBase).forNamespace(ns, labels);
      cached.forNamespace(ns, labels);
      assert.deepEqual(cached.forNamespace(ns, labels), fresh);
    }
  });
});
