// The webhook's lookup caches at cluster scale (issue 13): objects trimmed to what the rules read as they enter a
// cache (list and watch), Namespaces metadata-only, every list paginated (limit/continue).
import { test } from "node:test";
import assert from "node:assert/strict";
import type { RequestListener, ServerResponse } from "node:http";
import { withFakeApiServer } from "../helpers/fake-api-server.ts";
import {
  connect,
  gvrOf,
  informerFor,
  listAllPages,
  namespaceLabelsInformer,
  PARTIAL_METADATA_ACCEPT,
  PARTIAL_METADATA_LIST_ACCEPT,
  trimForCache,
  type ListPage,
} from "../../src/lookups/live-informers.ts";
import { lookupKindSpecs } from "../../src/lookups/kinds.ts";

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
const managedFields = [{ manager: "kubectl", operation: "Apply", fieldsType: "FieldsV1", fieldsV1: { "f:spec": { "f:instances": {} } } }];

test("trimForCache keeps identity, what the rules read, and drops managedFields, last-applied, status", () => {
  const cluster = {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: {
      name: "pg",
      namespace: "db",
      uid: "u",
      resourceVersion: "7",
      generation: 3,
      labels: { app: "pg" },
      annotations: { "cnpg.io/skipWalArchiving": "enabled", [LAST_APPLIED]: '{"huge":"copy"}' },
      managedFields,
      finalizers: ["f"],
    },
    spec: { instances: 3, backup: { barmanObjectStore: { destinationPath: "s3://b" } } },
    status: { phase: "Cluster in healthy state", instancesStatus: { healthy: ["pg-1"] } },
  };
  assert.deepEqual(trimForCache("Cluster", cluster), {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: { name: "pg", namespace: "db", resourceVersion: "7", annotations: { "cnpg.io/skipWalArchiving": "enabled" } },
    spec: cluster.spec,
  });
  // Only the last-applied annotation: no annotations object at all.
  const onlyLastApplied = trimForCache("Cluster", { ...cluster, metadata: { name: "pg", annotations: { [LAST_APPLIED]: "{}" } } });
  assert.equal("annotations" in onlyLastApplied.metadata, false);
});

test("trimForCache: Namespaces keep name and labels; the kind is the resource's, not PartialObjectMetadata", () => {
  const ns = { apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadata", metadata: { name: "team-a", resourceVersion: "3", labels: { tier: "gold" }, annotations: { a: "b" }, managedFields } };
  assert.deepEqual(trimForCache("Namespace", ns), { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a", resourceVersion: "3", labels: { tier: "gold" } } });
});

test("trimForCache: StorageClass and VolumeSnapshotClass keep provisioner / driver and the default-class annotations", () => {
  const sc = { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "fast", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }, provisioner: "ebs.csi.aws.com", parameters: { type: "gp3" }, reclaimPolicy: "Delete" };
  assert.deepEqual(trimForCache("StorageClass", sc), { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: sc.metadata, provisioner: "ebs.csi.aws.com" });
  const vsc = { apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "snap" }, driver: "ebs.csi.aws.com", deletionPolicy: "Delete" };
  assert.deepEqual(trimForCache("VolumeSnapshotClass", vsc), { apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "snap" }, driver: "ebs.csi.aws.com" });
});

test("trimForCache: Secrets keep names only; every kind has a table row; bad input never throws", () => {
  assert.deepEqual(trimForCache("Secret", { metadata: { name: "s", namespace: "n", resourceVersion: "1" }, data: { k: "v" } }), {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "s", namespace: "n", resourceVersion: "1" },
  });
  for (const { name: kind, kind: kindName, cached } of lookupKindSpecs()) {
    assert.ok(Array.isArray(cached.fields), `${kind} has a cached row`);
    for (const bad of [null, 3, "x", [], { metadata: "m", spec: 1 }, { metadata: { name: 5, labels: [], annotations: "a" } }]) {
      const out = trimForCache(kind, bad);
      assert.equal(out.kind, kindName);
      assert.equal(typeof out.metadata, "object");
    }
  }
});

test("listAllPages follows continue tokens, trims each page, keeps the snapshot's resourceVersion", async () => {
  const asked: Array<{ limit: number; _continue?: string }> = [];
  const pages: Record<string, ListPage> = {
    "": { metadata: { resourceVersion: "10", _continue: "a" }, items: [{ n: 1 }, { n: 2 }] },
    a: { metadata: { resourceVersion: "10", continue: "b" }, items: [{ n: 3 }] },
    b: { metadata: { resourceVersion: "10" }, items: [{ n: 4 }] },
  };
  const out = await listAllPages(async (q) => (asked.push(q), pages[q._continue ?? ""]!), (o) => ({ t: (o as { n: number }).n }), 2);
  assert.deepEqual(out, { metadata: { resourceVersion: "10" }, items: [{ t: 1 }, { t: 2 }, { t: 3 }, { t: 4 }] });
  assert.deepEqual(asked, [{ limit: 2 }, { limit: 2, _continue: "a" }, { limit: 2, _continue: "b" }]);
});

test("listAllPages starts over when the continue token expired (410), and gives up after three tries", async () => {
  let calls = 0;
  const gone = Object.assign(new Error("Expired"), { code: 410 });
  const flaky = async (q: { _continue?: string }): Promise<ListPage> => {
    calls++;
    if (q._continue === undefined) return { metadata: { resourceVersion: String(calls), _continue: "next" }, items: [calls] };
    if (calls === 2) throw gone;
    return { metadata: { resourceVersion: "x" }, items: ["last"] };
  };
  assert.deepEqual(await listAllPages(flaky, (o) => o), { metadata: { resourceVersion: "x" }, items: [3, "last"] });
  let always = 0;
  await assert.rejects(
    listAllPages(async (q) => {
      always++;
      if (q._continue) throw gone;
      return { metadata: { _continue: "t" }, items: [] };
    }, (o) => o),
    /Expired/,
  );
  assert.equal(always, 6);
  // A 410 on the first page is not an expired token: passed on (the informer retries with backoff).
  await assert.rejects(listAllPages(async () => Promise.reject(gone), (o) => o), /Expired/);
  await assert.rejects(listAllPages(async () => ({ metadata: { _continue: "same" }, items: [] }), (o) => o), /same continue token twice/);
});

/** A fake API server: paginated lists of `items` (limit/continue) and one watch event, recording what was asked. */
async function withServer(
  path: string,
  items: Record<string, unknown>[],
  watchEvent: Record<string, unknown>,
  body: (kubeconfig: string, seen: Array<{ watch: boolean; accept: string; limit: string | null; cont: string | null }>) => Promise<void>,
): Promise<void> {
  const seen: Array<{ watch: boolean; accept: string; limit: string | null; cont: string | null }> = [];
  const watches: ServerResponse[] = [];
  const handler: RequestListener = (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const watch = url.searchParams.get("watch") === "true";
    seen.push({ watch, accept: String(req.headers.accept), limit: url.searchParams.get("limit"), cont: url.searchParams.get("continue") });
    if (url.pathname !== path) return void res.writeHead(404).end();
    if (!watch) {
      const limit = Number(url.searchParams.get("limit") ?? items.length);
      const from = Number(url.searchParams.get("continue") ?? 0);
      const next = from + limit < items.length ? String(from + limit) : undefined;
      const metadata = { resourceVersion: "100", ...(next ? { continue: next } : {}) };
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ kind: "List", apiVersion: "v1", metadata, items: items.slice(from, from + limit) }));
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.write(`${JSON.stringify(watchEvent)}\n`);
    watches.push(res);
  };
  await withFakeApiServer(handler, async (kubeconfig) => {
    try {
      await body(kubeconfig, seen);
    } finally {
      for (const w of watches) w.end();
    }
  });
}

test("the Namespace informer lists in pages and watches as PartialObjectMetadata, and caches names and labels only", async () => {
  const items = Array.from({ length: 5 }, (_, i) => ({
    apiVersion: "meta.k8s.io/v1",
    kind: "PartialObjectMetadata",
    metadata: { name: `ns-${i}`, resourceVersion: String(i + 1), labels: { i: String(i) }, annotations: { big: "x".repeat(100) }, managedFields },
  }));
  const added = { type: "ADDED", object: { apiVersion: "v1", kind: "Namespace", metadata: { name: "watched", resourceVersion: "101", labels: { w: "1" }, managedFields }, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } } };
  await withServer("/api/v1/namespaces", items, added, async (kubeconfig, seen) => {
    const informer = namespaceLabelsInformer(await connect(kubeconfig), 2);
    const watched = new Promise<void>((resolve) => informer.on("add", (o) => o?.metadata?.name === "watched" && resolve()));
    await informer.start();
    await watched;
    assert.deepEqual(informer.get("ns-3"), { apiVersion: "v1", kind: "Namespace", metadata: { name: "ns-3", resourceVersion: "4", labels: { i: "3" } } });
    assert.deepEqual(informer.get("watched"), { apiVersion: "v1", kind: "Namespace", metadata: { name: "watched", resourceVersion: "101", labels: { w: "1" } } });
    assert.equal(informer.list().length, 6);
    const lists = seen.filter((s) => !s.watch);
    assert.deepEqual(lists.map((s) => [s.limit, s.cont]), [["2", null], ["2", "2"], ["2", "4"]]);
    for (const s of lists) assert.equal(s.accept, PARTIAL_METADATA_LIST_ACCEPT);
    assert.equal(seen.find((s) => s.watch)?.accept, PARTIAL_METADATA_ACCEPT);
    await informer.stop();
  });
});

test("a custom-resource informer lists in pages and trims listed and watched objects", async () => {
  const gvr = gvrOf("Cluster");
  const cluster = (name: string, rv: string) => ({
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: { name, namespace: "db", resourceVersion: rv, managedFields, annotations: { [LAST_APPLIED]: "{}" } },
    spec: { instances: 1 },
    status: { phase: "x" },
  });
  const items = [cluster("a", "1"), cluster("b", "2"), cluster("c", "3")];
  await withServer(`/apis/${gvr.group}/${gvr.version}/${gvr.plural}`, items, { type: "ADDED", object: cluster("w", "101") }, async (kubeconfig, seen) => {
    const informer = informerFor(await connect(kubeconfig), gvr, { trim: (o) => trimForCache("Cluster", o), pageSize: 2 });
    const watched = new Promise<void>((resolve) => informer.on("add", (o) => o?.metadata?.name === "w" && resolve()));
    await informer.start();
    await watched;
    for (const name of ["a", "c", "w"]) {
      const o = informer.get(name, "db");
      assert.deepEqual(Object.keys(o).sort(), ["apiVersion", "kind", "metadata", "spec"], name);
      assert.deepEqual(Object.keys(o.metadata).sort(), ["name", "namespace", "resourceVersion"], name);
    }
    assert.deepEqual(seen.filter((s) => !s.watch).map((s) => [s.limit, s.cont]), [["2", null], ["2", "2"]]);
    await informer.stop();
  });
});
