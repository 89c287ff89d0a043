// The Helm install path on a real API server: `helm install charts/pg-backup-guard` (webhooks.url pointed at
// the local `pg-backup-guard serve`), then the same answers as with deploy/.
// Run: npm run test:e2e -- --test-name-pattern="helm"
import assert from "node:assert/strict";
import { it } from "node:test";
import { brokenCluster, bracketIds, denial, describeRun, namespace, riskyCluster, warnings, yaml } from "./helpers.ts";
import { e2eSuite } from "./suite.ts";

e2eSuite("e2e: helm install", (cluster) => {
  it("helm: helm install charts/pg-backup-guard succeeds on a fresh API server", () => {
    const c = cluster();
    const r = c.installResult!;
    assert.equal(r.code, 0, describeRun(r));
    assert.match(r.stdout, /STATUS: deployed/, describeRun(r));
    for (const kind of ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "ServiceAccount", "ClusterRole", "ClusterRoleBinding"]) {
      assert.ok(c.deployDocs.some((d) => d.kind === kind), `the release has no ${kind}`);
    }
  });

  it("helm: the installed BackupPolicy CRD and default policy are served", async () => {
    const c = cluster();
    const r = await c.kubectlOk(["get", "backuppolicies.pgbackupguard.io", "-o", "name"]);
    assert.match(r.stdout, /backuppolicy\.pgbackupguard\.io\/default/);
  });

  it("helm: a broken Cluster is denied and a risky one warned through the chart's webhooks", async () => {
    const c = cluster();
    const ns = await namespace(c, "helm");
    const denied = await c.kubectl(["create", "-f", "-"], { input: yaml(brokenCluster(ns)) });
    assert.equal(denied.code, 1, describeRun(denied));
    assert.deepEqual(bracketIds(denial(denied) ?? ""), ["cnpg-backup-required"], describeRun(denied));
    const warned = await c.kubectl(["create", "-f", "-"], { input: yaml(riskyCluster(ns)) });
    assert.equal(warned.code, 0, describeRun(warned));
    assert.deepEqual(bracketIds(warnings(warned)), ["cnpg-backup-target", "cnpg-barman-object-store-deprecated"], describeRun(warned));
  });
}, { install: "helm" });
