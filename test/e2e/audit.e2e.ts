// `pg-backup-guard audit` against a real API server: objects created while the webhook was switched off are found,
// statuses written through the status subresource make backup-stale and wal-archiving-failing fire, and
// --policy-reports writes PolicyReports that the API server stores under the wgpolicyk8s.io/v1alpha2 CRD schema.
// Run: node --test --test-concurrency=1 --test-timeout=900000 test/e2e/audit.e2e.ts
import assert from "node:assert/strict";
import { join } from "node:path";
import { before, it } from "node:test";
import type { Cluster } from "./cluster.ts";
import { repoRoot } from "./cluster.ts";
import { brokenCluster, cli, describeRun, namespace, objectStore, pluginCluster, yaml, type Obj } from "./helpers.ts";
import { e2eSuite } from "./suite.ts";

const BARMAN = "barman-cloud.cloudnative-pg.io";
/** Objects read back from the API server. */
type Json = Record<string, any>;
const CRDS = join(repoRoot, "test", "audit", "fixtures", "wgpolicyk8s-v1alpha2-crds.yaml");

function scheduled(ns: string, name: string, clusterName: string): Obj {
  return {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "ScheduledBackup",
    metadata: { name, namespace: ns },
    spec: { schedule: "0 0 0 * * *", cluster: { name: clusterName }, method: "plugin", pluginConfiguration: { name: BARMAN }, backupOwnerReference: "self" },
  };
}

function withServerName(cluster: Obj, store: string, serverName: string): Obj {
  const c = structuredClone(cluster) as { spec: { plugins: Obj[] } };
  c.spec.plugins = [{ name: BARMAN, isWALArchiver: true, parameters: { barmanObjectName: store, serverName } }];
  return c;
}

/** metav1.Condition needs every field (the CRD requires type, status, reason, message, lastTransitionTime). */
function archivingCondition(ok: boolean, since: string): Obj {
  return ok
    ? { type: "ContinuousArchiving", status: "True", reason: "ContinuousArchivingSuccess", message: "Continuous archiving is working", lastTransitionTime: since }
    : { type: "ContinuousArchiving", status: "False", reason: "ContinuousArchivingFailing", message: "unexpected failure invoking barman-cloud-wal-archive: exit status 4", lastTransitionTime: since };
}

async function patchStatus(c: Cluster, resource: string, ns: string, name: string, status: Obj): Promise<void> {
  await c.kubectlOk(["patch", resource, name, "-n", ns, "--subresource=status", "--type=merge", `-p=${JSON.stringify({ status })}`]);
}

interface Finding {
  rule: string;
  action: string;
  message: string;
}
interface Result {
  kind: string;
  namespace: string | null;
  name: string;
  findings: Finding[];
}

async function audit(c: Cluster, args: string[] = []): Promise<{ code: number; results: Result[]; raw: string }> {
  const r = await cli(["audit", `--kubeconfig=${c.adminKubeconfig}`, "-o", "json", ...args]);
  assert.ok(r.code === 0 || r.code === 1, describeRun(r));
  return { code: r.code, results: (JSON.parse(r.stdout) as { results: Result[] }).results, raw: `${r.stdout}\n${r.stderr}` };
}

function rules(results: Result[], ns: string, name: string): string[] {
  return results.find((r) => r.namespace === ns && r.name === name)?.findings.map((f) => f.rule) ?? [];
}

const now = Date.now();
const daysAgo = (n: number) => new Date(now - n * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");

e2eSuite("e2e: audit", (cluster) => {
  let ns = "";
  let good = "";

  before(async () => {
    const c = cluster();
    await c.kubectlOk(["apply", "--server-side", "-f", CRDS]);
    await c.kubectlOk(["wait", "--for=condition=Established", "crd/policyreports.wgpolicyk8s.io", "crd/clusterpolicyreports.wgpolicyk8s.io", "--timeout=60s"], { timeoutMs: 70_000 });
    ns = await namespace(c, "audit");
    good = await namespace(c, "audit-good");
    // The webhook switched off: these objects would be denied at admission, so they can only exist from before it.
    const hooks = c.deployDocs.filter((d) => d.kind === "ValidatingWebhookConfiguration" || d.kind === "MutatingWebhookConfiguration");
    for (const h of hooks) await c.kubectlOk(["delete", h.kind!, h.metadata!.name!, "--ignore-not-found"]);
    try {
      await c.kubectlOk(["create", "-f", "-"], {
        input: yaml(
          brokenCluster(ns, "noback"),
          objectStore(ns, "pg-store"),
          pluginCluster(ns, "pg", "pg-store"),
          scheduled(ns, "orphan", "gone"),
          objectStore(ns, "stale-store"),
          pluginCluster(ns, "stale", "stale-store"),
          scheduled(ns, "stale-daily", "stale"),
          objectStore(ns, "shared"),
          withServerName(pluginCluster(ns, "dup-a", "shared"), "shared", "same-server"),
          withServerName(pluginCluster(ns, "dup-b", "shared"), "shared", "same-server"),
          scheduled(ns, "dup-a-daily", "dup-a"),
          scheduled(ns, "dup-b-daily", "dup-b"),
          objectStore(good, "good-store"),
          pluginCluster(good, "good", "good-store"),
          scheduled(good, "good-daily", "good"),
        ),
      });
    } finally {
      await c.replaceWebhookConfigurations();
      await c.waitForAdmission();
    }
    // What the operator and the plugin would write, through the status subresource.
    await patchStatus(c, "cluster", ns, "pg", { conditions: [archivingCondition(false, daysAgo(2))] });
    await patchStatus(c, "objectstore", ns, "stale-store", { serverRecoveryWindow: { stale: { lastSuccessfulBackupTime: daysAgo(30) } } });
    await patchStatus(c, "cluster", good, "good", { conditions: [archivingCondition(true, daysAgo(1))] });
    await patchStatus(c, "objectstore", good, "good-store", { serverRecoveryWindow: { good: { lastSuccessfulBackupTime: daysAgo(1) } } });
  }, { timeout: 180_000 });

  it("audit: finds what was created while the webhook was off, and each audit-only rule", async () => {
    const c = cluster();
    const { code, results, raw } = await audit(c);
    assert.equal(code, 1, raw);
    assert.ok(rules(results, ns, "noback").includes("cnpg-backup-required"), raw);
    assert.ok(rules(results, ns, "pg").includes("cnpg-scheduled-backup-missing"), raw);
    assert.ok(rules(results, ns, "pg").includes("wal-archiving-failing"), raw);
    assert.deepEqual(rules(results, ns, "orphan"), ["cnpg-backup-cluster-exists"], raw);
    assert.ok(rules(results, ns, "stale").includes("backup-stale"), raw);
    assert.match(results.find((r) => r.name === "stale")!.findings.find((f) => f.rule === "backup-stale")!.message, /30d ago/);
    assert.ok(rules(results, ns, "dup-a").includes("cnpg-archive-destination-unique"), raw);
    assert.ok(rules(results, ns, "dup-b").includes("cnpg-archive-destination-unique"), raw);
    for (const r of results.filter((x) => x.namespace === good)) assert.deepEqual(r.findings, [], `${r.kind} ${r.name}: ${JSON.stringify(r.findings)}`);
  });

  it("audit: --namespace and the text report", async () => {
    const c = cluster();
    const r = await cli(["audit", `--kubeconfig=${c.adminKubeconfig}`, "-n", good]);
    assert.equal(r.code, 0, describeRun(r));
    assert.match(r.stdout, new RegExp(`^namespace ${good}  3 checked, 0 denied, 0 with warnings`, "m"), r.stdout);
  });

  it("audit: --policy-reports writes PolicyReports the API server accepts, and a later run drops fixed results", async () => {
    const c = cluster();
    const first = await cli(["audit", `--kubeconfig=${c.adminKubeconfig}`, "--policy-reports", "-o", "json"]);
    assert.equal(first.code, 1, describeRun(first));
    assert.match(first.stderr, /policy reports: \d+ written/, describeRun(first));
    const get = async () => JSON.parse((await c.kubectlOk(["get", "policyreport", "pg-backup-guard", "-n", ns, "-o", "json"])).stdout) as Json;
    const report = await get();
    const failing = (report.results as Json[]).filter((x) => x.result === "fail");
    for (const id of ["cnpg-scheduled-backup-missing", "cnpg-backup-cluster-exists", "backup-stale", "wal-archiving-failing", "cnpg-archive-destination-unique"])
      assert.ok(failing.some((x) => x.policy === id), `${id} in the PolicyReport`);
    // Stored as sent: the CRD's schema pruned nothing we write.
    const one = failing.find((x) => x.policy === "wal-archiving-failing")!;
    for (const field of ["source", "policy", "category", "severity", "timestamp", "result", "scored", "resources", "message", "properties"]) assert.ok(field in one, `${field} kept`);
    assert.equal(one.resources[0].name, "pg");
    assert.equal(typeof one.resources[0].uid, "string");
    assert.equal(report.summary.fail, failing.length);
    const clusterReport = await c.kubectl(["get", "clusterpolicyreport", "pg-backup-guard", "-o", "json"]);
    assert.equal(clusterReport.code, 0, describeRun(clusterReport));

    // Archiving works again: the next run replaces the report in place without that result.
    await patchStatus(c, "cluster", ns, "pg", { conditions: [archivingCondition(true, daysAgo(0))] });
    const second = await cli(["audit", `--kubeconfig=${c.adminKubeconfig}`, "--policy-reports"]);
    assert.equal(second.code, 1, describeRun(second));
    const after = await get();
    assert.equal(after.metadata.uid, report.metadata.uid, "updated in place");
    assert.ok(!(after.results as Json[]).some((x) => x.policy === "wal-archiving-failing" && x.result === "fail"), JSON.stringify(after.results));
    assert.ok((after.results as Json[]).some((x) => x.policy === "backup-stale" && x.result === "fail"));
  });
});
