// lookupMissing: "warn" (admission) turns findings that exist only because a named object is missing into warnings.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Problem, Resource, Rule } from "../../src/engine/types.ts";
import { evaluate, NOT_FOUND_YET, type EngineContext } from "../../src/engine/engine.ts";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import { recommendedPolicy } from "../../src/policy/builtin.ts";
import { findObject } from "../../src/rules/util.ts";

const CLUSTER: Resource = {
  apiVersion: "postgresql.cnpg.io/v1",
  kind: "Cluster",
  metadata: { name: "pg", namespace: "db" },
  spec: { instances: 3, backup: { target: "prefer-standby" }, plugins: [{ name: "barman-cloud.cloudnative-pg.io", isWALArchiver: true, parameters: { barmanObjectName: "pg-store" } }] },
};

function ctx(lookupMissing?: "deny" | "warn", objects: unknown[] = []): EngineContext {
  const c: EngineContext = {
    policy: recommendedPolicy(),
    lookups: new InventoryLookups(objects, { known: ["ObjectStore", "VolumeSnapshotClass", "StorageClass", "Cluster", "ScheduledBackup", "Namespace"] }),
    now: new Date("2026-01-01T00:00:00Z"),
  };
  if (lookupMissing) c.lookupMissing = lookupMissing;
  return c;
}

test("the CLI default: a missing ObjectStore denies", () => {
  for (const mode of [undefined, "deny"] as const) {
    const ev = evaluate(CLUSTER, ctx(mode));
    const f = ev.findings.find((x) => x.rule === "cnpg-object-store-exists");
    assert.equal(f?.action, "deny");
    assert.equal(f?.cause, undefined);
    assert.ok(!f?.message.startsWith(NOT_FOUND_YET));
    assert.equal(ev.allowed, false);
  }
});

test("at admission the same finding is a warning saying 'not found yet'", () => {
  const ev = evaluate(CLUSTER, ctx("warn"));
  const f = ev.findings.find((x) => x.rule === "cnpg-object-store-exists");
  assert.equal(f?.action, "warn");
  assert.equal(f?.cause, "lookup-missing");
  assert.ok(f?.message.startsWith(`${NOT_FOUND_YET}ObjectStore "pg-store"`), f?.message);
  assert.equal(ev.allowed, true);
});

test("with the object present nothing is reported in either mode", () => {
  const store = { apiVersion: "barmancloud.cnpg.io/v1", kind: "ObjectStore", metadata: { name: "pg-store", namespace: "db" }, spec: {} };
  for (const mode of ["deny", "warn"] as const) assert.equal(evaluate(CLUSTER, ctx(mode, [store])).findings.length, 0);
});

// A test rule: one problem that exists only because "x" is missing, one that does not depend on it.
const TEST_RULE: Rule = {
  meta: { id: "test-lookup", appliesTo: ["postgresql.cnpg.io/v1/Cluster"], defaultAction: "deny", params: {}, lookups: ["ObjectStore"], docs: { summary: "s", rationale: "r", bad: "b", good: "g", fix: "f" } },
  check(_r, c) {
    const out: Problem[] = [{ path: "spec.always", message: "wrong whatever exists" }];
    if (findObject(c.lookups, "ObjectStore", "db", "x").state === "missing") out.push({ path: "spec.ref", message: 'ObjectStore "x" is missing' });
    // A non-namespaced kind, looked up with get() directly.
    if (c.lookups.get("VolumeSnapshotClass", undefined, "vsc") === null) out.push({ path: "spec.class", message: "no class vsc" });
    return out;
  },
};

test("only the problems that vanish when the missing objects exist are downgraded", () => {
  const ev = evaluate(CLUSTER, ctx("warn"), [TEST_RULE]);
  const byPath = Object.fromEntries(ev.findings.map((f) => [f.path, f]));
  assert.equal(byPath["spec.always"]?.action, "deny");
  assert.equal(byPath["spec.always"]?.cause, undefined);
  assert.equal(byPath["spec.ref"]?.action, "warn");
  assert.equal(byPath["spec.class"]?.action, "warn");
  assert.equal(ev.allowed, false);
});

test("a rule that throws on the second run keeps its actions; warn and audit findings keep theirs", () => {
  let runs = 0;
  const flaky: Rule = {
    ...TEST_RULE,
    check(r, c) {
      if (runs++ % 2 === 1) throw new Error("boom");
      return TEST_RULE.check(r, c);
    },
  };
  const ev = evaluate(CLUSTER, ctx("warn"), [flaky]);
  assert.ok(ev.findings.every((f) => f.action === "deny" && f.cause === undefined), JSON.stringify(ev.findings));

  const policy = recommendedPolicy();
  policy.rules.set("cnpg-object-store-exists", { action: "audit", params: {} } as never);
  const audit = evaluate(CLUSTER, { ...ctx("warn"), policy }).findings.find((f) => f.rule === "cnpg-object-store-exists");
  assert.equal(audit?.action, "audit");
  assert.equal(audit?.cause, "lookup-missing");
});

test("an unknown kind is still 'not checked', not a finding", () => {
  const c = ctx("warn");
  c.lookups = new InventoryLookups();
  const ev = evaluate(CLUSTER, c);
  assert.ok(ev.notChecked.some((n) => n.rule === "cnpg-object-store-exists"));
  assert.ok(!ev.findings.some((f) => f.rule === "cnpg-object-store-exists"));
});
