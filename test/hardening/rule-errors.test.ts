// A rule that throws never lets an object through, and an object of the wrong shape is denied as such
// (issue 12: "A rule that throws lets the object through").
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import request from "supertest";
import type { Resource } from "../../src/engine/types.ts";
import { evaluate } from "../../src/engine/engine.ts";
import { SHAPE_RULE_ID } from "../../src/engine/shape.ts";
import { recommendedPolicy } from "../../src/policy/builtin.ts";
import { parsePolicyText } from "../../src/policy/load.ts";
import { mergePolicies } from "../../src/policy/merge.ts";
import { findRule } from "../../src/rules/index.ts";
import { goodCluster, inventory, makeApp, NOW, reviewOf } from "../webhook/helpers.ts";
import { run } from "../cli/run.ts";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const judge = (r: Record<string, unknown>) => evaluate(r as Resource, { policy: recommendedPolicy(), lookups: inventory(), now: NOW });

describe("shape check before rules", () => {
  it("the fixture is allowed as it is (so a denial below is the shape's doing)", () => {
    assert.equal(judge(goodCluster()).allowed, true);
  });

  const cases: [string, (c: Record<string, any>) => void, string][] = [
    ["metadata.name a map", (c) => (c.metadata.name = { a: 1 }), "metadata.name"],
    ["metadata.namespace a number", (c) => (c.metadata.namespace = 7), "metadata.namespace"],
    ["spec a string", (c) => (c.spec = "hello"), "spec"],
    ["spec a list", (c) => (c.spec = [1]), "spec"],
    ["a label value a number", (c) => (c.metadata.labels = { version: 1 }), 'metadata.labels["version"]'],
    ["annotations a list", (c) => (c.metadata.annotations = ["a"]), "metadata.annotations"],
  ];
  for (const [name, change, path] of cases) {
    it(`${name}: denied with ${SHAPE_RULE_ID} at ${path}, and no rule runs on it`, () => {
      const c = goodCluster();
      change(c);
      const e = judge(c);
      assert.equal(e.allowed, false);
      assert.deepEqual(e.findings.map((f) => [f.rule, f.action, f.path]), [[SHAPE_RULE_ID, "deny", path]]);
      assert.match(e.findings[0]!.message, /the API server refuses this object/);
    });
  }

  it("no false positive: null label values, generateName, absent spec of a VolumeSnapshotClass", () => {
    const c = goodCluster();
    c.metadata.labels = { a: "1", b: null };
    c.metadata.generateName = "pg-";
    assert.equal(judge(c).findings.filter((f) => f.rule === SHAPE_RULE_ID).length, 0);
    const vsc = { apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "c" }, driver: "d", deletionPolicy: "Delete" };
    assert.equal(judge(vsc).findings.filter((f) => f.rule === SHAPE_RULE_ID).length, 0);
  });

  it("CLI: a Cluster whose metadata.name is a map exits 1 with the finding", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pbg-shape-"));
    const file = join(dir, "c.yaml");
    writeFileSync(
      file,
      "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: {a: 1}, namespace: db}\nspec:\n  instances: 3\n  backup: {target: prefer-standby}\n" +
        "  plugins: [{name: barman-cloud.cloudnative-pg.io, isWALArchiver: true, parameters: {barmanObjectName: pg-store}}]\n" +
        "---\napiVersion: barmancloud.cnpg.io/v1\nkind: ObjectStore\nmetadata: {name: pg-store, namespace: db}\nspec: {retentionPolicy: 30d, configuration: {destinationPath: 's3://b/p'}}\n",
    );
    const r = await run(["validate", file, "--format", "json"]);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    const findings = out.results[0].findings;
    assert.deepEqual(findings.map((f: any) => [f.rule, f.path]), [[SHAPE_RULE_ID, "metadata.name"]]);
  });
});

describe("spec.ruleErrors in a BackupPolicy", () => {
  const doc = (v: string) => `apiVersion: pgbackupguard.io/v1alpha1\nkind: BackupPolicy\nmetadata: {name: p}\nspec:\n  ruleErrors: ${v}\n`;
  it("deny, warn and audit are accepted and merged; absent means deny", () => {
    for (const v of ["deny", "warn", "audit"]) {
      const r = parsePolicyText(doc(v), "p.yaml");
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(mergePolicies(r.policies).ruleErrors, v);
    }
    assert.equal(mergePolicies([]).ruleErrors, undefined);
  });
  it("anything else (allow, off) is an error naming the field", () => {
    for (const v of ["allow", "off", "1"]) {
      const r = parsePolicyText(doc(v), "p.yaml");
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.errors[0]!.path, "spec.ruleErrors");
    }
  });
});

describe("webhook: a rule that throws", () => {
  const rule = findRule("cnpg-wal-archive-required")!;
  const original = rule.check;
  before(() => {
    rule.check = () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    };
  });
  after(() => {
    rule.check = original;
  });

  it("denies (default ruleErrors), counts every occurrence, logs once per rule", async () => {
    const { app, metrics, logs } = makeApp();
    for (let i = 0; i < 3; i++) {
      const res = await request(app).post("/validate").send(reviewOf(goodCluster(), { uid: `re-${i}` }));
      assert.equal(res.body.response.allowed, false);
      assert.match(res.body.response.status.message, /\[cnpg-wal-archive-required\] internal error in the rule.*TypeError/);
    }
    const text = await metrics.registry.metrics();
    assert.match(text, /pgbackupguard_rule_errors_total\{rule="cnpg-wal-archive-required",action="deny"\} 3/);
    assert.equal(logs.filter((l) => l.rule === "cnpg-wal-archive-required" && /internal error/.test(l.msg)).length, 1);
  });

  it("ruleErrors: warn allows with a warning, still counted", async () => {
    const policy = recommendedPolicy();
    policy.ruleErrors = "warn";
    const { app, metrics } = makeApp({ policy });
    const res = await request(app).post("/validate").send(reviewOf(goodCluster()));
    assert.equal(res.body.response.allowed, true);
    assert.match(res.body.response.warnings.join("\n"), /\[cnpg-wal-archive-required\] internal error/);
    assert.match(await metrics.registry.metrics(), /pgbackupguard_rule_errors_total\{rule="cnpg-wal-archive-required",action="warn"\} 1/);
  });
});
