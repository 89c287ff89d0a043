// /validate on BackupPolicy objects: the CRD preserves unknown fields, so the webhook is what refuses a typo.
import { test } from "node:test";
import assert from "node:assert/strict";
import request from "supertest";
import { makeApp, reviewOf } from "./helpers.ts";

const policy = (spec: Record<string, unknown>) => ({ apiVersion: "pgbackupguard.io/v1alpha1", kind: "BackupPolicy", metadata: { name: "prod" }, spec });

async function validate(object: Record<string, unknown>, operation = "CREATE") {
  const { app, logs } = makeApp();
  const old = operation === "UPDATE" ? { oldObject: policy({ rpo: "5m" }) } : {};
  const res = await request(app).post("/validate").set("Content-Type", "application/json").send(reviewOf(object, { operation, ...old }));
  return { r: res.body.response, logs };
}

test("a valid BackupPolicy is allowed", async () => {
  const { r } = await validate(policy({ rpo: "5m", rules: { "schedule-too-rare": { action: "warn", maxInterval: "1d" } } }));
  assert.equal(r.allowed, true);
});

test("a misspelt rule id, an unknown field and a bad duration are refused, naming the fields", async () => {
  const { r, logs } = await validate(policy({ rpo: "soon", rulez: {}, rules: { "cnpg-backup-requird": { action: "off" } } }));
  assert.equal(r.allowed, false);
  assert.equal(r.status.code, 403);
  const m = r.status.message as string;
  assert.match(m, /^BackupPolicy prod is invalid:/);
  assert.match(m, /spec\.rulez/);
  assert.match(m, /cnpg-backup-requird.*did you mean "cnpg-backup-required"/s);
  assert.match(m, /spec\.rpo/);
  assert.equal(logs.find((l) => l.uid === r.uid)?.decision, "denied");
});

test("an UPDATE is judged too; a policy being deleted is not", async () => {
  const bad = policy({ rules: { "cnpg-backup-required": { action: "maybe" } } });
  const updated = (await validate(bad, "UPDATE")).r;
  assert.equal(updated.allowed, false);
  assert.match(updated.status.message, /spec\.rules\.cnpg-backup-required\.action/);
  const leaving = { ...bad, metadata: { name: "prod", deletionTimestamp: "2026-01-01T00:00:00Z" } };
  assert.equal((await validate(leaving, "UPDATE")).r.allowed, true);
});
