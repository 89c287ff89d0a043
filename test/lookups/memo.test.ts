// Memoised indexes are rebuilt exactly when their kinds change: never stale after an add or an informer event.
import { test } from "node:test";
import assert from "node:assert/strict";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import { LiveLookups, WatchedKind } from "../../src/lookups/live.ts";
import type { LookupKind } from "../../src/engine/types.ts";
import { FakeInformer } from "../webhook/fake-informer.ts";
import { indexOf } from "../../src/rules/util.ts";

const cluster = (name: string) => ({ apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name, namespace: "db" } });
const store = (name: string) => ({ apiVersion: "barmancloud.cnpg.io/v1", kind: "ObjectStore", metadata: { name, namespace: "db" } });

test("inventory: built once per state of the kinds it reads; another kind's change does not rebuild it", () => {
  const inv = new InventoryLookups([cluster("a")], { known: ["ObjectStore"] });
  let builds = 0;
  const names = () => indexOf(inv, ["Cluster"], "names", () => (builds++, (inv.list("Cluster") ?? []).map((c) => c.metadata.name)));
  assert.deepEqual(names(), ["a"]);
  assert.deepEqual(names(), ["a"]);
  assert.equal(builds, 1);
  inv.add(store("s"));
  names();
  assert.equal(builds, 1, "an ObjectStore does not touch a Cluster index");
  inv.add(cluster("b"));
  assert.deepEqual(names(), ["a", "b"]);
  assert.equal(builds, 2);
});

test("live: an informer event or a cache turning unusable invalidates the index", async () => {
  const inf = new FakeInformer([cluster("a")]);
  const now = { t: 0 };
  const kinds = new Map<LookupKind, WatchedKind>([["Cluster", new WatchedKind("Cluster", inf, { now: () => now.t, maxStaleMs: 1000, retryBaseMs: 60_000 })]]);
  const live = new LiveLookups(kinds);
  await live.start();
  let builds = 0;
  const count = () => indexOf(live, ["Cluster"], "count", () => (builds++, live.list("Cluster")?.length));
  assert.equal(count(), 1);
  assert.equal(count(), 1);
  assert.equal(builds, 1);
  inf.emit("add", cluster("b"));
  assert.equal(count(), 2);
  assert.equal(builds, 2);
  inf.fail(new Error("ECONNRESET"));
  now.t += 2000;
  assert.equal(count(), undefined, "stale: the index sees the kind as unknown, not the old content");
  await live.stop();
});
