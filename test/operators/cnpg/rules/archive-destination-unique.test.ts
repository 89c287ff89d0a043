// cnpg-archive-destination-unique: barman-cloud writes under <destinationPath>/<serverName>. serverName: plugin
// parameters.serverName, else the Cluster's name (also for recovery/replica sources: plugin-barman-cloud v0.14.0
// config.go NewFromCluster); in-tree barmanObjectStore.serverName, else the Cluster's name, and for an external
// cluster its own name (CNPG v1.30.0 GetServerName).
import { test } from "node:test";
import assert from "node:assert/strict";
import request from "supertest";
import { parse } from "yaml";
import type { Resource } from "../../../../src/engine/types.ts";
import { ruleTester, runCase } from "../../../helpers/rule-tester.ts";
import { nextServerName, rule } from "../../../../src/operators/cnpg/rules/archive-destination-unique.ts";
import { PLUGIN, cluster, objectStore } from "./fixtures.ts";
import { run } from "../../../cli/run.ts";
import { makeApp, reviewOf } from "../../../webhook/helpers.ts";
import { InventoryLookups } from "../../../../src/lookups/inventory.ts";
import { LEDGER_CLUSTER, SHOP_CLUSTER, lookupsAll, swap } from "./manifests.ts";
import { writeTree } from "../../../helpers/shared.ts";

const plugin = (params: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name: PLUGIN, isWALArchiver: true, parameters: params, ...extra });
const onStore = (store: string, serverName?: string) => [plugin(serverName === undefined ? { barmanObjectName: store } : { barmanObjectName: store, serverName })];
/** A Cluster in `namespace` ("db"; `null`: none written). */
const named = (name: string, spec: unknown, namespace: string | null = "db"): Resource => {
  const r = cluster(spec, { name });
  if (namespace === null) delete r.metadata.namespace;
  else r.metadata.namespace = namespace;
  return r;
};
const store = (name: string, destinationPath: string, ns = "db", endpointURL?: string) =>
  objectStore(name, { configuration: { destinationPath, ...(endpointURL ? { endpointURL } : {}) }, retentionPolicy: "30d" }, ns);
const recoverFrom = (ext: Record<string, unknown>, archive: unknown[]) => ({
  bootstrap: { recovery: { source: "origin" } },
  externalClusters: [{ name: "origin", ...ext }],
  plugins: archive,
});
/** Makes the Cluster kind known (as the validated inputs do in the CLI) without colliding with anything. */
const KNOWN = named("unrelated", { instances: 1 });
const bos = (destinationPath: string, serverName?: string) => ({ destinationPath, s3Credentials: { inheritFromIAMRole: true }, ...(serverName ? { serverName } : {}) });

ruleTester(rule, {
  valid: [
    {
      name: "two Clusters on one ObjectStore with distinct serverNames",
      resource: named("pg-b", { plugins: onStore("shared", "pg-b") }),
      lookups: [named("pg-a", { plugins: onStore("shared") }), store("shared", "s3://b/")],
    },
    {
      name: "two Clusters on one ObjectStore, serverName defaulting to their own names",
      resource: named("pg-b", { plugins: onStore("shared") }),
      lookups: [named("pg-a", { plugins: onStore("shared") })],
    },
    {
      name: "the Cluster itself in the lookups (UPDATE: the stored copy) is not another Cluster",
      resource: named("pg", { plugins: onStore("shared") }),
      lookups: [named("pg", { plugins: onStore("shared") })],
      operation: "UPDATE",
      oldResource: named("pg", { plugins: onStore("shared") }),
    },
    {
      name: "same name, one copy without a namespace: possibly the same object, not compared",
      resource: named("pg", { plugins: onStore("shared") }, null),
      lookups: [named("pg", { plugins: onStore("shared") })],
    },
    {
      name: "same ObjectStore name and serverName in different namespaces (different stores, different buckets)",
      resource: named("pg", { plugins: onStore("store", "x") }, "team-a"),
      lookups: [named("other", { plugins: onStore("store", "x") }, "team-b"), store("store", "s3://a/", "team-a"), store("store", "s3://b/", "team-b")],
    },
    {
      name: "same destinationPath on different endpoints is not one place",
      resource: named("pg", { backup: { barmanObjectStore: { ...bos("s3://backups/", "x"), endpointURL: "https://minio-a:9000" } } }),
      lookups: [named("other", { backup: { barmanObjectStore: { ...bos("s3://backups/", "x"), endpointURL: "https://minio-b:9000" } } })],
    },
    {
      name: "a disabled barman-cloud entry archives nothing",
      resource: named("pg-b", { plugins: [plugin({ barmanObjectName: "shared", serverName: "pg" }, { enabled: false })] }),
      lookups: [named("pg-a", { plugins: onStore("shared", "pg") })],
    },
    {
      name: "${APP} placeholder names: not compared (resolved per deployment)",
      resource: named("${APP}", { plugins: onStore("${APP}-store") }),
      lookups: [named("${APP}", { plugins: onStore("${APP}-store") }, "other"), named("pg", { plugins: onStore("${APP}-store", "${APP}") })],
    },
    {
      name: "placeholder serverName on the other Cluster: not compared",
      resource: named("pg", { plugins: onStore("shared", "orders") }),
      lookups: [named("x", { plugins: onStore("shared", "${SERVER}") })],
    },
    {
      name: "recovery from another Cluster's archive, archiving under this Cluster's own serverName",
      resource: named("pg-restored", recoverFrom({ plugin: { name: PLUGIN, parameters: { barmanObjectName: "store", serverName: "pg" } } }, onStore("store"))),
      lookups: [named("pg", { plugins: onStore("store") })],
    },
    {
      name: "recovery with an explicit old serverName and a new one for this incarnation", notChecked: true,
      resource: named("pg", recoverFrom({ plugin: { name: PLUGIN, parameters: { barmanObjectName: "store", serverName: "pg" } } }, onStore("store", "pg-2"))),
    },
    {
      name: "in-tree recovery: the external cluster's serverName defaults to its own name", notChecked: true,
      resource: named("pg", { bootstrap: { recovery: { source: "pg-old" } }, externalClusters: [{ name: "pg-old", barmanObjectStore: bos("s3://b/") }], backup: { barmanObjectStore: bos("s3://b/") } }),
    },
    {
      name: "externalClusters entry naming this Cluster's own archive but not used as a source (distributed topology self entry)", notChecked: true,
      resource: named("eu-south", {
        replica: { primary: "eu-south", source: "eu-central" },
        externalClusters: [
          { name: "eu-south", plugin: { name: PLUGIN, parameters: { barmanObjectName: "south", serverName: "eu-south" } } },
          { name: "eu-central", plugin: { name: PLUGIN, parameters: { barmanObjectName: "central", serverName: "eu-central" } } },
        ],
        plugins: onStore("south", "eu-south"),
      }),
    },
    {
      name: "plugin-barman-cloud e2e replica cluster (GCS variant): source's store, own serverName",
      resource: named("replica", {
        bootstrap: { recovery: { source: "source" } },
        replica: { primary: "source", source: "source" },
        plugins: onStore("source"),
        externalClusters: [
          { name: "source", plugin: { name: PLUGIN, parameters: { barmanObjectName: "source", serverName: "source" } } },
          { name: "replica", plugin: { name: PLUGIN, parameters: { barmanObjectName: "source", serverName: "replica" } } },
        ],
      }),
      lookups: [
        named("source", {
          plugins: onStore("source"),
          replica: { primary: "source", source: "replica" },
          externalClusters: [
            { name: "source", plugin: { name: PLUGIN, parameters: { barmanObjectName: "source", serverName: "source" } } },
            { name: "replica", plugin: { name: PLUGIN, parameters: { barmanObjectName: "source", serverName: "replica" } } },
          ],
        }),
      ],
    },
    {
      name: "replica.source is not read while the Cluster is the primary", notChecked: true,
      resource: named("a", { replica: { primary: "a", source: "a-src" }, externalClusters: [{ name: "a-src", plugin: { name: PLUGIN, parameters: { barmanObjectName: "s" } } }], plugins: onStore("s") }),
    },
    {
      name: "two Clusters without a namespace sharing a serverName: not denied (reported as not checked)", notChecked: true,
      resource: named("pg-b", { plugins: onStore("shared", "pg") }, null),
      lookups: [named("pg-a", { plugins: onStore("shared", "pg") }, null), store("shared", "s3://b/")],
    },
    { name: "no archive at all", resource: named("pg", { instances: 1 }), lookups: [named("other", { instances: 1 })] },
    {
      name: "wrong types everywhere",
      resource: named("pg", { plugins: [{ name: PLUGIN, parameters: "x" }, 5], externalClusters: "x", bootstrap: { recovery: { source: 3 } }, backup: { barmanObjectStore: { destinationPath: 7 } } }),
      lookups: [named("other", { plugins: "x" }), { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: 5 } } as unknown as Resource],
    },
    { name: "realistic: a restored Cluster archiving under a new serverName", resource: LEDGER_CLUSTER, lookups: lookupsAll() },
    { name: "realistic: one store per Cluster", resource: SHOP_CLUSTER, lookups: lookupsAll() },
  ],
  invalid: [
    {
      name: "two Clusters sharing one ObjectStore and serverName",
      resource: named("pg-new", { plugins: onStore("shared", "pg") }),
      lookups: [named("pg", { plugins: onStore("shared") }), store("shared", "s3://backups/pg/")],
      problems: [
        {
          path: "spec.plugins[0].parameters.barmanObjectName",
          message: /ObjectStore "shared" \(s3:\/\/backups\/pg\) under serverName "pg", and so does Cluster "db\/pg" \(spec\.plugins\[0\]\.parameters\.barmanObjectName\).*set spec\.plugins\[0\]\.parameters\.serverName: "pg-2"/,
        },
      ],
    },
    {
      name: "the ObjectStore need not be known: the same name in the same namespace is the same store",
      resource: named("pg-new", { plugins: onStore("shared", "pg") }),
      lookups: [named("pg", { plugins: onStore("shared") })],
      problems: [{ message: /ObjectStore "shared" under serverName "pg"/ }],
    },
    {
      name: "different ObjectStores (even in other namespaces) with the same destinationPath",
      resource: named("pg", { plugins: onStore("mine") }, "team-a"),
      lookups: [named("x", { plugins: onStore("theirs", "pg") }, "team-b"), store("mine", "s3://b/pg", "team-a"), store("theirs", "s3://b/pg/", "team-b")],
      problems: [{ message: /Cluster "team-b\/x"/ }],
    },
    {
      name: "in-tree destinationPath and serverName shared with a plugin Cluster",
      resource: named("pg-v2", { backup: { barmanObjectStore: bos("s3://b/", "pg") } }),
      lookups: [named("pg", { plugins: onStore("store") }), store("store", "s3://b")],
      problems: [{ path: "spec.backup.barmanObjectStore", message: /destinationPath s3:\/\/b under serverName "pg".*spec\.backup\.barmanObjectStore\.serverName: "pg-2"/ }],
    },
    {
      name: "recovery into the source's own archive (plugin: the source's serverName defaults to this Cluster's name)",
      resource: named("pg", recoverFrom({ plugin: { name: PLUGIN, parameters: { barmanObjectName: "store" } } }, onStore("store"))),
      lookups: [KNOWN],
      problems: [
        {
          path: "spec.plugins[0].parameters.barmanObjectName",
          message: /spec\.bootstrap\.recovery\.source reads .* from ObjectStore "store" under serverName "pg".*Expected empty archive.*set spec\.plugins\[0\]\.parameters\.serverName: "pg-2"/,
        },
      ],
    },
    {
      name: "recovery into the source's own archive, explicit serverNames, ObjectStores known by path",
      resource: named("pg", recoverFrom({ plugin: { name: PLUGIN, parameters: { barmanObjectName: "old-store", serverName: "pg-7" } } }, onStore("new-store", "pg-7"))),
      lookups: [KNOWN, store("old-store", "s3://b/x"), store("new-store", "s3://b/x/")],
      problems: [{ message: /serverName: "pg-8"/ }],
    },
    {
      name: "in-tree: external cluster named like this Cluster, no serverName anywhere",
      resource: named("pg", { bootstrap: { recovery: { source: "pg" } }, externalClusters: [{ name: "pg", barmanObjectStore: bos("s3://b/") }], backup: { barmanObjectStore: bos("s3://b") } }),
      lookups: [KNOWN],
      problems: [{ path: "spec.backup.barmanObjectStore" }],
    },
    {
      name: "a replica cluster archiving into its source's archive",
      resource: named("pg", { replica: { enabled: true, source: "origin" }, externalClusters: [{ name: "origin", plugin: { name: PLUGIN, parameters: { barmanObjectName: "s", serverName: "pg" } } }], plugins: onStore("s") }),
      lookups: [KNOWN],
      problems: [{ message: /spec\.replica\.source reads/ }],
    },
    {
      name: "${APP} placeholders resolve the same way within one Cluster: recovery into its own archive",
      resource: named("${APP}", recoverFrom({ plugin: { name: PLUGIN, parameters: { barmanObjectName: "${APP}-store" } } }, onStore("${APP}-store"))),
      lookups: [KNOWN],
      problems: [{ message: /serverName "\$\{APP\}"/ }],
    },
    {
      name: "isWALArchiver false still archives (CNPG sends WAL to every enabled plugin)",
      resource: named("pg-b", { plugins: [plugin({ barmanObjectName: "shared", serverName: "pg" }, { isWALArchiver: false })] }),
      lookups: [named("pg", { plugins: onStore("shared") })],
      problems: [{ message: /and so does Cluster "db\/pg"/ }],
    },
    {
      name: "no namespaces: a would-be collision is reported as not checked",
      resource: named("pg-b", { plugins: onStore("shared", "pg") }, null),
      lookups: [named("pg", { plugins: onStore("shared") }, null), store("shared", "s3://b/", "db")],
      problems: [{ notChecked: true, message: /this Cluster's namespace is not set here/ }],
    },
    {
      name: "Clusters unknown: the comparison with other Clusters is not checked",
      resource: named("pg", { plugins: onStore("shared") }),
      problems: [{ notChecked: true }],
    },
    {
      name: "realistic: a restored Cluster whose archive serverName was dropped (defaults to its name, the source's)",
      resource: swap(LEDGER_CLUSTER, "        serverName: ledger-db-v2\n", ""),
      lookups: lookupsAll(),
      problems: [{ path: "spec.plugins[0].parameters.barmanObjectName", message: /from ObjectStore "ledger-store" .* under serverName "ledger-db".*serverName: "ledger-db-2"/ }],
    },
  ],
});

test("nextServerName counts a trailing number up, else appends -2, avoiding taken names", () => {
  assert.equal(nextServerName("pg"), "pg-2");
  assert.equal(nextServerName("pg-2"), "pg-3");
  assert.equal(nextServerName("pg-2", new Set(["pg-3"])), "pg-4");
  assert.equal(nextServerName("a".repeat(5) + "1".repeat(20)), `${"a".repeat(5)}${"1".repeat(20)}-2`);
});

test("linear on many Clusters: thousands of Clusters are checked quickly", () => {
  const others = Array.from({ length: 3000 }, (_, i) => named(`pg-${i}`, { plugins: onStore("shared") }, i % 2 ? "db" : null));
  const start = performance.now();
  const problems = runCase(rule, { resource: named("pg-new", { plugins: onStore("shared", "pg-7") }), lookups: [...others, store("shared", "s3://b/")] });
  assert.ok(performance.now() - start < 2000);
  assert.equal(problems.filter((p) => !p.notChecked).length, 1);
});

// End to end: the CLI over a directory of files (every object is both validated and looked up) and the webhook
// handler (other Clusters from its lookups), with the same verdicts.
const RULE = "cnpg-archive-destination-unique";

const repo = (files: Record<string, string>): string => writeTree(files, "pgbg-archive-");

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
