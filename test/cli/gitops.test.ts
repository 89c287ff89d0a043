// Validate on repositories shaped the way real GitOps repos are: namespaces set outside the files, Flux
// placeholders, other CNPG plugins, raw Helm templates. A false denial here is the worst bug the tool can have.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./run.ts";
import { writeTree } from "../helpers/shared.ts";

const repo = (files: Record<string, string>): string => writeTree(files, "pgbg-gitops-");

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

test("a kustomization's namespace: applies to the files it lists (overriding theirs); --namespace fills the rest", async () => {
  const dir = repo({
    "apps/db/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: apps\nresources: [cluster.yaml, schedule.yaml]\n",
    "apps/db/cluster.yaml": CLUSTER_NO_NS,
    "apps/db/schedule.yaml": SCHEDULE,
    "infra/store.yaml": STORE("apps"),
    "infra/other-store.yaml": STORE("other").replace("name: app-db-store", "name: unrelated"),
  });
  const { code, out } = await validateJson([dir, "--namespace", "elsewhere"]);
  const byName = Object.fromEntries(out.results.map((r: any) => [`${r.kind}/${r.name}`, r.namespace]));
  assert.equal(byName["Cluster/app-db"], "apps", "from the kustomization, not --namespace");
  assert.equal(byName["ScheduledBackup/app-db-daily"], "apps");
  assert.equal(byName["ObjectStore/app-db-store"], "apps");
  assert.deepEqual(denials(out), []);
  assert.equal(code, 0);
  // The kustomization moves the Cluster away from its store: now the store really is missing there.
  const moved = repo({
    "db/kustomization.yaml": "namespace: staging\nresources: [cluster.yaml]\n",
    "db/cluster.yaml": CLUSTER_NO_NS.replace("  name: app-db\n", "  name: app-db\n  namespace: apps\n"),
    "store.yaml": STORE("apps"),
  });
  const m = await validateJson([moved]);
  assert.deepEqual(denials(m.out), ["Cluster/app-db: cnpg-object-store-exists"]);
  assert.equal(m.out.results.find((r: any) => r.kind === "Cluster").namespace, "staging");
});

test("Flux placeholders: not checked without values, substituted with --var / --vars-file", async () => {
  const flux = CLUSTER_NO_NS.replace("name: app-db\n", "name: ${APP}-db\n").replace("barmanObjectName: app-db-store", "barmanObjectName: ${APP}-store");
  const store = STORE("apps").replace("name: app-db-store", "name: shop-store");
  const dir = repo({ "cluster.yaml": flux, "store.yaml": store });
  const raw = await validateJson([dir]);
  assert.deepEqual(denials(raw.out), [], "an unresolved name is never a denial");
  const cluster = raw.out.results.find((r: any) => r.kind === "Cluster");
  assert.ok(cluster.notChecked.some((n: any) => n.rule === "cnpg-object-store-exists" && /\$\{APP\}/.test(n.reason)));

  const shop = await validateJson([dir, "--var", "APP=shop"]);
  assert.equal(shop.out.results.find((r: any) => r.kind === "Cluster").name, "shop-db");
  assert.deepEqual(denials(shop.out), []);
  const wrong = await validateJson([dir, "--var", "APP=blog"]);
  assert.deepEqual(denials(wrong.out), ["Cluster/blog-db: cnpg-object-store-exists"]);

  const vars = join(repo({}), "cluster-vars.yaml");
  writeFileSync(vars, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cluster-vars}\ndata:\n  APP: blog\n");
  const fromFile = await validateJson([dir, "--vars-file", vars, "--var", "APP=shop"]);
  assert.equal(fromFile.out.results.find((r: any) => r.kind === "Cluster").name, "shop-db", "--var overrides --vars-file");
  const partly = await run(["validate", dir, "--var", "OTHER=x"]);
  assert.match(partly.stderr, /note: no value for \$\{APP\}: left as written/);
  const bad = await run(["validate", dir, "--vars-file", join(dir, "missing.env")]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /missing\.env: cannot read: no such file or directory/);
});

test("a directory with a raw Helm chart, kustomize patches and encrypted files validates the rest", async () => {
  const dir = repo({
    "charts/db/Chart.yaml": "apiVersion: v2\nname: db\nversion: 0.1.0\n",
    "charts/db/templates/cluster.yaml": "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: {{ .Release.Name }}\n",
    "base/kustomization.yaml": "resources: [cluster.yaml]\npatches:\n- path: patch.yaml\n",
    "base/cluster.yaml": CLUSTER_NO_NS,
    "base/patch.yaml": "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: app-db}\nspec: {instances: 1}\n",
    "base/store.yaml": STORE(),
    "secrets/creds.enc.yaml": "sops:\n  version: 3.9.0\nbroken: [\n",
  });
  const r = await run(["validate", dir, "--exclude", "*.enc.yaml", "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.results.map((x: any) => `${x.kind}/${x.name}`), ["Cluster/app-db", "ObjectStore/app-db-store"]);
  assert.match(r.stderr, /charts[/\\]db: skipped: a Helm chart's templates \(1 file, not rendered\); .*helm template/);
  assert.match(r.stderr, /patch\.yaml: skipped: a kustomize patch/);
  const unexcluded = await run(["validate", dir]);
  assert.equal(unexcluded.code, 2, "other unparsable YAML is still an error");
  assert.match(unexcluded.stderr, /creds\.enc\.yaml:\d+:\d+: /);
});

test("--fail-on warn, --quiet and --output", async () => {
  const warnOnly = `apiVersion: postgresql.cnpg.io/v1
kind: ScheduledBackup
metadata: {name: nightly, namespace: db}
spec:
  schedule: "0 0 3 * * *"
  backupOwnerReference: self
  cluster: {name: pg}
  pluginConfiguration: {name: barman-cloud.cloudnative-pg.io}
`;
  const dir = repo({ "sb.yaml": warnOnly, "store.yaml": STORE("db") });
  const plain = await run(["validate", dir]);
  assert.equal(plain.code, 0, plain.stdout);
  assert.match(plain.stdout, /warn /);
  assert.match(plain.stdout, /ObjectStore\/db\/app-db-store|app-db-store/);
  const strict = await run(["validate", dir, "--fail-on", "warn"]);
  assert.equal(strict.code, 1);
  const quiet = await run(["validate", dir, "-q"]);
  assert.doesNotMatch(quiet.stdout, /app-db-store/, "clean resources are not listed");
  assert.match(quiet.stdout, /2 resources checked/);
  assert.equal(quiet.stderr, "");
  const file = join(repo({}), "report.sarif");
  const written = await run(["validate", dir, "--format", "sarif", "--output", file]);
  assert.equal(written.stdout, "");
  assert.equal(JSON.parse(readFileSync(file, "utf8")).version, "2.1.0");
  const unwritable = await run(["validate", dir, "--output", join(dir, "no", "such", "dir", "x.txt")]);
  assert.equal(unwritable.code, 2);
  assert.match(unwritable.stderr, /--output .*cannot write: ENOENT/);
  const badLevel = await run(["validate", dir, "--fail-on", "audit"]);
  assert.equal(badLevel.code, 2);
  assert.match(badLevel.stderr, /--fail-on must be one of deny, warn/);
});

test("--crd replaces a built-in schema; bad CRD input is exit 2 naming the file", async () => {
  // A CRD of a newer operator version with a default the built-in table does not have.
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: scheduledbackups.postgresql.cnpg.io}
spec:
  group: postgresql.cnpg.io
  names: {kind: ScheduledBackup, plural: scheduledbackups}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              schedule: {type: string}
              backupOwnerReference: {type: string, default: self}
              cluster: {type: object, properties: {name: {type: string}}}
              method: {type: string, default: plugin}
              pluginConfiguration: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;
  const sb = `apiVersion: postgresql.cnpg.io/v1
kind: ScheduledBackup
metadata: {name: nightly, namespace: db}
spec:
  schedule: "0 0 3 * * *"
  cluster: {name: pg}
  pluginConfiguration: {name: barman-cloud.cloudnative-pg.io}
  immediate: true
`;
  const dir = repo({ "sb.yaml": sb, "crds/sb.yaml": crd });
  const builtin = await validateJson([join(dir, "sb.yaml"), "--no-defaults"]);
  const own = await validateJson([join(dir, "sb.yaml"), "--no-defaults", "--crd", join(dir, "crds")]);
  const applied = (out: any) => out.results[0].apiServer.map((c: any) => `${c.kind} ${c.path}`);
  assert.ok(applied(own.out).includes("default spec.backupOwnerReference"));
  assert.ok(applied(own.out).includes("prune spec.immediate"), "a field the given CRD does not know is pruned");
  assert.ok(!applied(builtin.out).includes("prune spec.immediate"));
  for (const [text, pattern] of [
    ["kind: ConfigMap\napiVersion: v1\nmetadata: {name: x}\n", /--crd: no apiextensions\.k8s\.io\/v1 CustomResourceDefinition/],
    ["apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x.y}\nspec: [\n", /--crd: .*bad\.yaml:\d+/],
    [crd.replace("type: object\n        properties:\n          spec:", "type: object\n        properties:\n          spec:\n            x-kubernetes-int-or-string: 3\n           "), /--crd: .*bad\.yaml:1: CustomResourceDefinition scheduledbackups\.postgresql\.cnpg\.io/],
  ] as const) {
    const bad = join(repo({}), "bad.yaml");
    writeFileSync(bad, text);
    const r = await run(["validate", join(dir, "sb.yaml"), "--crd", bad]);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  }
});

test("a small GitOps repository (kustomize namespace, Flux placeholders, Dalibo plugin, raw Helm chart): no false denial", async () => {
  const dir = repo({
    "clusters/prod/kustomization.yaml": "resources: [../../apps/shop, ../../apps/reports]\n",
    "apps/shop/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources: [cluster.yaml, store.yaml, schedule.yaml]\n",
    "apps/shop/cluster.yaml": CLUSTER_NO_NS.replace("name: app-db\n", "name: ${APP:=shop}-db\n").replace("barmanObjectName: app-db-store", "barmanObjectName: ${APP:=shop}-db-store"),
    "apps/shop/store.yaml": STORE().replace("name: app-db-store", "name: ${APP:=shop}-db-store"),
    "apps/shop/schedule.yaml": SCHEDULE.replace("cluster: {name: app-db}", "cluster:\n    name: ${APP:=shop}-db"),
    "apps/reports/kustomization.yaml": "namespace: reports\nresources: [pgbackrest.yaml]\n",
    "apps/reports/pgbackrest.yaml": `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: {name: reports}
spec:
  instances: 2
  storage: {size: 5Gi}
  plugins:
  - name: pgbackrest.dalibo.com
    isWALArchiver: true
    parameters: {stanzaRef: reports}
---
apiVersion: postgresql.cnpg.io/v1
kind: ScheduledBackup
metadata: {name: reports-daily}
spec:
  schedule: "0 30 1 * * *"
  backupOwnerReference: self
  cluster: {name: reports}
  method: plugin
  pluginConfiguration: {name: pgbackrest.dalibo.com}
`,
    "charts/analytics/Chart.yaml": "apiVersion: v2\nname: analytics\nversion: 1.0.0\n",
    "charts/analytics/templates/cluster.yaml": "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: {{ include \"analytics.fullname\" . }}\nspec:\n  instances: {{ .Values.instances }}\n",
    "infra/raw-template.yaml": "{{- if .Values.enabled }}\napiVersion: v1\nkind: ConfigMap\n{{- end }}\n",
  });
  for (const args of [[dir], [dir, "--var", "APP=shop"], [dir, "--var", "OTHER=1"], [join(dir, "clusters"), join(dir, "apps")]]) {
    const { code, out, stderr } = await validateJson(args);
    assert.deepEqual(denials(out), [], args.join(" "));
    assert.equal(code, 0, stderr);
    const ns = Object.fromEntries(out.results.map((r: any) => [`${r.kind}/${r.name}`, r.namespace]));
    assert.equal(ns["Cluster/reports"], "reports");
    // Flux substitutes nothing when no variable is defined at all; with any variable, ${APP:=shop} takes its default.
    const name = args.includes("--var") ? "shop-db" : "${APP:=shop}-db";
    assert.equal(ns[`Cluster/${name}`], "shop", args.join(" "));
    assert.equal(ns[`ScheduledBackup/app-db-daily`], "shop");
    if (args[0] === dir) assert.match(stderr, /charts[/\\]analytics: skipped[^\n]*helm template/);
    if (args[0] === dir) assert.match(stderr, /raw-template\.yaml: skipped: looks like a Helm template/);
  }
});
