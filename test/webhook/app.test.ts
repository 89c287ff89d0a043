import { test } from "node:test";
import assert from "node:assert/strict";
import request from "supertest";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import { LIMITS } from "../../src/webhook/admission.ts";
import {
  bareCluster,
  cpoCluster,
  decodePatch,
  goodCluster,
  makeApp,
  policyWith,
  reviewOf,
  scheduledBackup,
} from "./helpers.ts";

async function post(app: any, path: string, body: unknown) {
  const res = await request(app).post(path).set("Content-Type", "application/json").send(body as object);
  return res;
}

test("allowed: uid echoed, AdmissionReview v1, no status, no patch", async () => {
  const { app } = makeApp();
  const res = await post(app, "/validate", reviewOf(goodCluster(), { uid: "abc-123" }));
  assert.equal(res.status, 200);
  assert.match(res.headers["content-type"]!, /application\/json/);
  assert.deepEqual(res.body, { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: "abc-123", allowed: true } });
});

test("denied: 403 and every finding as [rule-id] path: message", async () => {
  const { app, logs } = makeApp();
  const res = await post(app, "/validate", reviewOf(bareCluster(), { uid: "u-deny" }));
  const r = res.body.response;
  assert.equal(r.uid, "u-deny");
  assert.equal(r.allowed, false);
  assert.equal(r.status.code, 403);
  assert.match(r.status.message, /^pg-backup-guard denied Cluster db\/pg: \[cnpg-backup-required\] spec\.backup: .+no backup configuration at all/);
  assert.ok(r.status.message.length <= LIMITS.messageChars);
  const line = logs.find((l) => l.uid === "u-deny")!;
  assert.equal(line.decision, "denied");
  assert.deepEqual(line.rules, ["cnpg-backup-required"]);
  assert.equal(line.kind, "Cluster");
  assert.equal(line.namespace, "db");
  assert.equal(line.name, "pg");
  assert.equal(line.operation, "CREATE");
  assert.equal(line.dryRun, false);
  assert.equal(typeof line.durationMs, "number");
});

test("warn findings go to warnings, each short enough for kubectl", async () => {
  const { app } = makeApp();
  const c = goodCluster();
  c.spec.backup.target = "primary";
  const r = (await post(app, "/validate", reviewOf(c))).body.response;
  assert.equal(r.allowed, true);
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0], /^\[cnpg-backup-target\] spec\.backup\.target: /);
  for (const w of r.warnings) assert.ok(w.length <= LIMITS.warningChars, `${w.length} chars`);
});

test("audit findings go to auditAnnotations with valid keys", async () => {
  const { app } = makeApp({ policy: policyWith({ "cnpg-backup-target": "audit" }) });
  const c = goodCluster();
  c.spec.backup.target = "primary";
  const r = (await post(app, "/validate", reviewOf(c))).body.response;
  assert.equal(r.allowed, true);
  assert.equal(r.warnings, undefined);
  assert.deepEqual(Object.keys(r.auditAnnotations), ["cnpg-backup-target"]);
  assert.match(r.auditAnnotations["cnpg-backup-target"], /^spec\.backup\.target: /);
  for (const k of Object.keys(r.auditAnnotations)) assert.match(k, /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/);
});

test("mutate: base64 JSONPatch from diffing, decodes to the expected ops", async () => {
  const { app, logs } = makeApp();
  const pg = cpoCluster();
  delete pg.spec.postgresql.parameters.archive_timeout;
  const r = (await post(app, "/mutate", reviewOf(pg, { uid: "m1" }))).body.response;
  assert.equal(r.allowed, true);
  assert.equal(r.patchType, "JSONPatch");
  const ops = decodePatch(r.patch) as { op: string; path: string; value: unknown }[];
  assert.deepEqual(ops, [{ op: "add", path: "/spec/postgresql/parameters/archive_timeout", value: "5min" }]);
  assert.equal(logs.find((l) => l.uid === "m1")!.decision, "patched");
  // One Kubernetes warning per injected default, so kubectl users see what was added.
  assert.deepEqual(r.warnings, ['[cpo-archive-timeout] default injected: set spec.postgresql.parameters.archive_timeout: "5min" (the policy\'s rpo; the container image\'s default is 1800s)']);
});

test("mutate: a metadata-only UPDATE is never changed, even where a CREATE would be defaulted", async () => {
  const { app } = makeApp();
  const old = cpoCluster();
  delete old.spec.postgresql.parameters.archive_timeout;
  const relabelled = structuredClone(old);
  relabelled.metadata.labels = { team: "payments" };
  const r = (await post(app, "/mutate", reviewOf(relabelled, { operation: "UPDATE", oldObject: old }))).body.response;
  assert.deepEqual(Object.keys(r).sort(), ["allowed", "uid"]);
  const created = (await post(app, "/mutate", reviewOf(relabelled))).body.response;
  assert.equal(created.patchType, "JSONPatch");
});

test("mutate: nothing to change means no patch fields at all", async () => {
  const { app } = makeApp();
  const r = (await post(app, "/mutate", reviewOf(goodCluster()))).body.response;
  assert.deepEqual(Object.keys(r).sort(), ["allowed", "uid"]);
});

test("mutate: the namespace filled in from the request is not patched in", async () => {
  const { app } = makeApp();
  const c = goodCluster();
  delete c.metadata.namespace;
  const review = reviewOf(c);
  review.request.namespace = "db";
  const r = (await post(app, "/mutate", review)).body.response;
  assert.equal(r.patch, undefined);
});

test("dryRun gets the same answer", async () => {
  const { app } = makeApp();
  const a = (await post(app, "/validate", reviewOf(bareCluster(), { uid: "same" }))).body;
  const b = (await post(app, "/validate", reviewOf(bareCluster(), { uid: "same", dryRun: true }))).body;
  assert.deepEqual(a, b);
  const pg = cpoCluster();
  delete pg.spec.postgresql.parameters.archive_timeout;
  const m1 = (await post(app, "/mutate", reviewOf(pg, { uid: "same" }))).body;
  const m2 = (await post(app, "/mutate", reviewOf(pg, { uid: "same", dryRun: true }))).body;
  assert.deepEqual(m1, m2);
});

test("DELETE, CONNECT, subresources and uncovered kinds are allowed untouched", async () => {
  const { app } = makeApp();
  const cases = [
    reviewOf(undefined, { operation: "DELETE", oldObject: bareCluster() }),
    reviewOf(bareCluster(), { operation: "CONNECT" }),
    reviewOf(bareCluster(), { operation: "UPDATE", oldObject: bareCluster(), subResource: "status" }),
    reviewOf({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "db" }, data: {} }),
    reviewOf({ apiVersion: "postgresql.cnpg.io/v2", kind: "Cluster", metadata: { name: "x", namespace: "db" }, spec: {} }),
  ];
  for (const path of ["/validate", "/mutate"]) {
    for (const review of cases) {
      const res = await post(app, path, review);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.response, { uid: review.request.uid, allowed: true }, `${path} ${review.request.operation} ${JSON.stringify(review.request.kind)}`);
    }
  }
});

test("UPDATE uses the old object: removing a CPO pvc repo is denied", async () => {
  const { app } = makeApp();
  const before = cpoCluster();
  const after = cpoCluster();
  after.spec.backup.pgbackrest.repos[0].storage = "s3";
  Object.assign(after.spec.backup.pgbackrest.repos[0], { resource: "b", endpoint: "e", region: "r" });
  after.spec.backup.pgbackrest.global["repo1-path"] = "/acid1";
  const r = (await post(app, "/validate", reviewOf(after, { operation: "UPDATE", oldObject: before }))).body.response;
  assert.equal(r.allowed, false);
  assert.match(r.status.message, /\[cpo-pvc-repo-removed\] spec\.backup\.pgbackrest\.repos\[0\]\.storage: /);
  // The same object on CREATE has no old object: allowed.
  const c = (await post(app, "/validate", reviewOf(after))).body.response;
  assert.equal(c.allowed, true, JSON.stringify(c));
});

test("UPDATE that changes only metadata is not blocked by a pre-existing problem (warned instead)", async () => {
  const { app } = makeApp();
  const before = bareCluster();
  const after = bareCluster();
  after.metadata.labels = { owner: "ops" };
  const r = (await post(app, "/validate", reviewOf(after, { operation: "UPDATE", oldObject: before }))).body.response;
  assert.equal(r.allowed, true);
  assert.ok(r.warnings.some((w: string) => w.startsWith("[cnpg-backup-required] spec.backup: (pre-existing, not blocking a metadata-only update)")), JSON.stringify(r.warnings));
  // A spec change is judged in full.
  after.spec.instances = 2;
  const r2 = (await post(app, "/validate", reviewOf(after, { operation: "UPDATE", oldObject: before }))).body.response;
  assert.equal(r2.allowed, false);
});

test("an object being deleted (finalizer removal) is never blocked", async () => {
  const { app } = makeApp();
  const after = bareCluster();
  after.metadata.deletionTimestamp = "2026-01-01T00:00:00Z";
  after.spec.instances = 5;
  const r = (await post(app, "/validate", reviewOf(after, { operation: "UPDATE", oldObject: bareCluster() }))).body.response;
  assert.equal(r.allowed, true);
});

test("lookupFailure: allow warns 'not checked', deny refuses", async () => {
  const unknown = new InventoryLookups([]);
  const allow = makeApp({ lookups: unknown, lookupFailure: "allow" });
  const a = (await post(allow.app, "/validate", reviewOf(goodCluster()))).body.response;
  assert.equal(a.allowed, true);
  assert.ok(a.warnings.some((w: string) => /^\[cnpg-object-store-exists\] .*not checked/.test(w)), JSON.stringify(a.warnings));

  const deny = makeApp({ lookups: unknown, lookupFailure: "deny" });
  const d = (await post(deny.app, "/validate", reviewOf(goodCluster()))).body.response;
  assert.equal(d.allowed, false);
  assert.match(d.status.message, /\[cnpg-object-store-exists\] .*not checked.*lookupFailure is deny/);
  // A known lookup is unaffected by the mode.
  const known = makeApp({ lookupFailure: "deny" });
  assert.equal((await post(known.app, "/validate", reviewOf(goodCluster()))).body.response.allowed, true);
});

test("ScheduledBackup and the no-policy case", async () => {
  const { app } = makeApp();
  const r = (await post(app, "/validate", reviewOf(scheduledBackup()))).body.response;
  assert.equal(r.allowed, true);
  const none = makeApp({ policies: { forNamespace: () => undefined } });
  assert.deepEqual((await post(none.app, "/validate", reviewOf(bareCluster(), { uid: "n" }))).body.response, { uid: "n", allowed: true });
});

test("bad requests get 400 (or an AdmissionReview error when the uid is known) and the server keeps serving", async () => {
  const { app, metrics } = makeApp({ maxBodyBytes: 64 * 1024 });
  const raw = (body: string) => request(app).post("/validate").set("Content-Type", "application/json").send(body);

  assert.equal((await raw("this is not json")).status, 400);
  assert.equal((await raw("{\"a\":")).status, 400);
  assert.equal((await raw("42")).status, 400);
  assert.equal((await raw("null")).status, 400);
  assert.equal((await post(app, "/validate", { hello: "world" })).status, 400);
  const wrongVersion = reviewOf(goodCluster()) as any;
  wrongVersion.apiVersion = "admission.k8s.io/v1beta1";
  const wv = await post(app, "/validate", wrongVersion);
  assert.equal(wv.status, 400);
  assert.match(wv.body.error, /only admission\.k8s\.io\/v1/);
  assert.equal((await post(app, "/validate", { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview" })).status, 400);
  const noUid = reviewOf(goodCluster()) as any;
  delete noUid.request.uid;
  assert.equal((await post(app, "/validate", noUid)).status, 400);

  // A uid is known: the API server's way, an AdmissionReview with code 400.
  const noObject = reviewOf(goodCluster(), { uid: "no-obj" }) as any;
  delete noObject.request.object;
  const no = await post(app, "/validate", noObject);
  assert.equal(no.status, 200);
  assert.deepEqual(no.body.response.uid, "no-obj");
  assert.equal(no.body.response.allowed, false);
  assert.equal(no.body.response.status.code, 400);
  assert.match(no.body.response.status.message, /request\.object is missing/);
  const noOld = reviewOf(goodCluster(), { operation: "UPDATE" }) as any;
  assert.equal((await post(app, "/mutate", noOld)).body.response.status.code, 400);
  const badOp = reviewOf(goodCluster()) as any;
  badOp.request.operation = "PATCH";
  assert.equal((await post(app, "/validate", badOp)).body.response.status.code, 400);

  // Wrong types inside the object: judged, never a crash.
  const weird = goodCluster();
  weird.spec = "a string";
  weird.metadata = 7;
  const w = await post(app, "/validate", reviewOf({ ...weird, metadata: { name: "pg", namespace: "db" } }));
  assert.equal(w.status, 200);

  // Huge body: 413.
  const huge = reviewOf(goodCluster()) as any;
  huge.request.object.spec.padding = "x".repeat(100 * 1024);
  const h = await post(app, "/validate", huge);
  assert.equal(h.status, 413);
  assert.match(h.body.error, /larger than the limit/);

  // Deep nesting: refused before any recursive code sees it.
  const deep = "[".repeat(5000) + "]".repeat(5000);
  const dr = await raw(`{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"d","x":${deep}}}`);
  assert.equal(dr.status, 400);
  assert.match(dr.body.error, /nested deeper/);

  // Wrong method, unknown path.
  assert.equal((await request(app).get("/validate")).status, 405);
  assert.equal((await request(app).get("/nope")).status, 404);

  // Still serving.
  const ok = await post(app, "/validate", reviewOf(goodCluster(), { uid: "after" }));
  assert.deepEqual(ok.body.response, { uid: "after", allowed: true });
  const text = await metrics.registry.metrics();
  assert.match(text, /pgbackupguard_bad_requests_total\{webhook="validate",reason="too_large"\} 1/);
  assert.match(text, /pgbackupguard_bad_requests_total\{webhook="validate",reason="too_deep"\} 1/);
  assert.match(text, /pgbackupguard_bad_requests_total\{webhook="validate",reason="not_json"\} 2/);
});

test("health, readiness and metrics endpoints", async () => {
  let ready = false;
  const { app } = makeApp({ readiness: () => ({ ready, reasons: ready ? [] : ["lookup caches not synced: Cluster"] }) });
  assert.equal((await request(app).get("/healthz")).status, 200);
  const nr = await request(app).get("/readyz");
  assert.equal(nr.status, 503);
  assert.match(nr.text, /lookup caches not synced: Cluster/);
  ready = true;
  assert.equal((await request(app).get("/readyz")).status, 200);

  await post(app, "/validate", reviewOf(bareCluster()));
  await post(app, "/mutate", reviewOf(goodCluster()));
  const m = await request(app).get("/metrics");
  assert.equal(m.status, 200);
  assert.match(m.headers["content-type"]!, /text\/plain/);
  for (const name of [
    'pgbackupguard_admission_requests_total{webhook="validate",operation="CREATE",kind="Cluster",decision="denied"} 1',
    'pgbackupguard_admission_requests_total{webhook="mutate",operation="CREATE",kind="Cluster",decision="allowed"} 1',
    "pgbackupguard_admission_duration_seconds_bucket{le=",
    'pgbackupguard_findings_total{rule="cnpg-backup-required",action="deny"} 1',
    "# TYPE pgbackupguard_policy_reloads_total counter",
    "# TYPE pgbackupguard_lookup_cache_age_seconds gauge",
  ]) {
    assert.ok(m.text.includes(name), `metrics lack ${name}`);
  }
});

test("request timeout: answers 503 so the failurePolicy applies", async () => {
  const { app } = makeApp({ timeoutMs: 50 });
  const { createServer } = await import("node:http");
  const server = createServer(app).listen(0);
  try {
    const port = (server.address() as { port: number }).port;
    const { request: httpRequest } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ port, method: "POST", path: "/validate", headers: { "content-type": "application/json", "content-length": "1000" } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on("error", reject);
      req.write("{"); // and never the rest
    });
    assert.equal(status, 503);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
