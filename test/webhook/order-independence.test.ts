// Cross-resource checks are order-independent at admission (a missing named object warns "not found yet"), while
// the CLI, which sees the whole batch, still denies what is really missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import request from "supertest";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import type { LookupKind } from "../../src/engine/types.ts";
import { validate } from "../../src/webhook/handler.ts";
import { recommendedPolicy } from "../../src/policy/builtin.ts";
import { fixedProvider } from "../../src/webhook/policy-holder.ts";
import { run } from "../cli/run.ts";
import { makeApp, reviewOf } from "./helpers.ts";
import { withFakeApiServer } from "../helpers/fake-api-server.ts";

const EXAMPLE = fileURLToPath(new URL("../../examples/cnpg-snapshot/", import.meta.url));
const ALL_KINDS: LookupKind[] = ["VolumeSnapshotClass", "StorageClass", "ObjectStore", "Cluster", "ScheduledBackup", "Namespace", "CpoCluster"];

/** The example's objects in file order (the Cluster comes first, its ObjectStore after it). */
function exampleObjects(): Record<string, any>[] {
  return ["cluster.yaml", "volume-snapshot-class.yaml"].flatMap((f) =>
    parseAllDocuments(readFileSync(join(EXAMPLE, f), "utf8")).map((d) => d.toJS() as Record<string, any>),
  );
}

/** Applies the objects one by one, as `kubectl apply` does: each is judged against what exists before it. */
function applyInOrder(objects: Record<string, any>[], lookups: InventoryLookups) {
  const deps = { policies: fixedProvider(recommendedPolicy()), lookups, lookupFailure: "deny" as const, now: () => new Date("2026-01-01T00:00:00Z") };
  return objects.map((o) => {
    const d = validate(reviewOf(o).request as never, deps);
    if (d.response.allowed) lookups.add(o);
    return { kind: o.kind as string, response: d.response };
  });
}

test("examples/cnpg-snapshot applied Cluster first to empty (known) lookups: every object allowed, the Cluster with warnings", () => {
  const objects = exampleObjects();
  assert.equal(objects[0]!.kind, "Cluster");
  const results = applyInOrder(objects, new InventoryLookups([], { known: ALL_KINDS }));
  for (const r of results) assert.equal(r.response.allowed, true, `${r.kind}: ${r.response.status?.message}`);
  const warnings = results[0]!.response.warnings ?? [];
  assert.ok(
    warnings.some((w) => /^\[cnpg-object-store-exists\] spec\.plugins\[0\]\.parameters\.barmanObjectName: not found yet .*ObjectStore "billing-wal"/.test(w)),
    JSON.stringify(warnings),
  );
  assert.ok(warnings.some((w) => /^\[cnpg-snapshot-class-exists\] .*not found yet/.test(w)), JSON.stringify(warnings));
  // In the order the objects need, nothing is even warned about.
  const reverse = applyInOrder([...objects].reverse(), new InventoryLookups([], { known: ALL_KINDS }));
  for (const r of reverse) {
    assert.equal(r.response.allowed, true);
    assert.ok(!(r.response.warnings ?? []).some((w) => w.includes("not found yet")), JSON.stringify(r.response.warnings));
  }
});

test("the same through the HTTP app: allowed with the warning", async () => {
  const { app } = makeApp({ lookups: new InventoryLookups([], { known: ALL_KINDS }), lookupFailure: "deny" });
  const res = await request(app).post("/validate").set("Content-Type", "application/json").send(reviewOf(exampleObjects()[0]!));
  assert.equal(res.body.response.allowed, true);
  assert.ok(res.body.response.warnings.some((w: string) => w.includes("not found yet")));
});

test("the CLI on the whole directory passes", async () => {
  const r = await run(["validate", EXAMPLE, "-o", "json"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(JSON.parse(r.stdout).summary.denied, 0);
});

/** The example's Cluster document alone. */
function clusterAlone(): string {
  const text = readFileSync(join(EXAMPLE, "cluster.yaml"), "utf8");
  return text.split(/^---$/m)[0]!;
}

test("the CLI on the Cluster alone with lookups that know the kinds but not the objects denies", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pgbg-order-"));
  try {
    const inventory = join(dir, "inventory.yaml");
    writeFileSync(
      inventory,
      "apiVersion: barmancloud.cnpg.io/v1\nkind: ObjectStore\nmetadata: {name: other-store, namespace: finance}\nspec: {}\n---\n" +
        "apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotClass\nmetadata: {name: other-class}\ndriver: x\ndeletionPolicy: Delete\n",
    );
    const r = await run(["validate", "-", "--lookup", inventory, "-o", "json"], { stdin: clusterAlone() });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const findings = JSON.parse(r.stdout).results[0].findings as { rule: string; action: string; message: string }[];
    for (const rule of ["cnpg-object-store-exists", "cnpg-snapshot-class-exists"]) {
      const f = findings.find((x) => x.rule === rule);
      assert.equal(f?.action, "deny", rule);
      assert.ok(!f?.message.includes("not found yet"));
    }
    // An empty --lookup file makes no kind known: then the rules are not checked (never denied).
    const empty = join(dir, "empty.yaml");
    writeFileSync(empty, "# nothing\n");
    const e = await run(["validate", "-", "--lookup", empty, "-o", "json"], { stdin: clusterAlone() });
    assert.equal(e.code, 0, e.stdout);
    assert.ok(JSON.parse(e.stdout).results[0].notChecked.some((n: { rule: string }) => n.rule === "cnpg-object-store-exists"));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("the CLI on the Cluster alone against a cluster whose lists are all empty denies", async () => {
  await withFakeApiServer((req, res) => {
    const path = (req.url ?? "").split("?")[0]!;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ kind: "List", apiVersion: "v1", metadata: {}, items: [], path }));
  }, async (kubeconfig) => {
    const r = await run(["validate", "-", "--kubeconfig", kubeconfig, "-o", "json"], { stdin: clusterAlone() });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const rules = JSON.parse(r.stdout).results[0].findings.filter((f: { action: string }) => f.action === "deny").map((f: { rule: string }) => f.rule);
    assert.ok(rules.includes("cnpg-object-store-exists") && rules.includes("cnpg-snapshot-class-exists"), JSON.stringify(rules));
  });
});

const STORE_WITH_KEYS = {
  apiVersion: "barmancloud.cnpg.io/v1",
  kind: "ObjectStore",
  metadata: { name: "pg-store", namespace: "db" },
  spec: {
    retentionPolicy: "30d",
    configuration: { destinationPath: "s3://b/pg", s3Credentials: { accessKeyId: { name: "pg-s3", key: "k" }, secretAccessKey: { name: "pg-s3", key: "s" } } },
  },
};

test("webhook: Secret lookups off (the default) is 'not checked', never denied, even with --lookup-failure deny", () => {
  const lookups = new InventoryLookups([], { known: ALL_KINDS, disabled: ["Secret"] });
  const [r] = applyInOrder([STORE_WITH_KEYS], lookups);
  assert.equal(r!.response.allowed, true, r!.response.status?.message);
  assert.ok(r!.response.warnings?.some((w) => /^\[cnpg-credentials-exist\] .*not checked: Secret lookups are off/.test(w)), JSON.stringify(r!.response.warnings));
  // A Secret in the inventory is ignored while the kind is off.
  assert.equal(lookups.add({ apiVersion: "v1", kind: "Secret", metadata: { name: "pg-s3", namespace: "db" } }), false);
});

test("webhook: with Secret lookups on, a missing credentials Secret warns 'not found yet' and a present one is fine", () => {
  const [missing] = applyInOrder([STORE_WITH_KEYS], new InventoryLookups([], { known: [...ALL_KINDS, "Secret"] }));
  assert.equal(missing!.response.allowed, true);
  assert.ok(missing!.response.warnings?.some((w) => /^\[cnpg-credentials-exist\] .*not found yet .*Secret "pg-s3"/.test(w)), JSON.stringify(missing!.response.warnings));
  const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "pg-s3", namespace: "db" } };
  const [present] = applyInOrder([STORE_WITH_KEYS], new InventoryLookups([secret], { known: ALL_KINDS }));
  assert.equal(present!.response.allowed, true);
  assert.ok(!(present!.response.warnings ?? []).some((w) => w.includes("cnpg-credentials-exist")), JSON.stringify(present!.response.warnings));
});
