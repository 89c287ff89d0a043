// Large bodies judged in worker threads (src/webhook/offload.ts): the worker's answer equals the main thread's for
// the same body (lookups through the RPC, policies with namespaceSelector and exemptions, UPDATE with oldObject,
// /mutate patches, bad requests), a job past the deadline is answered on time and its worker replaced, a crashed
// worker likewise, small bodies stay on the main thread, and --offload-threshold 0 turns it off. The pool starts one
// worker, grows to `workers` when jobs find every worker busy, never beyond, and retires idle workers but the last.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import request from "supertest";
import type { Lookups, LookupKind, Resource } from "../../src/engine/types.ts";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import { parsePolicyText } from "../../src/policy/load.ts";
import { formatPolicyError } from "../../src/policy/document.ts";
import { PolicySet } from "../../src/policy/set.ts";
import type { HandlerDeps, PolicyProvider } from "../../src/webhook/handler.ts";
import { judgeBody, type Judged, type Webhook } from "../../src/webhook/offload-judge.ts";
import { DEFAULT_OFFLOAD_THRESHOLD_BYTES, DEFAULT_OFFLOAD_WORKERS, IDLE_RETIRE_MS, OffloadPool, type OffloadJob } from "../../src/webhook/offload.ts";
import { FRAME_BYTES, type JobHook } from "../../src/webhook/offload-protocol.ts";
import { parseServeArgs } from "../../src/cli/serve.ts";
import { bareCluster, cpoCluster, goodCluster, makeApp, NOW, objectStore, reviewOf, scheduledBackup } from "./helpers.ts";

const POLICIES = `apiVersion: pgbackupguard.io/v1alpha1
kind: BackupPolicy
metadata: {name: gold}
spec:
  match:
    namespaceSelector: {matchLabels: {tier: gold}}
  rules:
    cnpg-backup-required: {action: warn}
---
apiVersion: pgbackupguard.io/v1alpha1
kind: BackupPolicy
metadata: {name: legacy}
spec:
  match:
    namespaces: [legacy]
  exemptions:
    resources:
      - kinds: [Cluster]
        names: [pg-*]
        rules: [cnpg-backup-required, cnpg-wal-archive-required]
        reason: "migrated by the data team, ticket DB-7"
        until: "2026-06-30"
`;

function policySet(text = POLICIES): PolicySet {
  const r = parsePolicyText(text, "policies.yaml");
  assert.ok(r.ok, r.ok ? "" : r.errors.map(formatPolicyError).join("\n"));
  return new PolicySet(r.policies);
}

const ns = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });

/** Enough ObjectStores in `big` that listing them takes several RPC frames. */
function manyStores(): Resource[] {
  const pad = "x".repeat(2000);
  return Array.from({ length: Math.ceil((2.5 * FRAME_BYTES) / 2100) }, (_, i) => ({
    apiVersion: "barmancloud.cnpg.io/v1",
    kind: "ObjectStore",
    metadata: { name: `store-${i}`, namespace: "big", annotations: { pad } },
    spec: { retentionPolicy: "30d", configuration: { destinationPath: `s3://bucket/${i}` } },
  }));
}

function lookups(): InventoryLookups {
  return new InventoryLookups(
    [objectStore, goodCluster(), ns("db", { team: "a" }), ns("gold-ns", { tier: "gold" }), ns("legacy"), ns("big"), ...manyStores()],
    { known: ["VolumeSnapshotClass", "StorageClass", "ObjectStore", "Cluster", "Namespace", "ScheduledBackup"] },
  );
}

/** Lookups whose every kind is unknown (the cluster unreachable): not checked, denied with lookupFailure deny. */
const unreachable: Lookups = {
  isKnown: () => false,
  get: () => undefined,
  list: () => undefined,
  unavailableReason: (kind: LookupKind) => `the API server could not be reached; lookup cache for ${kind} not synced`,
};

/** Lookups that throw on one name: the rule fails the same way on both sides. */
function throwing(base: Lookups): Lookups {
  return {
    ...base,
    isKnown: (k) => base.isKnown(k),
    list: (k, n) => base.list(k, n),
    get: (kind, namespace, name) => {
      if (name === "explodes") throw new Error("cache exploded");
      return base.get(kind, namespace, name);
    },
  };
}

const text = (j: Judged) => (typeof j.body === "string" ? j.body : Buffer.from(j.body).toString("utf8"));
const enc = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));

function cases(): { name: string; webhook: Webhook; body: unknown }[] {
  const inNs = (o: Record<string, any>, namespace: string, name = o.metadata.name): Record<string, any> => ({ ...o, metadata: { ...o.metadata, namespace, name } });
  const missingStore = goodCluster();
  missingStore.spec.plugins[0].parameters.barmanObjectName = "nowhere";
  const bigStore = inNs(goodCluster(), "big");
  bigStore.spec.plugins[0].parameters.barmanObjectName = "store-7";
  // More distinct ObjectStore names in one namespace than the worker gets one by one (it lists the namespace then).
  const manyRefs = inNs(goodCluster(), "big");
  manyRefs.spec.plugins[0].parameters.barmanObjectName = "store-3";
  manyRefs.spec.externalClusters = Array.from({ length: 40 }, (_, i) => ({
    name: `ext-${i}`,
    plugin: { name: "barman-cloud.cloudnative-pg.io", parameters: { barmanObjectName: i % 3 === 0 ? `missing-${i}` : `store-${i}` } },
  }));
  const explodes = goodCluster();
  explodes.spec.plugins[0].parameters.barmanObjectName = "explodes";
  const annotated = bareCluster();
  annotated.metadata.annotations = { "pgbackupguard.io/exempt": "cnpg-backup-required", "pgbackupguard.io/exempt-reason": "test" };
  const cpoOld = cpoCluster();
  const cpoNew = cpoCluster();
  cpoNew.spec.backup.pgbackrest.repos = cpoNew.spec.backup.pgbackrest.repos.filter((r: { storage: string }) => r.storage !== "pvc");
  const relabelled = bareCluster();
  relabelled.metadata.labels = { app: "x" };
  const noTimeout = cpoCluster();
  delete noTimeout.spec.postgresql.parameters.archive_timeout;
  const badPolicy = { apiVersion: "pgbackupguard.io/v1alpha1", kind: "BackupPolicy", metadata: { name: "typo" }, spec: { rulez: {} } };
  let deep: unknown = 1;
  for (let i = 0; i < 150; i++) deep = [deep];
  return [
    { name: "good Cluster, its ObjectStore looked up", webhook: "validate", body: reviewOf(goodCluster(), { uid: "c1" }) },
    { name: "bare Cluster denied", webhook: "validate", body: reviewOf(bareCluster(), { uid: "c2" }) },
    { name: "namespaceSelector: gold namespace warns instead", webhook: "validate", body: reviewOf(inNs(bareCluster(), "gold-ns"), { uid: "c3" }) },
    { name: "policy exemption in legacy", webhook: "validate", body: reviewOf(inNs(bareCluster(), "legacy", "pg-old"), { uid: "c4" }) },
    { name: "annotation exemption", webhook: "validate", body: reviewOf(annotated, { uid: "c5" }) },
    { name: "ObjectStore not found (order independence: warn)", webhook: "validate", body: reviewOf(missingStore, { uid: "c6" }) },
    { name: "ObjectStore found in a list longer than one RPC frame", webhook: "validate", body: reviewOf(bigStore, { uid: "c7" }) },
    { name: "40 ObjectStores named in one namespace, a third missing", webhook: "validate", body: reviewOf(manyRefs, { uid: "c7b" }) },
    { name: "a lookup that throws", webhook: "validate", body: reviewOf(explodes, { uid: "c8" }) },
    { name: "UPDATE removing the CPO pvc repo (oldObject)", webhook: "validate", body: reviewOf(cpoNew, { uid: "c9", operation: "UPDATE", oldObject: cpoOld }) },
    { name: "metadata-only UPDATE of a bad object", webhook: "validate", body: reviewOf(relabelled, { uid: "c10", operation: "UPDATE", oldObject: bareCluster() }) },
    { name: "ScheduledBackup naming its Cluster", webhook: "validate", body: reviewOf(scheduledBackup(), { uid: "c11" }) },
    { name: "BackupPolicy with a typo", webhook: "validate", body: reviewOf(badPolicy, { uid: "c12" }) },
    { name: "DELETE skipped", webhook: "validate", body: reviewOf(undefined, { uid: "c13", operation: "DELETE", oldObject: bareCluster() }) },
    { name: "mutate: CPO default injected", webhook: "mutate", body: reviewOf(noTimeout, { uid: "m1" }) },
    { name: "mutate: Cluster in the gold namespace", webhook: "mutate", body: reviewOf(inNs(bareCluster(), "gold-ns"), { uid: "m2" }) },
    { name: "mutate: UPDATE", webhook: "mutate", body: reviewOf(relabelled, { uid: "m3", operation: "UPDATE", oldObject: bareCluster() }) },
    { name: "not JSON", webhook: "validate", body: "{not json" },
    { name: "too deep", webhook: "validate", body: { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { uid: "d", deep } } },
    { name: "not an AdmissionReview", webhook: "validate", body: { kind: "Pod" } },
    { name: "uid but no object", webhook: "mutate", body: { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { uid: "x", operation: "CREATE", kind: { group: "", version: "v1", kind: "Cluster" } } } },
  ];
}

describe("offload: the worker's answer is the main thread's", () => {
  const policies = policySet();
  const setups: { name: string; lookups: Lookups; lookupFailure: "allow" | "deny"; policies: PolicyProvider }[] = [
    { name: "lookups known, lookupFailure allow", lookups: throwing(lookups()), lookupFailure: "allow", policies },
    { name: "cluster unreachable, lookupFailure deny", lookups: unreachable, lookupFailure: "deny", policies },
  ];
  for (const setup of setups) {
    it(setup.name, async () => {
      const pool = new OffloadPool({ workers: 2, lookups: setup.lookups, policies: setup.policies });
      try {
        await pool.ready();
        const deps: HandlerDeps = { policies: setup.policies, lookups: setup.lookups, lookupFailure: setup.lookupFailure, now: () => NOW };
        const all = cases();
        const results = await Promise.all(
          all.map((c) => pool.submit({ webhook: c.webhook, body: enc(c.body), lookupFailure: setup.lookupFailure, maxDepth: 100, nowMs: NOW.getTime() }).result),
        );
        const decisions = new Set<string>();
        for (const [i, c] of all.entries()) {
          const r = results[i]!;
          assert.ok(r.ok, `${c.name}: ${JSON.stringify(r)}`);
          const here = judgeBody(c.webhook, enc(c.body), deps, 100);
          assert.equal(text(r.judged), text(here), c.name);
          assert.deepEqual({ ...r.judged, body: "" }, { ...here, body: "" }, c.name);
          decisions.add(here.decision?.decision ?? here.badRequest ?? "?");
        }
        // The set covers what it claims to: every kind of answer.
        if (setup.lookupFailure === "allow") for (const d of ["allowed", "denied", "patched", "skipped", "not_json", "too_deep", "invalid_review"]) assert.ok(decisions.has(d), `no case ends ${d}`);
        else assert.ok(decisions.has("denied"));
      } finally {
        await pool.close();
      }
    });
  }

  it("the verdict follows a policy change (a new policy object reaches the worker)", async () => {
    let current: PolicyProvider = policySet();
    const provider: PolicyProvider = { forNamespace: (n, l) => current.forNamespace(n, l) };
    const pool = new OffloadPool({ workers: 1, lookups: lookups(), policies: provider });
    try {
      await pool.ready();
      const job = (): OffloadJob => ({ webhook: "validate", body: enc(reviewOf(bareCluster(), { uid: "p" })), lookupFailure: "allow", maxDepth: 100, nowMs: NOW.getTime() });
      const first = await pool.submit(job()).result;
      assert.ok(first.ok);
      assert.equal(JSON.parse(text(first.judged)).response.allowed, false);
      current = policySet(POLICIES.replace("namespaceSelector: {matchLabels: {tier: gold}}", "namespaces: [db]"));
      const second = await pool.submit(job()).result;
      assert.ok(second.ok);
      assert.equal(JSON.parse(text(second.judged)).response.allowed, true, "the gold policy (warn) now matches namespace db");
    } finally {
      await pool.close();
    }
  });
});

describe("offload through the HTTP app", () => {
  let hook: JobHook | undefined;
  let pool: OffloadPool;
  let replaced: string[] = [];
  const lk = lookups();
  const policies = policySet();
  before(async () => {
    pool = new OffloadPool({ workers: 2, lookups: lk, policies, testHook: () => hook, onReplaced: (r) => replaced.push(r) });
    await pool.ready();
  });
  after(() => pool.close());

  const big = (uid: string) => {
    const pg = bareCluster();
    pg.metadata.annotations = { filler: "a".repeat(20_000) };
    return reviewOf(pg, { uid });
  };
  const app = (threshold: number, timeoutMs = 2000) => makeApp({ lookups: lk, policies, offload: pool, offloadThresholdBytes: threshold, timeoutMs });
  const post = (a: unknown, path: string, body: unknown) => request(a as never).post(path).set("Content-Type", "application/json").send(body as object);
  const counter = async (m: ReturnType<typeof makeApp>["metrics"], name: string) =>
    (await m.registry.getSingleMetric(name)!.get()).values.reduce((n, v) => n + v.value, 0);

  it("a body above the threshold is judged in a worker, with the same answer and log line as on the main thread", async () => {
    const on = app(10_000);
    const off = app(0);
    for (const path of ["/validate", "/mutate"]) {
      const a = await post(on.app, path, big("h1"));
      const b = await post(off.app, path, big("h1"));
      assert.equal(a.status, 200);
      assert.equal(a.text, b.text, path);
    }
    assert.equal(await counter(on.metrics, "pgbackupguard_admission_offloaded_total"), 2);
    assert.equal(await counter(off.metrics, "pgbackupguard_admission_offloaded_total"), 0);
    const strip = (l: Record<string, unknown>) => {
      const { time: _t, durationMs: _d, offloaded: _o, pid: _p, ...rest } = l;
      return rest;
    };
    const onLog = on.logs.filter((l) => l.msg === "admission decision");
    assert.equal(onLog.length, 2);
    assert.ok(onLog.every((l) => l.offloaded === true));
    assert.deepEqual(onLog.map(strip), off.logs.filter((l) => l.msg === "admission decision").map(strip));
    assert.equal(await counter(on.metrics, "pgbackupguard_findings_total"), await counter(off.metrics, "pgbackupguard_findings_total"));
    // A bad body is counted and logged the same way too.
    const bad = await post(on.app, "/validate", `{"filler": "${"a".repeat(20_000)}", oops}`);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /^the body is not JSON/);
  });

  it("small bodies are never offloaded", async () => {
    const before = pool.stats.jobs;
    const small = app(DEFAULT_OFFLOAD_THRESHOLD_BYTES);
    const r = await post(small.app, "/validate", reviewOf(goodCluster(), { uid: "s1" }));
    assert.equal(r.status, 200);
    assert.equal(await counter(small.metrics, "pgbackupguard_admission_offloaded_total"), 0);
    assert.equal(pool.stats.jobs, before);
    assert.equal(small.logs.find((l) => l.msg === "admission decision")?.offloaded, undefined);
  });

  it("threshold 0: nothing is offloaded, however large", async () => {
    const before = pool.stats.jobs;
    const none = app(0);
    assert.equal((await post(none.app, "/validate", big("z1"))).status, 200);
    assert.equal(pool.stats.jobs, before);
  });

  it("a job past the deadline is answered 503 on time; its worker is terminated and replaced", async () => {
    const a = app(10_000, 300);
    replaced = [];
    const started = pool.stats.started;
    // The requests so far came one at a time: the pool did not need its second worker.
    assert.equal(pool.size, 1);
    hook = "hang";
    const t = performance.now();
    let r;
    try {
      r = await post(a.app, "/validate", big("slow"));
    } finally {
      hook = undefined;
    }
    const ms = performance.now() - t;
    assert.equal(r.status, 503);
    assert.match(r.body.error, /not answered within 300 ms/);
    assert.ok(ms < 1500, `answered after ${ms.toFixed(0)} ms`);
    assert.deepEqual(replaced, ["deadline"]);
    assert.equal(pool.stats.started, started + 1, "a new worker replaces the killed one (the pool's last)");
    assert.equal(pool.size, 1);
    await pool.ready();
    // The pool serves on.
    const next = await post(a.app, "/validate", big("after-slow"));
    assert.equal(next.status, 200);
    assert.equal(next.body.response.uid, "after-slow");
  });

  it("a worker that dies mid-job: 500 (failurePolicy applies), counted, replaced", async () => {
    const a = app(10_000);
    replaced = [];
    hook = "crash";
    let r;
    try {
      r = await post(a.app, "/mutate", big("crash"));
    } finally {
      hook = undefined;
    }
    assert.equal(r.status, 500);
    assert.deepEqual(replaced, ["crash"]);
    assert.ok(a.logs.some((l) => /offload worker judging this request died/.test(l.msg)));
    await pool.ready();
    assert.equal((await post(a.app, "/mutate", big("after-crash"))).status, 200);
  });

  it("jobs beyond the workers queue, and a queued job past its deadline is dropped without a kill", async () => {
    const a = app(10_000, 400);
    // Two requests at once start the second worker (idle workers are retired after a minute only).
    assert.deepEqual((await Promise.all([post(a.app, "/validate", big("w1")), post(a.app, "/validate", big("w2"))])).map((r) => r.status), [200, 200]);
    assert.equal(pool.size, 2);
    await pool.ready();
    replaced = [];
    hook = "hang";
    // Two hanging jobs occupy both workers; the third waits in the queue until its deadline (no third worker).
    const rs = await Promise.all([post(a.app, "/validate", big("q1")), post(a.app, "/validate", big("q2")), post(a.app, "/validate", big("q3"))]).finally(() => {
      hook = undefined;
    });
    assert.deepEqual(rs.map((r) => r.status), [503, 503, 503]);
    assert.deepEqual(replaced, ["deadline", "deadline"], "only the two running jobs cost a worker");
    assert.ok(pool.size <= 2, `${pool.size} workers`);
    await pool.ready();
    assert.equal((await post(a.app, "/validate", big("after-queue"))).status, 200);
  });
});

describe("offload pool", () => {
  it("a worker over its heap limit dies alone: the job is a crash, the worker replaced, the process unaffected", async () => {
    const replaced: string[] = [];
    // 24 MB: room above what a worker holds once its modules are loaded (~13 MB), so the replacement worker starts
    // even on a loaded machine (at 16 MB it once ran out of heap while starting, and ready() rejected).
    const pool = new OffloadPool({ workers: 1, lookups: unreachable, policies: { forNamespace: () => undefined }, heapMb: 24, onReplaced: (r) => replaced.push(r) });
    try {
      await pool.ready();
      // A million empty objects: far more than 24 MB once parsed.
      const body = enc(`{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"oom","x":[${"{},".repeat(1_000_000)}{}]}}`);
      const r = await pool.submit({ webhook: "validate", body, lookupFailure: "allow", maxDepth: 100 }).result;
      assert.equal(r.ok, false);
      assert.ok(!r.ok && r.reason === "crash" && /ERR_WORKER_OUT_OF_MEMORY/.test(r.error), JSON.stringify(r));
      assert.deepEqual(replaced, ["crash"]);
      await pool.ready();
      const small = await pool.submit({ webhook: "validate", body: enc(reviewOf(goodCluster(), { uid: "fine" })), lookupFailure: "allow", maxDepth: 100 }).result;
      assert.ok(small.ok);
    } finally {
      await pool.close();
    }
  });

  it("a worker that cannot start: ready() rejects", async () => {
    const pool = new OffloadPool({ workers: 1, lookups: unreachable, policies: { forNamespace: () => undefined }, source: { kind: "eval", code: "throw new Error('no worker here')" } });
    try {
      await assert.rejects(pool.ready(5000), /no worker here/);
    } finally {
      await pool.close();
    }
  });
});

describe("offload pool: grows on demand, retires idle workers", () => {
  const job = (uid: string): OffloadJob => ({ webhook: "validate", body: enc(reviewOf(goodCluster(), { uid })), lookupFailure: "allow", maxDepth: 100 });
  const opts = { lookups: unreachable, policies: { forNamespace: () => undefined } };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** Waits until `ok()` holds (polling), failing after `ms`. */
  async function until(ok: () => boolean, ms: number, what: string): Promise<void> {
    const end = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > end) assert.fail(`${what}: not after ${ms} ms`);
      await sleep(10);
    }
  }

  it("IDLE_RETIRE_MS is a minute", () => {
    assert.equal(IDLE_RETIRE_MS, 60_000);
  });

  it("a pool of up to 2 workers runs one after ready()", async () => {
    const pool = new OffloadPool({ workers: 2, ...opts });
    try {
      await pool.ready();
      assert.equal(pool.size, 1);
      assert.equal(pool.maxWorkers, 2);
      assert.equal(pool.stats.started, 1);
      // One job at a time needs no second worker.
      for (const uid of ["a", "b", "c"]) assert.ok((await pool.submit(job(uid)).result).ok);
      assert.equal(pool.size, 1);
      assert.equal(pool.stats.started, 1);
    } finally {
      await pool.close();
    }
  });

  it("two jobs at once start the second worker; both finish", async () => {
    const pool = new OffloadPool({ workers: 2, ...opts });
    try {
      await pool.ready();
      const rs = await Promise.all([pool.submit(job("x1")).result, pool.submit(job("x2")).result]);
      assert.ok(rs.every((r) => r.ok), JSON.stringify(rs));
      assert.equal(pool.stats.started, 2);
      assert.equal(pool.size, 2);
      assert.deepEqual(rs.map((r) => r.ok && JSON.parse(text(r.judged)).response.uid), ["x1", "x2"]);
    } finally {
      await pool.close();
    }
  });

  it("an idle extra worker is retired after the idle time, the last one never; a retired worker is not a replaced one", async () => {
    const replaced: string[] = [];
    const pool = new OffloadPool({ workers: 2, ...opts, idleRetireMs: 200, onReplaced: (r) => replaced.push(r) });
    try {
      await pool.ready();
      const t = Date.now();
      assert.ok((await Promise.all([pool.submit(job("r1")).result, pool.submit(job("r2")).result])).every((r) => r.ok));
      assert.equal(pool.size, 2);
      await until(() => pool.size === 1, 5000, "the idle extra worker retired");
      assert.ok(Date.now() - t >= 200, `retired after ${Date.now() - t} ms`);
      assert.equal(pool.stats.retired, 1);
      assert.equal(pool.stats.replaced, 0);
      assert.deepEqual(replaced, []);
      // The last worker stays, idle as long as it likes, and serves on.
      await sleep(700);
      assert.equal(pool.size, 1);
      assert.equal(pool.stats.retired, 1);
      assert.ok((await pool.submit(job("r3")).result).ok);
      // Needed again: started again, and retired again once idle.
      assert.ok((await Promise.all([pool.submit(job("r4")).result, pool.submit(job("r5")).result])).every((r) => r.ok));
      assert.equal(pool.stats.started, 3);
      await until(() => pool.stats.retired === 2, 5000, "the second extra worker retired");
      assert.equal(pool.size, 1);
      assert.deepEqual(replaced, []);
    } finally {
      await pool.close();
    }
  });

  it("a worker with a job is never retired", async () => {
    const hang = new Set<OffloadJob>();
    const replaced: string[] = [];
    const pool = new OffloadPool({ workers: 2, ...opts, idleRetireMs: 100, testHook: (j) => (hang.has(j) ? "hang" : undefined), onReplaced: (r) => replaced.push(r) });
    try {
      await pool.ready();
      const slow = job("slow");
      hang.add(slow);
      const h = pool.submit(slow);
      const quick = await pool.submit(job("quick")).result;
      assert.ok(quick.ok, JSON.stringify(quick));
      assert.equal(pool.stats.started, 2);
      // The quick job's worker goes idle and is retired; the busy one stays, however long its job runs.
      await until(() => pool.stats.retired === 1, 5000, "the idle worker retired");
      await sleep(500);
      assert.equal(pool.size, 1);
      assert.equal(pool.stats.retired, 1);
      // Killing the busy worker (its deadline) replaces it: it was the pool's last.
      h.cancel(true);
      assert.deepEqual(await h.result, { ok: false, reason: "cancelled" });
      assert.deepEqual(replaced, ["deadline"]);
      assert.equal(pool.size, 1);
      await pool.ready();
      assert.ok((await pool.submit(job("after")).result).ok);
      assert.equal(pool.stats.retired, 1);
    } finally {
      await pool.close();
    }
  });

  it("never more workers than `workers`: jobs beyond them queue", async () => {
    const hang = new Set<OffloadJob>();
    const pool = new OffloadPool({ workers: 3, ...opts, testHook: (j) => (hang.has(j) ? "hang" : undefined) });
    try {
      await pool.ready();
      const jobs = Array.from({ length: 6 }, (_, i) => job(`h${i}`));
      for (const j of jobs) hang.add(j);
      const hs = jobs.map((j) => pool.submit(j));
      assert.equal(pool.size, 3, "two more started at once, no more");
      await pool.ready();
      await sleep(300);
      assert.equal(pool.size, 3);
      assert.equal(pool.stats.started, 3);
      // Many quick jobs on a fresh pool of 2: both workers used, never a third.
      const two = new OffloadPool({ workers: 2, ...opts });
      try {
        await two.ready();
        let most = 0;
        const rs = await Promise.all(
          Array.from({ length: 12 }, (_, i) => {
            const r = two.submit(job(`q${i}`)).result;
            most = Math.max(most, two.size);
            return r.then((x) => ((most = Math.max(most, two.size)), x));
          }),
        );
        assert.ok(rs.every((r) => r.ok));
        assert.equal(most, 2);
        assert.equal(two.stats.started, 2);
      } finally {
        await two.close();
      }
      for (const h of hs) h.cancel(false);
    } finally {
      await pool.close();
    }
  });

  it("a crashed extra worker is started again only when a job waits for it; the last one always is", async () => {
    const crash = new Set<OffloadJob>();
    const hang = new Set<OffloadJob>();
    const replaced: string[] = [];
    const pool = new OffloadPool({
      workers: 2,
      ...opts,
      testHook: (j) => (crash.has(j) ? "crash" : hang.has(j) ? "hang" : undefined),
      onReplaced: (r) => replaced.push(r),
    });
    try {
      await pool.ready();
      // The first worker busy with a hanging job; a second job starts the second worker, which dies on it.
      const slow = job("slow");
      hang.add(slow);
      const h = pool.submit(slow);
      const bad = job("bad");
      crash.add(bad);
      const r = await pool.submit(bad).result;
      assert.ok(!r.ok && r.reason === "crash", JSON.stringify(r));
      assert.deepEqual(replaced, ["crash"]);
      assert.equal(pool.size, 1, "no job waits: the crashed extra worker is not started again");
      assert.equal(pool.stats.started, 2);
      // A job arriving now (the first worker still busy) starts one.
      const next = pool.submit(job("next"));
      assert.equal(pool.size, 2);
      assert.ok((await next.result).ok);
      assert.equal(pool.stats.started, 3);
      // Killing the busy worker leaves the idle one: nothing to start.
      h.cancel(true);
      assert.deepEqual(replaced, ["crash", "deadline"]);
      assert.equal(pool.size, 1);
      assert.equal(pool.stats.started, 3);
      // The last worker dies: replaced at once.
      const last = job("last");
      crash.add(last);
      const lr = await pool.submit(last).result;
      assert.ok(!lr.ok && lr.reason === "crash", JSON.stringify(lr));
      assert.deepEqual(replaced, ["crash", "deadline", "crash"]);
      assert.equal(pool.size, 1);
      assert.equal(pool.stats.started, 4);
      await pool.ready();
      assert.ok((await pool.submit(job("fine")).result).ok);
      assert.equal(pool.stats.retired, 0);
    } finally {
      await pool.close();
    }
  });
});

describe("serve flags", () => {
  const base = ["--tls-cert", "c", "--tls-key", "k", "--no-cluster"];
  it("defaults, sizes, 0 and bad values", () => {
    const d = parseServeArgs(base);
    assert.ok(d.ok && "options" in d);
    assert.equal(d.options.offloadThresholdBytes, DEFAULT_OFFLOAD_THRESHOLD_BYTES);
    assert.equal(d.options.offloadWorkers, DEFAULT_OFFLOAD_WORKERS);
    const set = parseServeArgs([...base, "--offload-threshold", "1m", "--offload-workers", "4"]);
    assert.ok(set.ok && "options" in set);
    assert.equal(set.options.offloadThresholdBytes, 1024 * 1024);
    assert.equal(set.options.offloadWorkers, 4);
    const zero = parseServeArgs([...base, "--offload-threshold", "0"]);
    assert.ok(zero.ok && "options" in zero);
    assert.equal(zero.options.offloadThresholdBytes, 0);
    for (const bad of [["--offload-threshold", "lots"], ["--offload-workers", "0"], ["--offload-workers", "1.5"]]) {
      const r = parseServeArgs([...base, ...bad]);
      assert.equal(r.ok, false, bad.join(" "));
    }
  });
});
