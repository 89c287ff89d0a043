import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mergePolicies } from "../../src/policy/merge.ts";
import { parsePolicyText } from "../../src/policy/load.ts";
import { BUILTIN_POLICY_NAME } from "../../src/policy/builtin.ts";
import type { PolicyDocument, PolicySpec } from "../../src/policy/document.ts";
import { catalog, policyYaml, testBase } from "./fixtures.ts";

const doc = (name: string, spec: PolicySpec): PolicyDocument => ({ name, spec, source: "t" });

describe("mergePolicies", () => {
  it("no documents: the built-in policy", () => {
    const p = mergePolicies([], testBase());
    assert.deepEqual(p.sources, [BUILTIN_POLICY_NAME]);
    assert.equal(p.settings.rpoSeconds, 300);
    assert.deepEqual(p.rules.get("schedule-too-rare"), { action: "deny", params: { maxInterval: "7d" } });
    assert.deepEqual(p.defaults.get("cpo-retention-full"), { enabled: false, params: { count: 7, type: "count" } });
  });

  it("overrides rule by rule: unmentioned rules keep their defaults", () => {
    const p = mergePolicies([doc("a", { rules: { "cnpg-backup-target": { action: "off" } } })], testBase());
    assert.deepEqual(p.rules.get("cnpg-backup-target"), { action: "off", params: {} });
    assert.deepEqual(p.rules.get("schedule-too-rare"), { action: "deny", params: { maxInterval: "7d" } });
    assert.deepEqual(p.sources, [BUILTIN_POLICY_NAME, "a"]);
  });

  it("overrides param by param, keeping params as written (rules parse durations themselves)", () => {
    const p = mergePolicies([doc("a", { rules: { "schedule-too-frequent": { minInterval: "30m" } } })], testBase());
    assert.deepEqual(p.rules.get("schedule-too-frequent"), { action: "deny", params: { minInterval: "30m", ignoreIncremental: true } });
  });

  it("converts rpo to seconds", () => {
    assert.equal(mergePolicies([doc("a", { rpo: "1h30m" })], testBase()).settings.rpoSeconds, 5400);
  });

  it("defaults: enabled and params merged the same way", () => {
    const p = mergePolicies(
      [doc("a", { defaults: { "cpo-retention-full": { enabled: true } } }), doc("b", { defaults: { "cpo-retention-full": { count: 14 } } })],
      testBase(),
    );
    assert.deepEqual(p.defaults.get("cpo-retention-full"), { enabled: true, params: { count: 14, type: "count" } });
  });

  it("exemptions: field by field; neverExempt is replaced", () => {
    const p = mergePolicies(
      [doc("a", { exemptions: { requireExpiry: true, neverExempt: ["cnpg-backup-required"] } }), doc("b", { priority: 1, exemptions: { allowed: false } })],
      testBase(),
    );
    assert.deepEqual(p.exemptions, { allowed: false, requireReason: true, requireExpiry: true, neverExempt: ["cnpg-backup-required"] });
    const q = mergePolicies([doc("a", { exemptions: { neverExempt: ["cnpg-backup-required"] } }), doc("b", { priority: 1, exemptions: { neverExempt: [] } })], testBase());
    assert.deepEqual(q.exemptions.neverExempt, []);
  });

  it("several policies apply in (priority, name) order, whatever the input order", () => {
    const docs = [
      doc("zeta", { priority: 10, rules: { "schedule-too-rare": { maxInterval: "30d" } } }),
      doc("beta", { rules: { "schedule-too-rare": { action: "warn", maxInterval: "14d" } } }),
      doc("alpha", { rules: { "schedule-too-rare": { action: "audit", maxInterval: "1d" } }, rpo: "1m" }),
      doc("low", { priority: -1, rpo: "1h", rules: { "schedule-too-rare": { action: "off" } } }),
    ];
    const p = mergePolicies(docs, testBase());
    assert.deepEqual(p.sources, [BUILTIN_POLICY_NAME, "low", "alpha", "beta", "zeta"]);
    // action from beta (zeta does not set one), maxInterval from zeta, rpo from alpha (beta/zeta say nothing).
    assert.deepEqual(p.rules.get("schedule-too-rare"), { action: "warn", params: { maxInterval: "30d" } });
    assert.equal(p.settings.rpoSeconds, 60);
    assert.deepEqual(mergePolicies([...docs].reverse(), testBase()).rules, p.rules);
  });

  it("never modifies the base or the documents", () => {
    const base = testBase();
    const before = structuredClone([...base.rules]);
    const d = doc("a", { rules: { "cnpg-backup-required": { backupPlugins: ["x"] } } });
    const p = mergePolicies([d], base);
    (p.rules.get("cnpg-backup-required")!.params.backupPlugins as string[]).push("y");
    assert.deepEqual([...base.rules], before);
    assert.deepEqual(d.spec.rules!["cnpg-backup-required"]!.backupPlugins, ["x"]);
  });

  it("array params are replaced, not appended", () => {
    const p = mergePolicies([doc("a", { rules: { "cnpg-backup-required": { backupPlugins: ["mine"] } } })], testBase());
    assert.deepEqual(p.rules.get("cnpg-backup-required")!.params.backupPlugins, ["mine"]);
  });

  it("works on parsed documents end to end", () => {
    const r = parsePolicyText(policyYaml("p", "  rpo: 2m\n  rules:\n    cnpg-backup-target: {action: deny}\n"), "p.yaml", catalog);
    assert.ok(r.ok);
    const p = mergePolicies(r.policies, testBase());
    assert.equal(p.settings.rpoSeconds, 120);
    assert.equal(p.rules.get("cnpg-backup-target")!.action, "deny");
  });
});
