// `pg-backup-guard audit` against a fake API server: paginated lists, the engine with the audit-only rules, policy
// from the cluster or --policy, the text/json formats, exit codes and PolicyReports written in place.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { Ajv2020 } from "ajv/dist/2020.js";
import { run } from "../cli/run.ts";
import { evaluate } from "../../src/engine/engine.ts";
import { recommendedPolicy } from "../../src/policy/builtin.ts";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import type { Resource } from "../../src/engine/types.ts";
import { withFakeApi, type FakeApi, type Obj } from "./fake-api.ts";

const BARMAN = "barman-cloud.cloudnative-pg.io";
const OLD = "2025-10-01T00:00:00Z";
// run.ts's clock: 2026-01-15T12:00:00Z.
const RECENT = "2026-01-15T00:00:00Z";

function cluster(ns: string, name: string, store: string, status?: Obj): Obj {
  return {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: { name, namespace: ns, uid: `uid-${ns}-${name}`, creationTimestamp: OLD },
    spec: {
      instances: 2,
      storage: { size: "1Gi" },
      postgresql: { parameters: { archive_timeout: "5min" } },
      backup: { target: "prefer-standby" },
      plugins: [{ name: BARMAN, isWALArchiver: true, parameters: { barmanObjectName: store } }],
    },
    ...(status ? { status } : {}),
  };
}

function store(ns: string, name: string, window?: Obj): Obj {
  return {
    apiVersion: "barmancloud.cnpg.io/v1",
    kind: "ObjectStore",
    metadata: { name, namespace: ns },
    spec: { retentionPolicy: "14d", configuration: { destinationPath: `s3://backups/${ns}/${name}`, s3Credentials: { inheritFromIAMRole: true } } },
    ...(window ? { status: { serverRecoveryWindow: window } } : {}),
  };
}

function scheduled(ns: string, name: string, clusterName: string): Obj {
  return {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "ScheduledBackup",
    metadata: { name, namespace: ns },
    spec: { schedule: "0 0 0 * * *", cluster: { name: clusterName }, method: "plugin", pluginConfiguration: { name: BARMAN }, backupOwnerReference: "self" },
  };
}

const ARCHIVING_OK = { conditions: [{ type: "ContinuousArchiving", status: "True", reason: "ContinuousArchivingSuccess" }] };
const ARCHIVING_FAILED = {
  conditions: [{ type: "ContinuousArchiving", status: "False", reason: "ContinuousArchivingFailing", message: "exit status 4", lastTransitionTime: "2026-01-14T12:00:00Z" }],
};

/** db: every audit-only rule fires; ok: clean; bulk: many Clusters, so lists take several pages. */
function seed(api: FakeApi, extra: (api: FakeApi) => void = () => {}): void {
  const clusters = [
    cluster("db", "pg", "store", ARCHIVING_FAILED),
    cluster("ok", "good", "good-store", ARCHIVING_OK),
    ...Array.from({ length: 7 }, (_, i) => cluster("bulk", `c${i}`, "bulk-store", ARCHIVING_OK)),
  ];
  api.store.set("postgresql.cnpg.io/v1/clusters", clusters);
  api.store.set("postgresql.cnpg.io/v1/scheduledbackups", [
    scheduled("db", "orphan", "gone"),
    scheduled("ok", "good-daily", "good"),
    ...Array.from({ length: 7 }, (_, i) => scheduled("bulk", `c${i}-daily`, `c${i}`)),
  ]);
  api.store.set("postgresql.cnpg.io/v1/backups", [
    { apiVersion: "postgresql.cnpg.io/v1", kind: "Backup", metadata: { name: "good-1", namespace: "ok" }, spec: { cluster: { name: "good" }, method: "plugin", pluginConfiguration: { name: BARMAN } }, status: { phase: "completed" } },
  ]);
  api.store.set("barmancloud.cnpg.io/v1/objectstores", [
    store("db", "store"),
    store("ok", "good-store", { good: { lastSuccessfulBackupTime: RECENT } }),
    store("bulk", "bulk-store", Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`c${i}`, { lastSuccessfulBackupTime: RECENT }]))),
  ]);
  api.store.set("snapshot.storage.k8s.io/v1/volumesnapshotclasses", [
    { apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "csi", uid: "uid-csi" }, driver: "hostpath.csi.k8s.io", deletionPolicy: "Delete" },
  ]);
  api.store.set("v1/namespaces", ["db", "ok", "bulk"].map((name) => ({ metadata: { name } })));
  api.store.set("pgbackupguard.io/v1alpha1/backuppolicies", []);
  extra(api);
}


interface JsonReport {
  summary: { resources: number; denied: number; warned: number };
  results: { kind: string; namespace: string | null; name: string; findings: { rule: string; action: string; path: string; message: string }[] }[];
}

function rulesOf(report: JsonReport, ns: string, name: string): string[] {
  return report.results.find((r) => r.namespace === ns && r.name === name)?.findings.map((f) => f.rule) ?? [];
}

describe("audit against a fake API server", () => {
  it("lists every page, finds each audit-only rule and exits 1", async () => {
    await withFakeApi(seed, async (api) => {
      const r = await run(["audit", "--kubeconfig", api.kubeconfig, "--context", "x", "-o", "json"]);
      assert.equal(r.code, 1, r.stderr);
      const report = JSON.parse(r.stdout) as JsonReport;
      assert.ok(rulesOf(report, "db", "pg").includes("cnpg-scheduled-backup-missing"), r.stdout);
      assert.ok(rulesOf(report, "db", "pg").includes("backup-stale"));
      assert.ok(rulesOf(report, "db", "pg").includes("wal-archiving-failing"));
      assert.deepEqual(rulesOf(report, "db", "orphan"), ["cnpg-backup-cluster-exists"]);
      assert.deepEqual(rulesOf(report, "ok", "good"), [], JSON.stringify(report.results.find((x) => x.name === "good")));
      assert.equal(report.results.filter((x) => x.namespace === "bulk" && x.kind === "Cluster").length, 7);
      for (const x of report.results.filter((y) => y.namespace === "bulk" || y.namespace === "ok")) assert.deepEqual(x.findings, [], `${x.kind} ${x.name}`);
      // 9 Clusters + 9 ScheduledBackups + 1 Backup + 3 ObjectStores + 1 VolumeSnapshotClass.
      assert.equal(report.summary.resources, 23);
      const clusterLists = api.requests.filter((q) => q.startsWith("GET /apis/postgresql.cnpg.io/v1/clusters?"));
      assert.ok(clusterLists.every((q) => /limit=500/.test(q)), clusterLists.join("\n"));
    });
  });

  it("follows `continue` when the server answers in small pages", async () => {
    await withFakeApi(seed, async (api) => {
      const { kubeLookups } = await import("../../src/cli/kube-lookups.ts");
      const out = await kubeLookups(api.kubeconfig, 5000, { context: "x", pageSize: 2, extra: [{ group: "postgresql.cnpg.io", version: "v1", plural: "backups", kind: "Backup" }] });
      assert.ok(out.ok, out.ok ? "" : out.message);
      assert.equal(out.lookups.list("Cluster")?.length, 9);
      assert.equal(out.lookups.list("ScheduledBackup")?.length, 9);
      const pages = api.requests.filter((q) => q.startsWith("GET /apis/postgresql.cnpg.io/v1/clusters?"));
      assert.equal(pages.length, 5, pages.join("\n"));
      assert.match(pages[1]!, /continue=2/);
      assert.equal(out.extra.get("backups")?.[0]?.kind, "Backup");
    });
  });

  it("text: grouped by namespace, worst first; clean namespaces only counted", async () => {
    await withFakeApi(seed, async (api) => {
      const r = await run(["audit", "--kubeconfig", api.kubeconfig, "--context", "x"]);
      assert.equal(r.code, 1);
      const lines = r.stdout.split("\n");
      const heads = lines.filter((l) => /^(namespace |cluster-scoped)/.test(l)).map((l) => l.split("  ")[0]);
      assert.equal(heads[0], "namespace db", r.stdout);
      assert.deepEqual([...heads].sort(), ["cluster-scoped", "namespace bulk", "namespace db", "namespace ok"]);
      assert.match(r.stdout, /^  Cluster pg  denied$/m);
      assert.match(r.stdout, /^    deny  wal-archiving-failing  status\.conditions\[0\]: WAL archiving is failing since 2026-01-14T12:00:00\.000Z \(1d ago\)/m);
      assert.doesNotMatch(r.stdout, /Cluster good/);
      assert.match(r.stdout, /23 resources audited in 4 namespaces, 2 denied, 0 with warnings, 21 clean/);
      assert.equal(r.stderr, "", "no progress line off a terminal");
    });
  });

  it("a progress line on stderr on a terminal", async () => {
    await withFakeApi(seed, async (api) => {
      const r = await run(["audit", "--kubeconfig", api.kubeconfig, "--context", "x"], { isTTY: true, env: { NO_COLOR: "1" } });
      assert.match(r.stderr, /listing clusters: 9/);
    });
  });

  it("--namespace reports one namespace (lookups still cluster-wide)", async () => {
    await withFakeApi(seed, async (api) => {
      const r = await run(["audit", "--kubeconfig", api.kubeconfig, "--context", "x", "-n", "ok", "-o", "json"]);
      assert.equal(r.code, 0, r.stdout);
      const report = JSON.parse(r.stdout) as JsonReport;
      assert.deepEqual([...new Set(report.results.map((x) => x.namespace))], ["ok"]);
      const both = await run(["audit", "--kubeconfig", api.kubeconfig, "-n", "ok", "-A"]);
      assert.equal(both.code, 2);
      assert.match(both.stderr, /not both/);
    });
  });

  it("the cluster's BackupPolicies apply; --policy FILE replaces them; an invalid one exits 2", async () => {
    const off = { apiVersion: "pgbackupguard.io/v1alpha1", kind: "BackupPolicy", metadata: { name: "no-stale", uid: "x", resourceVersion: "1" }, spec: { rules: { "backup-stale": { action: "off" } } } };
    await withFakeApi((api) => seed(api, (a) => a.store.set("pgbackupguard.io/v1alpha1/backuppolicies", [off])), async (api) => {
      const r = await run(["audit", "--kubeconfig", api.kubeconfig, "--context", "x", "-o", "json"]);
      const report = JSON.parse(r.stdout) as JsonReport;
      assert.ok(!rulesOf(report, "db", "pg").includes("backup-stale"), r.stdout);
      assert.ok(rulesOf(report, "db", "pg").includes("wal-archiving-failing"));
      const dir = mkdtempSync(join(tmpdir(), "pgbg-audit-policy-"));
      try {
        const file = join(dir, "p.yaml");
        writeFileSync(file, "apiVersion: pgbackupguard.io/v1alpha1\nkind: BackupPolicy\nmetadata: {name: file}\nspec:\n  rules:\n    wal-archiving-failing: {action: warn}\n");
        const listed = api.requests.filter((q) => q.includes("backuppolicies")).length;
        const f = await run(["audit", "--kubeconfig", api.kubeconfig, "--context", "x", "-o", "json", "--policy", file]);
        assert.equal(api.requests.filter((q) => q.includes("backuppolicies")).length, listed, "with --policy the cluster's BackupPolicies are not read");
        const fr = JSON.parse(f.stdout) as JsonReport;
        const pg = fr.results.find((x) => x.name === "pg")!;
        assert.ok(pg.findings.some((x) => x.rule === "backup-stale"), "the cluster's policy is not used with --policy");
        assert.equal(pg.findings.find((x) => x.rule === "wal-archiving-failing")?.action, "warn");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
    const bad = { ...off, spec: { rules: { "no-such-rule": { action: "off" } } } };
    await withFakeApi((api) => seed(api, (a) => a.store.set("pgbackupguard.io/v1alpha1/backuppolicies", [bad])), async (api) => {
      const r = await run(["audit", "--kubeconfig", api.kubeconfig, "--context", "x"]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /invalid policy: BackupPolicy no-stale/);
    });
  });

  it("no BackupPolicy CRD: the built-in policy; BackupPolicies forbidden: exit 2 with what to do", async () => {
    await withFakeApi((api) => seed(api, (a) => a.store.delete("pgbackupguard.io/v1alpha1/backuppolicies")), async (api) => {
      const r = await run(["audit", "--kubeconfig", api.kubeconfig, "--context", "x"]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /policy: builtin:recommended\)/);
    });
    await withFakeApi((api) => seed(api, (a) => a.forbidden.add("backuppolicies")), async (api) => {
      const r = await run(["audit", "--kubeconfig", api.kubeconfig, "--context", "x"]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /cannot read the cluster's BackupPolicies.*--policy FILE/);
    });
  });

  it("kubeconfig problems exit 2: unknown context, unreachable current context", async () => {
    await withFakeApi(seed, async (api) => {
      const missing = await run(["audit", "--kubeconfig", api.kubeconfig, "--context", "nope"]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /has no context "nope" \(it has x, dead\)/);
      const dead = await run(["audit", "--kubeconfig", api.kubeconfig]);
      assert.equal(dead.code, 2);
      assert.match(dead.stderr, /cannot reach the API server at http:\/\/127\.0\.0\.1:1/);
      const path = await run(["audit", "somewhere.yaml"]);
      assert.equal(path.code, 2);
    });
  });

  it("junit and sarif come from the shared formatters", async () => {
    await withFakeApi(seed, async (api) => {
      const j = await run(["audit", "--kubeconfig", api.kubeconfig, "--context", "x", "-o", "junit"]);
      assert.match(j.stdout, /<testsuite name="namespace\/db"/);
      assert.match(j.stdout, /<testcase name="backup-stale" classname="Cluster db\/pg" time="0">\n\s+<failure/);
      const s = JSON.parse((await run(["audit", "--kubeconfig", api.kubeconfig, "--context", "x", "-o", "sarif"])).stdout);
      assert.ok(s.runs[0].results.some((x: { ruleId: string }) => x.ruleId === "cnpg-backup-cluster-exists"));
    });
  });
});

describe("audit-only rules never run outside the audit", () => {
  const stale: Resource = {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: { name: "pg", namespace: "db", creationTimestamp: OLD },
    spec: { instances: 2, plugins: [{ name: BARMAN, isWALArchiver: true, parameters: { barmanObjectName: "s" } }] },
    status: ARCHIVING_FAILED,
  };
  const ctx = { policy: recommendedPolicy(), lookups: new InventoryLookups([store("db", "s")], { known: ["ScheduledBackup"] }), now: new Date("2026-01-15T12:00:00Z") };
  const AUDIT_IDS = ["cnpg-scheduled-backup-missing", "backup-stale", "wal-archiving-failing"];

  it("evaluate without mode (webhook, validate): none of them", () => {
    const ids = evaluate(stale, ctx).findings.map((f) => f.rule);
    for (const id of AUDIT_IDS) assert.ok(!ids.includes(id), id);
  });

  it("evaluate with mode audit: all of them", () => {
    const ids = evaluate(stale, { ...ctx, mode: "audit" }).findings.map((f) => f.rule);
    for (const id of AUDIT_IDS) assert.ok(ids.includes(id), `${id} in ${ids.join(", ")}`);
  });

  it("validate neither reports them nor lists them as JUnit testcases", async () => {
    const r = await run(["validate", "-", "-o", "junit"], { stdin: JSON.stringify(stale) });
    for (const id of [...AUDIT_IDS, "cnpg-backup-cluster-exists"]) assert.doesNotMatch(r.stdout, new RegExp(`name="${id}"`));
  });
});

// ---- PolicyReports ----

const CRDS = parseAllDocuments(readFileSync(join(import.meta.dirname, "fixtures", "wgpolicyk8s-v1alpha2-crds.yaml"), "utf8")).map((d) => d.toJS() as Obj);

/** The CRD's schema, strict: a field it does not know would be pruned by the API server, so it is an error here. */
function strict(schema: Obj): Obj {
  const copy = structuredClone(schema);
  const walk = (s: Obj, path: string) => {
    if (s.type === "object" && s.properties && path !== "metadata") s.additionalProperties = false;
    for (const [k, v] of Object.entries<Obj>(s.properties ?? {})) walk(v, k);
    if (s.items) walk(s.items, path);
  };
  walk(copy, "");
  return copy;
}

function validator(kind: string) {
  const crd = CRDS.find((c) => c.spec.names.kind === kind)!;
  const schema = crd.spec.versions.find((v: Obj) => v.name === "v1alpha2").schema.openAPIV3Schema;
  return new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(strict(schema));
}

function reportsStore(api: FakeApi, existing: Obj[] = []): void {
  api.store.set("wgpolicyk8s.io/v1alpha2/policyreports", existing);
  api.store.set("wgpolicyk8s.io/v1alpha2/clusterpolicyreports", []);
}

describe("audit --policy-reports", () => {
  const managed = { "app.kubernetes.io/managed-by": "pg-backup-guard" };
  const leftover = { apiVersion: "wgpolicyk8s.io/v1alpha2", kind: "PolicyReport", metadata: { name: "pg-backup-guard", namespace: "old", labels: managed, resourceVersion: "5" }, results: [] };
  const foreign = { apiVersion: "wgpolicyk8s.io/v1alpha2", kind: "PolicyReport", metadata: { name: "kyverno-x", namespace: "db", resourceVersion: "6" }, results: [] };

  it("writes one PolicyReport per namespace and a ClusterPolicyReport that validate against the CRD", async () => {
    await withFakeApi((api) => seed(api, (a) => reportsStore(a, [structuredClone(leftover), structuredClone(foreign)])), async (api) => {
      const r = await run(["audit", "--kubeconfig", api.kubeconfig, "--context", "x", "-o", "json", "--policy-reports"]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /policy reports: 4 written, 1 stale removed/);
      const reports = api.store.get("wgpolicyk8s.io/v1alpha2/policyreports")!;
      assert.deepEqual(reports.map((x) => `${x.metadata.namespace}/${x.metadata.name}`).sort(), ["bulk/pg-backup-guard", "db/kyverno-x", "db/pg-backup-guard", "ok/pg-backup-guard"]);
      const validate = validator("PolicyReport");
      for (const rep of reports.filter((x) => x.metadata.name === "pg-backup-guard")) {
        assert.ok(validate(rep), `${rep.metadata.namespace}: ${JSON.stringify(validate.errors)}`);
        const counts = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 } as Record<string, number>;
        for (const x of rep.results) counts[x.result] = (counts[x.result] ?? 0) + 1;
        assert.deepEqual(rep.summary, counts);
        assert.equal(rep.metadata.labels["app.kubernetes.io/managed-by"], "pg-backup-guard");
      }
      const db = reports.find((x) => x.metadata.namespace === "db" && x.metadata.name === "pg-backup-guard")!;
      const fails = db.results.filter((x: Obj) => x.result === "fail");
      assert.deepEqual([...new Set(fails.map((x: Obj) => x.policy))].sort(), ["backup-stale", "cnpg-backup-cluster-exists", "cnpg-scheduled-backup-missing", "wal-archiving-failing"]);
      const stale = fails.find((x: Obj) => x.policy === "backup-stale");
      assert.deepEqual(stale.resources, [{ apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", name: "pg", namespace: "db", uid: "uid-db-pg" }]);
      assert.equal(stale.severity, "high");
      assert.equal(stale.source, "pg-backup-guard");
      assert.equal(stale.timestamp.seconds, Date.parse("2026-01-15T12:00:00Z") / 1000);
      assert.ok(db.results.some((x: Obj) => x.result === "pass"), "passing rules are reported too");
      const cluster = api.store.get("wgpolicyk8s.io/v1alpha2/clusterpolicyreports")!;
      assert.equal(cluster.length, 1);
      assert.ok(validator("ClusterPolicyReport")(cluster[0]), JSON.stringify(cluster[0]));
      // No rule applies to VolumeSnapshotClasses (they are lookups), so the cluster report has no results yet.
      assert.deepEqual(cluster[0]!.summary, { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 });
      assert.equal(cluster[0]!.metadata.namespace, undefined);
    });
  });

  it("a second run replaces results in place and drops the stale ones", async () => {
    await withFakeApi((api) => seed(api, reportsStore), async (api) => {
      await run(["audit", "--kubeconfig", api.kubeconfig, "--context", "x", "--policy-reports"]);
      const first = api.store.get("wgpolicyk8s.io/v1alpha2/policyreports")!.find((x) => x.metadata.namespace === "db")!;
      // Fixed meanwhile: archiving works again, the orphan ScheduledBackup is gone; bulk is emptied.
      const clusters = api.store.get("postgresql.cnpg.io/v1/clusters")!;
      clusters.find((c) => c.metadata.name === "pg")!.status = ARCHIVING_OK;
      api.store.set("postgresql.cnpg.io/v1/clusters", clusters.filter((c) => c.metadata.namespace !== "bulk"));
      api.store.set("postgresql.cnpg.io/v1/scheduledbackups", api.store.get("postgresql.cnpg.io/v1/scheduledbackups")!.filter((s) => s.metadata.name !== "orphan" && s.metadata.namespace !== "bulk"));
      api.store.set("barmancloud.cnpg.io/v1/objectstores", api.store.get("barmancloud.cnpg.io/v1/objectstores")!.filter((s) => s.metadata.namespace !== "bulk"));
      const r = await run(["audit", "--kubeconfig", api.kubeconfig, "--context", "x", "--policy-reports"]);
      assert.match(r.stderr, /policy reports: 3 written, 1 stale removed/);
      const reports = api.store.get("wgpolicyk8s.io/v1alpha2/policyreports")!;
      assert.deepEqual(reports.map((x) => x.metadata.namespace).sort(), ["db", "ok"]);
      const db = reports.find((x) => x.metadata.namespace === "db")!;
      assert.equal(db.metadata.uid, first.metadata.uid, "replaced in place, not recreated");
      assert.ok(Number(db.metadata.resourceVersion) > Number(first.metadata.resourceVersion));
      const failing = db.results.filter((x: Obj) => x.result === "fail").map((x: Obj) => x.policy);
      assert.ok(!failing.includes("wal-archiving-failing") && !failing.includes("cnpg-backup-cluster-exists"), failing.join(", "));
      assert.ok(failing.includes("backup-stale"));
      assert.ok(api.writes.some((w) => w.method === "PUT" && w.path.endsWith("/namespaces/db/policyreports/pg-backup-guard")));
    });
  });

  it("--namespace writes only that namespace's report and leaves the cluster report alone", async () => {
    await withFakeApi((api) => seed(api, (a) => reportsStore(a, [structuredClone(leftover)])), async (api) => {
      const r = await run(["audit", "--kubeconfig", api.kubeconfig, "--context", "x", "-n", "ok", "--policy-reports"]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(api.store.get("wgpolicyk8s.io/v1alpha2/policyreports")!.map((x) => x.metadata.namespace).sort(), ["ok", "old"]);
      assert.deepEqual(api.store.get("wgpolicyk8s.io/v1alpha2/clusterpolicyreports"), []);
    });
  });

  it("not allowed to write, or no CRD: exit 2 naming the fix", async () => {
    await withFakeApi((api) => seed(api, (a) => (reportsStore(a), a.forbidden.add("policyreports"))), async (api) => {
      const r = await run(["audit", "--kubeconfig", api.kubeconfig, "--context", "x", "--policy-reports"]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /forbidden \(HTTP 403\).*deploy\/overlays\/audit-policy-reports/);
    });
    await withFakeApi(seed, async (api) => {
      const r = await run(["audit", "--kubeconfig", api.kubeconfig, "--context", "x", "--policy-reports"]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /wgpolicyk8s\.io\/v1alpha2 CRDs installed/);
    });
  });
});
