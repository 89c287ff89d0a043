import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Defaulter, Resource, Rule } from "../../src/engine/types.ts";
import { admit, evaluate, mutate, type EngineContext } from "../../src/engine/engine.ts";
import { recommendedPolicy } from "../../src/policy/builtin.ts";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import { parseUntil, readExemptions } from "../../src/engine/exemptions.ts";
import { resourceTypeOf } from "../../src/engine/resource.ts";

const now = new Date("2026-11-22T12:00:00Z");

const alwaysFires: Rule = {
  meta: {
    id: "test-always",
    appliesTo: ["postgresql.cnpg.io/v1/Cluster"],
    defaultAction: "deny",
    params: {},
    docs: { summary: "s", rationale: "r", bad: "b", good: "g", fix: "f" },
  },
  check: () => [{ path: "spec", message: "always" }],
};
const throws: Rule = { ...alwaysFires, meta: { ...alwaysFires.meta, id: "test-throws" }, check: () => { throw new Error("boom"); } };
const warns: Rule = { ...alwaysFires, meta: { ...alwaysFires.meta, id: "test-warn", defaultAction: "warn" } };
const rules = [alwaysFires, throws, warns];

const setsTarget: Defaulter = {
  meta: { id: "test-target", appliesTo: ["postgresql.cnpg.io/v1/Cluster"], enabledByDefault: true, params: {}, description: "d" },
  apply(r) {
    const spec = (r.spec ??= {}) as Record<string, unknown>;
    if (spec.target) return [];
    spec.target = "prefer-standby";
    return [{ path: "spec.target", value: "prefer-standby", why: "test" }];
  },
};

function ctx(): EngineContext {
  const policy = recommendedPolicy(rules, [setsTarget]);
  // A rule that throws denies (spec.ruleErrors); the tests of that switch it on themselves.
  policy.rules.get("test-throws")!.action = "off";
  return { policy, lookups: new InventoryLookups(), now };
}

const cluster = (annotations?: Record<string, string>): Resource => ({
  apiVersion: "postgresql.cnpg.io/v1",
  kind: "Cluster",
  metadata: { name: "pg", namespace: "db", ...(annotations ? { annotations } : {}) },
  spec: { instances: 3 },
});

describe("engine.evaluate", () => {
  it("attaches rule ids and actions; a deny makes the resource not allowed", () => {
    const e = evaluate(cluster(), ctx(), rules);
    assert.equal(e.allowed, false);
    assert.deepEqual(e.findings.map((f) => [f.rule, f.action]), [["test-always", "deny"], ["test-warn", "warn"]]);
  });

  it("a rule that throws denies by default (spec.ruleErrors), with a finding naming the rule and the error", () => {
    const c = ctx();
    c.policy.rules.get("test-throws")!.action = "deny";
    c.policy.rules.get("test-always")!.action = "off";
    const e = evaluate(cluster(), c, rules);
    assert.equal(e.allowed, false);
    assert.deepEqual(e.notChecked, []);
    const f = e.findings.filter((x) => x.rule === "test-throws");
    assert.equal(f.length, 1);
    assert.equal(f[0]!.action, "deny");
    assert.equal(f[0]!.cause, "rule-error");
    assert.match(f[0]!.message, /internal error.*Error: boom.*ruleErrors is deny/);
  });

  it("spec.ruleErrors warn or audit reports a rule that throws without denying", () => {
    for (const action of ["warn", "audit"] as const) {
      const c = ctx();
      c.policy.ruleErrors = action;
      c.policy.rules.get("test-throws")!.action = "deny";
      c.policy.rules.get("test-always")!.action = "off";
      const e = evaluate(cluster(), c, rules);
      assert.equal(e.allowed, true);
      assert.deepEqual(e.findings.filter((x) => x.rule === "test-throws").map((x) => [x.action, x.cause]), [[action, "rule-error"]]);
    }
  });

  it("policy actions override defaults; off skips the rule", () => {
    const c = ctx();
    c.policy.rules.get("test-always")!.action = "audit";
    c.policy.rules.get("test-warn")!.action = "off";
    const e = evaluate(cluster(), c, rules);
    assert.equal(e.allowed, true);
    assert.deepEqual(e.findings.map((f) => [f.rule, f.action]), [["test-always", "audit"]]);
  });

  it("uncovered kinds are allowed with no findings", () => {
    const e = evaluate({ apiVersion: "v1", kind: "ConfigMap", metadata: {} }, ctx(), rules);
    assert.deepEqual(e, { allowed: true, findings: [], notChecked: [], exemptions: [], evaluatedRules: [] });
  });
});

describe("exemptions", () => {
  const annotated = (extra: Record<string, string>) =>
    cluster({ "pgbackupguard.io/exempt": "test-always", "pgbackupguard.io/exempt-reason": "TICKET-1", ...extra });

  it("an exemption with a reason skips the rule", () => {
    const e = evaluate(annotated({}), ctx(), rules);
    assert.equal(e.allowed, true);
    assert.deepEqual(e.exemptions.map((x) => [x.rule, x.applied]), [["test-always", true]]);
  });

  it("an expired exemption does not apply, and says why", () => {
    const e = evaluate(annotated({ "pgbackupguard.io/exempt-until": "2026-11-21" }), ctx(), rules);
    assert.equal(e.allowed, false);
    assert.equal(e.exemptions[0]!.applied, false);
    assert.match(e.exemptions[0]!.ignoredBecause!, /expired/);
  });

  it("a date-only expiry is valid through that day (UTC)", () => {
    const e = evaluate(annotated({ "pgbackupguard.io/exempt-until": "2026-11-22" }), ctx(), rules);
    assert.equal(e.allowed, true);
  });

  it("without a reason, or when the policy disallows exemptions, nothing is exempted", () => {
    const noReason = cluster({ "pgbackupguard.io/exempt": "test-always" });
    assert.equal(evaluate(noReason, ctx(), rules).allowed, false);
    const c = ctx();
    c.policy.exemptions.allowed = false;
    assert.equal(evaluate(annotated({}), c, rules).allowed, false);
  });

  it("unknown rules, bad dates and never-exempt rules are ignored with a reason", () => {
    const known = new Set(["test-always"]);
    const settings = { allowed: true, requireReason: true, requireExpiry: false, neverExempt: ["test-always"] };
    const r = cluster({ "pgbackupguard.io/exempt": "nope, test-always", "pgbackupguard.io/exempt-reason": "x" });
    const entries = readExemptions(r, settings, known, now);
    assert.match(entries[0]!.ignoredBecause!, /unknown rule id "nope"/);
    assert.match(entries[1]!.ignoredBecause!, /never be exempted/);
    const bad = cluster({ "pgbackupguard.io/exempt": "test-always", "pgbackupguard.io/exempt-reason": "x", "pgbackupguard.io/exempt-until": "next week" });
    assert.match(readExemptions(bad, { ...settings, neverExempt: [] }, known, now)[0]!.ignoredBecause!, /not a date/);
  });

  it("parseUntil accepts dates and RFC 3339 times only", () => {
    assert.equal(parseUntil("2026-02-30"), undefined);
    assert.equal(parseUntil("2026-12-31")!.toISOString(), "2027-01-01T00:00:00.000Z");
    assert.equal(parseUntil("2026-12-31T10:00:00+02:00")!.toISOString(), "2026-12-31T08:00:00.000Z");
    assert.equal(parseUntil("tomorrow"), undefined);
  });
});

describe("engine.mutate and admit", () => {
  it("mutates a copy, never the input, and validates the mutated object", () => {
    const input = cluster();
    const before = structuredClone(input);
    const m = mutate(input, ctx(), [setsTarget]);
    assert.deepEqual(input, before);
    assert.equal((m.resource.spec as { target: string }).target, "prefer-standby");
    assert.deepEqual(m.changes, [{ defaulter: "test-target", path: "spec.target", value: "prefer-standby", note: 'set spec.target: "prefer-standby" (test)' }]);
  });

  it("a disabled defaulter does nothing", () => {
    const c = ctx();
    c.policy.defaults.get("test-target")!.enabled = false;
    assert.deepEqual(mutate(cluster(), c, [setsTarget]).changes, []);
  });

  it("a CREATE-only defaulter does not run on UPDATE; an UPDATE that keeps the spec is never mutated", () => {
    const createOnly: Defaulter = { ...setsTarget, meta: { ...setsTarget.meta, operations: ["CREATE"] } };
    const c = ctx();
    const changed: Resource = { ...cluster(), spec: { instances: 5 } };
    assert.deepEqual(mutate(changed, { ...c, operation: "UPDATE", oldResource: cluster() }, [createOnly]).changes, []);
    assert.equal(mutate(changed, { ...c, operation: "UPDATE", oldResource: cluster() }, [setsTarget]).changes.length, 1);
    // Labels only: old and new spec equal, so nothing is defaulted even by a defaulter that runs on UPDATE.
    const relabelled = cluster({ team: "a" });
    assert.deepEqual(mutate(relabelled, { ...c, operation: "UPDATE", oldResource: cluster() }, [setsTarget]).changes, []);
  });

  it("admit runs the API server stage before and after mutation, and judges the result", () => {
    const seen: unknown[] = [];
    const passes: string[] = [];
    const pass = (name: string) => (r: Resource) => {
      seen.push(structuredClone(r.spec));
      passes.push(name);
      const spec = { ...(r.spec as Record<string, unknown>), crd: "default" };
      return { resource: { ...r, spec }, changes: [{ kind: "default" as const, path: "spec.crd", value: "default" }] };
    };
    const apiServer = { received: pass("received"), afterMutation: pass("afterMutation") };
    const checksCrd: Rule = {
      ...alwaysFires,
      meta: { ...alwaysFires.meta, id: "test-origin" },
      check: (r, rc) => [{ path: "spec.crd", message: `${String((r.spec as any).crd)} from ${rc.origin?.("spec.crd")}; target from ${rc.origin?.("spec.target")}` }],
    };
    const policy = recommendedPolicy([checksCrd], [setsTarget]);
    const c: EngineContext = { policy, lookups: new InventoryLookups(), now };
    const orig = admit(cluster(), c, { apiServer, rules: [checksCrd], defaulters: [setsTarget] });
    assert.equal(seen.length, 2, "before our mutation and again after it changed something");
    assert.deepEqual(passes, ["received", "afterMutation"]);
    assert.deepEqual(seen[1], { instances: 3, crd: "default", target: "prefer-standby" });
    assert.equal(orig.apiServer.length, 2);
    assert.equal(orig.changes.length, 1);
    assert.equal(orig.evaluation.findings[0]!.message, "default from crd; target from policy");
    const noDefaults = admit(cluster(), c, { apiServer, defaults: false, rules: [checksCrd], defaulters: [setsTarget] });
    assert.deepEqual(noDefaults.changes, []);
    assert.equal((noDefaults.resource.spec as any).target, undefined);
    assert.equal((noDefaults.resource.spec as any).crd, "default");
  });

  it("rules see which other rules are active (one problem, one finding)", () => {
    let seen: boolean[] = [];
    const probe: Rule = {
      ...alwaysFires,
      meta: { ...alwaysFires.meta, id: "test-probe", defaultAction: "warn" },
      check: (_r, rc) => {
        seen = [rc.ruleActive!("test-always"), rc.ruleActive!("test-warn"), rc.ruleActive!("no-such-rule")];
        return [];
      },
    };
    const real: EngineContext = { policy: recommendedPolicy(), lookups: new InventoryLookups(), now };
    real.policy.rules.get("cnpg-wal-archive-required")!.action = "off";
    evaluate(cluster(), real, [probe]);
    assert.deepEqual(seen, [false, false, false], "ids outside the catalog are never active");
    const realProbe: Rule = {
      ...probe,
      check: (_r, rc) => ((seen = [rc.ruleActive!("cnpg-backup-required"), rc.ruleActive!("cnpg-wal-archive-required"), rc.ruleActive!("cpo-repos-required")]), []),
    };
    evaluate(cluster(), real, [realProbe]);
    assert.deepEqual(seen, [true, false, false], "on, off by policy, not for this kind");
  });

  it("resourceTypeOf knows the covered kinds only", () => {
    assert.equal(resourceTypeOf(cluster()), "postgresql.cnpg.io/v1/Cluster");
    assert.equal(resourceTypeOf({ apiVersion: "cpo.opensource.cybertec.at/v1", kind: "postgresql" }), "cpo.opensource.cybertec.at/v1/postgresql");
    assert.equal(resourceTypeOf({ apiVersion: "acid.zalan.do/v1", kind: "postgresql" }), undefined);
    assert.equal(resourceTypeOf("Cluster"), undefined);
  });
});

describe("inventory lookups", () => {
  it("unknown kinds are undefined, known-but-missing are null, namespaces are respected", () => {
    const inv = new InventoryLookups([
      { apiVersion: "barmancloud.cnpg.io/v1", kind: "ObjectStore", metadata: { name: "store", namespace: "db" } },
    ]);
    assert.equal(inv.get("VolumeSnapshotClass", undefined, "x"), undefined);
    assert.equal(inv.get("ObjectStore", "other", "store"), null);
    assert.equal(inv.get("ObjectStore", "db", "store")?.metadata.name, "store");
    assert.equal(inv.list("ObjectStore", "db")?.length, 1);
    assert.equal(new InventoryLookups([], { known: ["Cluster"] }).get("Cluster", "db", "x"), null);
  });
});
