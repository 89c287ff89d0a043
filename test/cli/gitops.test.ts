// Validate on repositories shaped the way real GitOps repos are: namespaces set outside the files, Flux
// placeholders, other CNPG plugins, raw Helm templates. A false denial here is the worst bug the tool can have.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./run.ts";

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "pgbg-gitops-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const CLUSTER_NO_NS = `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: app-db
spec:
  instances: 3
  storage: {size: 10Gi}
  plugins:
  - name: barman-cloud.cloudnative-pg.io
    isWALArchiver: true
    parameters:
      barmanObjectName: app-db-store
`;
const STORE = (ns?: string) => `apiVersion: barmancloud.cnpg.io/v1
kind: ObjectStore
metadata:
  name: app-db-store
${ns ? `  namespace: ${ns}\n` : ""}spec:
  retentionPolicy: 30d
  configuration:
    destinationPath: s3://backups/app-db
    s3Credentials: {inheritFromIAMRole: true}
`;
const SCHEDULE = `apiVersion: postgresql.cnpg.io/v1
kind: ScheduledBackup
metadata:
  name: app-db-daily
spec:
  schedule: "0 0 2 * * *"
  backupOwnerReference: self
  cluster: {name: app-db}
  method: plugin
  pluginConfiguration: {name: barman-cloud.cloudnative-pg.io}
`;

async function validateJson(args: string[]) {
  const r = await run(["validate", ...args, "--format", "json"]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  return { code: r.code, out: JSON.parse(r.stdout), stderr: r.stderr };
}

function denials(out: any): string[] {
  return out.results.flatMap((r: any) => r.findings.filter((f: any) => f.action === "deny").map((f: any) => `${r.kind}/${r.name}: ${f.rule}`));
}

test("a namespace-less Cluster finds its ObjectStore that names a namespace, and the reverse", async () => {
  for (const [cluster, store] of [
    [CLUSTER_NO_NS, STORE("apps")],
    [CLUSTER_NO_NS.replace("  name: app-db\n", "  name: app-db\n  namespace: apps\n"), STORE()],
  ] as const) {
    const dir = repo({ "cluster.yaml": cluster, "store.yaml": store, "schedule.yaml": SCHEDULE });
    const { code, out } = await validateJson([dir]);
    assert.deepEqual(denials(out), []);
    assert.equal(code, 0);
  }
});

test("--namespace puts objects without one into a namespace: the lookup then needs the store there", async () => {
  const dir = repo({ "cluster.yaml": CLUSTER_NO_NS, "store.yaml": STORE("other") });
  const loose = await validateJson([dir]);
  assert.deepEqual(denials(loose.out), [], "unset namespace matches any");
  const strict = await validateJson([dir, "--namespace", "apps"]);
  assert.deepEqual(denials(strict.out), ["Cluster/app-db: cnpg-object-store-exists"]);
  assert.equal(strict.out.results[0].namespace, "apps");
  const bad = await run(["validate", dir, "--namespace", "Not_A_Namespace"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--namespace "Not_A_Namespace" is not a valid namespace name/);
});

test("a Cluster using Dalibo's pgBackRest plugin is not denied", async () => {
  const dalibo = `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: {name: pgbr}
spec:
  instances: 2
  storage: {size: 5Gi}
  plugins:
  - name: pgbackrest.dalibo.com
    isWALArchiver: true
    parameters: {stanzaRef: pgbr-stanza}
---
apiVersion: postgresql.cnpg.io/v1
kind: ScheduledBackup
metadata: {name: pgbr-daily}
spec:
  schedule: "0 30 1 * * *"
  backupOwnerReference: self
  cluster: {name: pgbr}
  method: plugin
  pluginConfiguration: {name: pgbackrest.dalibo.com}
`;
  const { code, out } = await validateJson([repo({ "db.yaml": dalibo })]);
  assert.deepEqual(denials(out), []);
  assert.equal(code, 0);
});

test("--no-defaults judges the manifests as written; every format lists injected defaults", async () => {
  const sb = `apiVersion: postgresql.cnpg.io/v1
kind: ScheduledBackup
metadata: {name: nightly, namespace: db}
spec:
  schedule: "0 0 3 * * *"
  cluster: {name: pg}
  method: plugin
  pluginConfiguration: {name: barman-cloud.cloudnative-pg.io}
`;
  const dir = repo({ "sb.yaml": sb });
  const withDefaults = await validateJson([dir]);
  const defaulted = withDefaults.out.results[0].defaulted;
  assert.deepEqual(
    defaulted.map((d: any) => [d.id, d.path, d.value]),
    [["cnpg-backup-owner-reference", "spec.backupOwnerReference", "self"]],
  );
  assert.ok(!withDefaults.out.results[0].findings.some((f: any) => f.rule === "cnpg-backup-owner-reference"));
  const asWritten = await validateJson([dir, "--no-defaults"]);
  assert.deepEqual(asWritten.out.results[0].defaulted, []);
  assert.ok(asWritten.out.results[0].findings.some((f: any) => f.rule === "cnpg-backup-owner-reference"));
  for (const [format, pattern] of [
    ["text", /note  cnpg-backup-owner-reference  default injected: set spec\.backupOwnerReference: "self"/],
    ["github", /::notice file=.*title=cnpg-backup-owner-reference .*::default injected: set spec\.backupOwnerReference/],
    ["junit", /defaults-and-pruning[\s\S]*cnpg-backup-owner-reference .*default injected/],
    ["sarif", /"ruleId": "cnpg-backup-owner-reference",\s*"level": "note"/],
  ] as const) {
    const r = await run(["validate", dir, "--format", format]);
    assert.match(r.stdout, pattern, format);
  }
});
