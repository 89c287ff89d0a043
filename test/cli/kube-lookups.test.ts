// --kubeconfig against a fake API server: every lookup kind listed once, 404 = known and empty, 403 = unknown.
import { test } from "node:test";
import assert from "node:assert/strict";
import { kubeLookups } from "../../src/cli/kube-lookups.ts";
import { run } from "./run.ts";
import { withFakeApiServer } from "../helpers/fake-api-server.ts";
import { lookupKindSpecs } from "../../src/lookups/kinds.ts";

const ROUTES: Record<string, [number, unknown]> = {
  "/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses": [200, { items: [{ metadata: { name: "csi" } }] }],
  "/apis/storage.k8s.io/v1/storageclasses": [403, { kind: "Status", code: 403, message: "forbidden" }],
  "/apis/barmancloud.cnpg.io/v1/objectstores": [200, { items: [{ metadata: { name: "s3", namespace: "db" } }] }],
  "/apis/postgresql.cnpg.io/v1/clusters": [404, { kind: "Status", code: 404, message: "not found" }],
  "/api/v1/namespaces": [200, { kind: "NamespaceList", apiVersion: "v1", items: [{ metadata: { name: "db", labels: { team: "a" } } }] }],
};

/** Runs `fn` against a fake API server answering ROUTES (or never answering, with `silent`). */
async function withApi(fn: (kubeconfig: string, requests: string[]) => Promise<void>, silent = false): Promise<void> {
  const requests: string[] = [];
  await withFakeApiServer((req, res) => {
    const path = (req.url ?? "").split("?")[0]!;
    requests.push(path);
    if (silent) return;
    const [code, body] = ROUTES[path] ?? [404, { kind: "Status", code: 404 }];
    res.writeHead(code, { "content-type": "application/json" }).end(JSON.stringify(body));
  }, (kubeconfig) => fn(kubeconfig, requests));
}

test("lists each lookup kind once; 404 means known and empty, 403 leaves the kind unknown", async () => {
  await withApi(async (kubeconfig, requests) => {
    const out = await kubeLookups(kubeconfig, 5000);
    assert.ok(out.ok, out.ok ? "" : out.message);
    const l = out.lookups;
    assert.equal(l.get("VolumeSnapshotClass", undefined, "csi")?.kind, "VolumeSnapshotClass");
    assert.equal(l.get("ObjectStore", "db", "s3")?.metadata.name, "s3");
    assert.equal(l.get("ObjectStore", "db", "nope"), null);
    assert.equal(l.isKnown("Cluster"), true);
    assert.deepEqual(l.list("Cluster"), []);
    assert.equal(l.isKnown("StorageClass"), false);
    assert.match(out.notes.join("\n"), /storageclasses \(HTTP 403\)/);
    assert.deepEqual(l.get("Namespace", undefined, "db")?.metadata.labels, { team: "a" });
    assert.equal(requests.length, lookupKindSpecs().length, "one list per lookup kind (ScheduledBackup, Secret and the operators' own included)");
    assert.ok(lookupKindSpecs().length >= 8);
  });
});

test("validate --kubeconfig uses the cluster's objects", async () => {
  await withApi(async (kubeconfig) => {
    const cluster =
      "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: pg, namespace: db}\nspec:\n  instances: 3\n  plugins:\n  - name: barman-cloud.cloudnative-pg.io\n    isWALArchiver: true\n    parameters: {barmanObjectName: missing}\n";
    const r = await run(["validate", "-", "--kubeconfig", kubeconfig, "-o", "json"], { stdin: cluster });
    const rules = JSON.parse(r.stdout).results[0].findings.map((f: { rule: string }) => f.rule);
    assert.ok(rules.includes("cnpg-object-store-exists"), r.stdout);
    assert.match(r.stderr, /note: not allowed to list storageclasses/);
  });
});

test("an API server that never answers times out with a clear message", async () => {
  await withApi(async (kubeconfig) => {
    const out = await kubeLookups(kubeconfig, 300);
    assert.ok(!out.ok);
    assert.match(out.message, /did not answer within 0.3s/);
  }, true);
});

test("a starting API server's 429 with Retry-After is waited out, not an exit 2", async () => {
  let refusals = 2;
  const requests: string[] = [];
  await withFakeApiServer((req, res) => {
    const path = (req.url ?? "").split("?")[0]!;
    requests.push(path);
    if (path === "/apis/barmancloud.cnpg.io/v1/objectstores" && refusals-- > 0) {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "0" }).end(JSON.stringify({ kind: "Status", code: 429, message: "too many requests" }));
      return;
    }
    const [code, body] = ROUTES[path] ?? [404, { kind: "Status", code: 404 }];
    res.writeHead(code, { "content-type": "application/json" }).end(JSON.stringify(body));
  }, async (kubeconfig) => {
    const out = await kubeLookups(kubeconfig, 5000);
    assert.ok(out.ok, out.ok ? "" : out.message);
    assert.equal(out.lookups.get("ObjectStore", "db", "s3")?.metadata.name, "s3");
    assert.equal(requests.filter((p) => p.endsWith("/objectstores")).length, 3, "two refusals, then the list");
  });
});

test("retryDelayMs: Retry-After seconds (bounded), backoff without it, no retry for other errors", async () => {
  const { retryDelayMs } = await import("../../src/cli/kube-lookups.ts");
  assert.equal(retryDelayMs({ code: 429, headers: { "retry-after": "2" } }, 0), 2000);
  assert.equal(retryDelayMs({ code: 429, headers: { "retry-after": "3600" } }, 0), 5000);
  assert.equal(retryDelayMs({ code: 503, headers: {} }, 2), 1000);
  assert.equal(retryDelayMs({ code: 403, headers: {} }, 0), undefined);
  assert.equal(retryDelayMs(new Error("ECONNREFUSED"), 0), undefined);
});

test("listed objects lose managedFields and the last-applied annotation, page by page; everything else is kept", async () => {
  const last = "kubectl.kubernetes.io/last-applied-configuration";
  const store = (i: number) => ({
    metadata: {
      name: `s${i}`,
      namespace: "db",
      uid: `u${i}`,
      labels: { team: "a" },
      annotations: i % 2 === 0 ? { [last]: "{\"huge\":true}", "cnpg.io/skipWalArchiving": "enabled" } : { [last]: "{}" },
      managedFields: [{ manager: "kubectl", operation: "Update", fieldsV1: { "f:spec": {} } }],
    },
    spec: { configuration: { destinationPath: `s3://b/${i}` } },
    status: { serverRecoveryWindow: {} },
  });
  const pages: string[] = [];
  await withFakeApiServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/apis/barmancloud.cnpg.io/v1/objectstores") {
      const from = Number(url.searchParams.get("continue") ?? 0);
      pages.push(url.searchParams.get("limit") ?? "");
      const items = [0, 1, 2].filter((i) => i >= from && i < from + 2).map(store);
      const next = from + 2 < 3 ? { continue: String(from + 2) } : {};
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ metadata: next, items }));
      return;
    }
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ kind: "Status", code: 404 }));
  }, async (kubeconfig) => {
    const out = await kubeLookups(kubeconfig, 5000, { pageSize: 2 });
    assert.ok(out.ok, out.ok ? "" : out.message);
    assert.deepEqual(pages, ["2", "2"], "two pages of two");
    const got = out.lookups.list("ObjectStore") ?? [];
    assert.equal(got.length, 3);
    for (const o of got) {
      assert.equal("managedFields" in o.metadata, false);
      assert.equal(o.metadata.annotations?.[last], undefined);
      assert.equal(o.metadata.uid, `u${o.metadata.name!.slice(1)}`);
      assert.deepEqual(o.metadata.labels, { team: "a" });
      assert.ok((o as { status?: unknown }).status, "status kept (audit-only rules read it)");
    }
    assert.deepEqual(got.find((o) => o.metadata.name === "s0")?.metadata.annotations, { "cnpg.io/skipWalArchiving": "enabled" });
    assert.equal("annotations" in got.find((o) => o.metadata.name === "s1")!.metadata, false, "an annotations map left empty is dropped");
    assert.deepEqual((got[0] as { spec?: unknown }).spec, { configuration: { destinationPath: "s3://b/0" } });
  });
});
