// Live lookups over fake informers: sync, CRD missing, forbidden, unreachable, staleness.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { LookupKind } from "../../src/engine/types.ts";
import { LiveLookups, WatchedKind } from "../../src/lookups/live.ts";
import { FakeInformer, httpError } from "./fake-informer.ts";

const store = { apiVersion: "barmancloud.cnpg.io/v1", kind: "ObjectStore", metadata: { name: "s", namespace: "db" } };
const vsc = { apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "csi" } };

function setup(now: { t: number }) {
  const informers = {
    ObjectStore: new FakeInformer([store]),
    VolumeSnapshotClass: new FakeInformer([vsc]),
    Cluster: new FakeInformer(),
  };
  const opts = { now: () => now.t, maxStaleMs: 60_000, retryBaseMs: 60_000, notInstalledRetryMs: 60_000 };
  const kinds = new Map<LookupKind, WatchedKind>(
    Object.entries(informers).map(([k, inf]) => [k as LookupKind, new WatchedKind(k, inf, opts)]),
  );
  return { informers, lookups: new LiveLookups(kinds) };
}

test("unknown until synced; then answers from the cache", async () => {
  const now = { t: 1_000_000 };
  const { lookups } = setup(now);
  assert.equal(lookups.isKnown("ObjectStore"), false);
  assert.equal(lookups.get("ObjectStore", "db", "s"), undefined);
  assert.match(lookups.unavailableReason("ObjectStore")!, /^the API server could not be reached; lookup cache for ObjectStore not synced/);
  await lookups.start();
  assert.ok(lookups.synced);
  assert.equal(lookups.isKnown("ObjectStore"), true);
  assert.equal(lookups.get("ObjectStore", "db", "s")?.metadata.name, "s");
  assert.equal(lookups.get("ObjectStore", "other", "s"), null);
  assert.equal(lookups.get("VolumeSnapshotClass", "db", "csi")?.metadata.name, "csi"); // cluster-scoped: namespace ignored
  assert.deepEqual(lookups.list("ObjectStore", "db")?.length, 1);
  assert.deepEqual(lookups.list("Cluster"), []);
  assert.equal(lookups.isKnown("Namespace"), false); // no cache for it at all
  assert.equal(lookups.unavailableReason("ObjectStore"), undefined);
  assert.deepEqual(lookups.status().map((s) => [s.kind, s.synced, s.ageSeconds]), [
    ["ObjectStore", true, 0],
    ["VolumeSnapshotClass", true, 0],
    ["Cluster", true, 0],
  ]);
  await lookups.stop();
});

test("a CRD that is not installed (404) is known and empty; 403 stays unknown", async () => {
  const now = { t: 0 };
  const { informers, lookups } = setup(now);
  informers.VolumeSnapshotClass.nextError = httpError(404, "the server could not find the requested resource");
  informers.Cluster.nextError = httpError(403, "forbidden");
  await lookups.start();
  assert.equal(lookups.isKnown("VolumeSnapshotClass"), true);
  assert.deepEqual(lookups.list("VolumeSnapshotClass"), []);
  assert.equal(lookups.get("VolumeSnapshotClass", undefined, "csi"), null);
  assert.equal(lookups.isKnown("Cluster"), false);
  assert.match(lookups.unavailableReason("Cluster")!, /may not list\/watch Cluster \(RBAC\)/);
  assert.deepEqual(lookups.notSynced(), ["Cluster"]);
  await lookups.stop();
});

test("a broken watch keeps the cache for maxStaleMs, then the kind is not checked; an event heals it", async () => {
  const now = { t: 0 };
  const { informers, lookups } = setup(now);
  await lookups.start();
  informers.ObjectStore.fail(Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:443"), { code: "ECONNREFUSED" }));
  now.t += 30_000;
  assert.equal(lookups.isKnown("ObjectStore"), true);
  assert.equal(lookups.status().find((s) => s.kind === "ObjectStore")!.ageSeconds, 30);
  now.t += 31_000;
  assert.equal(lookups.isKnown("ObjectStore"), false);
  assert.match(lookups.unavailableReason("ObjectStore")!, /could not be reached for 61s; lookup cache for ObjectStore is stale \(connect ECONNREFUSED/);
  informers.ObjectStore.emit("add", { ...store, metadata: { name: "t", namespace: "db" } });
  assert.equal(lookups.isKnown("ObjectStore"), true);
  assert.equal(lookups.get("ObjectStore", "db", "t")?.metadata.name, "t");
  await lookups.stop();
});

test("a failed informer is restarted with backoff", async () => {
  const inf = new FakeInformer();
  inf.nextError = new Error("ECONNREFUSED");
  const w = new WatchedKind("Cluster", inf, { retryBaseMs: 5, retryMaxMs: 10 });
  await w.start();
  assert.equal(w.synced, false);
  inf.nextError = undefined;
  for (let i = 0; i < 50 && !w.synced; i++) await new Promise((r) => setTimeout(r, 5));
  assert.equal(w.synced, true);
  assert.ok(inf.starts >= 2);
  await w.stop();
  assert.ok(inf.stopped);
});

test("a synced cache survives the 403 / 404 / 429 of an API server that restarts, for maxStaleMs", async () => {
  const now = { t: 0 };
  const { informers, lookups } = setup(now);
  await lookups.start();
  informers.ObjectStore.fail(httpError(403, "forbidden: RBAC: clusterrole not found"));
  informers.VolumeSnapshotClass.fail(httpError(404, "the server could not find the requested resource"));
  informers.Cluster.fail(httpError(429, "too many requests, please try again later"));
  now.t += 10_000;
  for (const kind of ["ObjectStore", "VolumeSnapshotClass", "Cluster"] as const) {
    assert.equal(lookups.isKnown(kind), true, `${kind} keeps its last known state`);
    assert.equal(lookups.unavailableReason(kind), undefined, kind);
  }
  assert.equal(lookups.get("ObjectStore", "db", "s")?.metadata.name, "s", "not dropped by the transient 403");
  assert.equal(lookups.get("VolumeSnapshotClass", undefined, "csi")?.metadata.name, "csi", "a 404 after a sync is not 'CRD not installed'");
  now.t += 60_000;
  assert.equal(lookups.isKnown("ObjectStore"), false, "a 403 that lasts past maxStaleMs makes the kind unknown");
  assert.match(lookups.unavailableReason("ObjectStore")!, /may not list\/watch ObjectStore \(RBAC\)/);
  await lookups.stop();
});
