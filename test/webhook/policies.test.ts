// Policy reloads: cluster objects through a fake informer, files on disk; the last good policy stays.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClusterPolicyWatch, FilePolicyWatch, newPolicyHolder } from "../../src/webhook/policies.ts";
import { FakeInformer, httpError } from "./fake-informer.ts";
import { pino } from "pino";
import { logCapture } from "./helpers.ts";

const policy = (name: string, rules: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: "pgbackupguard.io/v1alpha1",
  kind: "BackupPolicy",
  metadata: { name, resourceVersion: "1", uid: "x", creationTimestamp: "2026-01-01T00:00:00Z", managedFields: [] },
  spec: { rules, ...extra },
});

function holder() {
  const { logger, lines } = logCapture();
  const results: string[] = [];
  return { holder: newPolicyHolder(logger, (r) => results.push(r)), lines, results };
}

const action = (h: ReturnType<typeof holder>["holder"], rule: string, ns = "db") => h.forNamespace(ns)?.rules.get(rule)?.action;

test("cluster policies: applied after sync, changed on update, invalid refused with the last good kept", async () => {
  const h = holder();
  const inf = new FakeInformer([policy("default", { "cnpg-backup-target": { action: "off" } })]);
  const watch = new ClusterPolicyWatch(inf, h.holder, { debounceMs: 1 });
  assert.equal(h.holder.loaded, false);
  await watch.start();
  assert.equal(h.holder.loaded, true);
  assert.equal(action(h.holder, "cnpg-backup-target"), "off");
  assert.deepEqual(h.results, ["success"]);

  // A valid update.
  inf.emit("update", policy("default", { "cnpg-backup-target": { action: "audit" } }));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(action(h.holder, "cnpg-backup-target"), "audit");

  // An invalid update: refused, logged, counted; the last good version stays.
  inf.emit("update", policy("default", { "no-such-rule": { action: "deny" } }));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(action(h.holder, "cnpg-backup-target"), "audit");
  assert.equal(h.results.at(-1), "failure");
  const line = h.lines.find((l) => l.level === 50 && l.policy === "default")!;
  assert.match(line.msg, /BackupPolicy default is invalid and refused; the previous version of it stays in force/);
  assert.ok(line.errors.some((e: string) => e.includes("no-such-rule")), JSON.stringify(line.errors));

  // A second, namespace-scoped policy; then deletion of the first.
  inf.emit("add", policy("strict", { "cnpg-backup-target": { action: "deny" } }, { match: { namespaces: ["prod"] }, priority: 10 }));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(action(h.holder, "cnpg-backup-target", "prod"), "deny");
  assert.equal(action(h.holder, "cnpg-backup-target", "db"), "audit");
  inf.emit("delete", inf.get("default"));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(action(h.holder, "cnpg-backup-target", "db"), "warn"); // built-in default again
  await watch.stop();
});

test("cluster policies: an invalid new object is not applied, the others are", async () => {
  const h = holder();
  const inf = new FakeInformer([policy("good", { "cnpg-backup-target": { action: "off" } }), policy("bad", { "cnpg-backup-target": { action: "sometimes" } })]);
  const watch = new ClusterPolicyWatch(inf, h.holder);
  await watch.start();
  assert.equal(h.holder.loaded, true);
  assert.deepEqual(h.holder.sources, ["good"]);
  assert.equal(action(h.holder, "cnpg-backup-target"), "off");
  assert.ok(h.results.includes("failure"));
  await watch.stop();
});

test("cluster policies: BackupPolicy CRD not installed means the built-in policy", async () => {
  const h = holder();
  const inf = new FakeInformer();
  inf.nextError = httpError(404);
  const watch = new ClusterPolicyWatch(inf, h.holder);
  await watch.start();
  assert.equal(h.holder.loaded, true);
  assert.equal(action(h.holder, "cnpg-backup-target"), "warn");
  await watch.stop();
});

test("cluster policies: API server unreachable at start means no policy (not ready) until it answers", async () => {
  const h = holder();
  const inf = new FakeInformer([policy("default", { "cnpg-backup-target": { action: "off" } })]);
  inf.nextError = new Error("ECONNREFUSED");
  const watch = new ClusterPolicyWatch(inf, h.holder, { retryBaseMs: 5 });
  await watch.start();
  assert.equal(h.holder.loaded, false);
  inf.nextError = undefined;
  for (let i = 0; i < 100 && !h.holder.loaded; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(action(h.holder, "cnpg-backup-target"), "off");
  await watch.stop();
});

test("--policy file: reloaded on change, an invalid edit keeps the last good policy", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pbg-policy-"));
  const file = join(dir, "policy.yaml");
  const yaml = (a: string) => `apiVersion: pgbackupguard.io/v1alpha1\nkind: BackupPolicy\nmetadata: {name: default}\nspec:\n  rules:\n    cnpg-backup-target: {action: ${a}}\n`;
  writeFileSync(file, yaml("off"));
  const h = holder();
  const fw = new FilePolicyWatch([file], h.holder, pino({ level: "silent" }));
  try {
    assert.deepEqual(fw.start({ debounceMs: 5 }), []);
    assert.equal(action(h.holder, "cnpg-backup-target"), "off");
    writeFileSync(file, yaml("audit"));
    assert.deepEqual(fw.load(), []);
    assert.equal(action(h.holder, "cnpg-backup-target"), "audit");
    writeFileSync(file, yaml("sometimes"));
    assert.equal(fw.load().length, 1);
    assert.equal(action(h.holder, "cnpg-backup-target"), "audit");
    assert.match(h.holder.lastErrors.join("\n"), /policy\.yaml:6: spec\.rules\.cnpg-backup-target\.action/);
    // The directory watch picks up a change by itself.
    writeFileSync(file, yaml("deny"));
    for (let i = 0; i < 100 && action(h.holder, "cnpg-backup-target") !== "deny"; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(action(h.holder, "cnpg-backup-target"), "deny");
  } finally {
    fw.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
