// cnpg-archive-destination-unique end to end: the CLI over a directory of files (every object is both validated and
// looked up) and the webhook handler (other Clusters from its lookups), with the same verdicts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { parse } from "yaml";
import { run } from "../../../cli/run.ts";
import { makeApp, reviewOf } from "../../../webhook/helpers.ts";
import { InventoryLookups } from "../../../../src/lookups/inventory.ts";

const RULE = "cnpg-archive-destination-unique";

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "pgbg-archive-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const STORE = `apiVersion: barmancloud.cnpg.io/v1
kind: ObjectStore
metadata: {name: shared-store, namespace: db}
spec:
  retentionPolicy: 30d
  configuration:
    destinationPath: s3://backups/db
    s3Credentials: {inheritFromIAMRole: true}
`;

/** A Cluster that passes every other rule, archiving to shared-store (with `serverName` when given). */
function clusterYaml(name: string, serverName?: string, extra = ""): string {
  const params = serverName === undefined ? "{barmanObjectName: shared-store}" : `{barmanObjectName: shared-store, serverName: ${serverName}}`;
  return `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: {name: ${name}, namespace: db}
spec:
  instances: 3
  storage: {size: 10Gi}
  plugins:
  - name: barman-cloud.cloudnative-pg.io
    isWALArchiver: true
    parameters: ${params}
${extra}`;
}

const RECOVERY = `  bootstrap:
    recovery: {source: origin}
  externalClusters:
  - name: origin
    plugin:
      name: barman-cloud.cloudnative-pg.io
      parameters: {barmanObjectName: shared-store}
`;

async function validate(files: Record<string, string>) {
  const r = await run(["validate", repo(files), "--format", "json"]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const out = JSON.parse(r.stdout);
  const denied = out.results.flatMap((x: any) => x.findings.filter((f: any) => f.action === "deny").map((f: any) => `${x.name}: ${f.rule}`));
  return { code: r.code, denied, out };
}

test("CLI: two Clusters in two files sharing one ObjectStore and serverName are denied (both of them)", async () => {
  const { code, denied, out } = await validate({ "a.yaml": clusterYaml("pg"), "b.yaml": clusterYaml("pg-new", "pg"), "store.yaml": STORE });
  assert.equal(code, 1);
  assert.deepEqual(denied.sort(), [`pg-new: ${RULE}`, `pg: ${RULE}`]);
  const msg = out.results.find((x: any) => x.name === "pg-new").findings.find((f: any) => f.rule === RULE).message;
  assert.match(msg, /ObjectStore "shared-store" \(s3:\/\/backups\/db\) under serverName "pg", and so does Cluster "db\/pg"/);
});

test("CLI: the same two Clusters with distinct serverNames pass", async () => {
  const { code, denied } = await validate({ "a.yaml": clusterYaml("pg"), "b.yaml": clusterYaml("pg-new", "pg-2"), "store.yaml": STORE });
  assert.deepEqual(denied, []);
  assert.equal(code, 0);
});

test("CLI: a recovery into the source's own archive is denied; with a new serverName it passes", async () => {
  const bad = await validate({ "pg.yaml": clusterYaml("pg", undefined, RECOVERY), "store.yaml": STORE });
  assert.deepEqual(bad.denied, [`pg: ${RULE}`]);
  assert.equal(bad.code, 1);
  const good = await validate({ "pg.yaml": clusterYaml("pg", "pg-2", RECOVERY.replace("{barmanObjectName: shared-store}", "{barmanObjectName: shared-store, serverName: pg}")), "store.yaml": STORE });
  assert.deepEqual(good.denied, []);
  assert.equal(good.code, 0);
});

test("CLI: Clusters without a namespace are never denied by this rule (not checked instead)", async () => {
  const noNs = (y: string) => y.replace(", namespace: db}", "}");
  const { denied, out } = await validate({ "a.yaml": noNs(clusterYaml("pg")), "b.yaml": noNs(clusterYaml("pg-new", "pg")), "store.yaml": STORE });
  assert.deepEqual(denied, []);
  const nc = out.results.find((x: any) => x.name === "pg-new").notChecked ?? [];
  assert.ok(nc.some((n: any) => n.rule === RULE), JSON.stringify(out.results));
});

async function admit(object: unknown, others: unknown[]) {
  const lookups = new InventoryLookups([parse(STORE), ...others], { known: ["VolumeSnapshotClass", "StorageClass", "ObjectStore", "Cluster", "Namespace"] });
  const { app } = makeApp({ lookups });
  const res = await request(app).post("/validate").set("Content-Type", "application/json").send(reviewOf(object as Record<string, any>));
  return res.body.response;
}

test("webhook: the second Cluster on one ObjectStore and serverName is denied; distinct serverNames are allowed", async () => {
  const first = parse(clusterYaml("pg"));
  const denied = await admit(parse(clusterYaml("pg-new", "pg")), [first]);
  assert.equal(denied.allowed, false);
  assert.match(denied.status.message, new RegExp(`\\[${RULE}\\] spec\\.plugins\\[0\\]\\.parameters\\.barmanObjectName: .*Cluster "db/pg"`));
  const allowed = await admit(parse(clusterYaml("pg-new", "pg-2")), [first]);
  assert.equal(allowed.allowed, true, JSON.stringify(allowed));
});

test("webhook: a recovery into the source's own archive is denied; an UPDATE is not compared with its stored copy", async () => {
  const restored = parse(clusterYaml("pg", undefined, RECOVERY));
  const denied = await admit(restored, []);
  assert.equal(denied.allowed, false);
  assert.match(denied.status.message, new RegExp(`\\[${RULE}\\].*spec\\.bootstrap\\.recovery\\.source reads`));
  const plain = parse(clusterYaml("pg"));
  const update = await request(makeApp({ lookups: new InventoryLookups([parse(STORE), plain], { known: ["VolumeSnapshotClass", "StorageClass", "ObjectStore", "Cluster", "Namespace"] }) }).app)
    .post("/validate")
    .set("Content-Type", "application/json")
    .send(reviewOf({ ...plain, spec: { ...plain.spec, instances: 2 } }, { operation: "UPDATE", oldObject: plain }));
  assert.equal(update.body.response.allowed, true, JSON.stringify(update.body.response));
});
