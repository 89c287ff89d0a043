// Failure modes on a real API server: the API server restarted under the webhook, the webhook frozen or
// stopped (failurePolicy as deployed, the documented emergency switch, operator-created Backups).
// Run: npm run test:e2e -- --test-name-pattern="outage"
import assert from "node:assert/strict";
import { it } from "node:test";
import type { Cluster } from "./cluster.ts";
import { describeRun, eventually, namespace, objectStore, pluginCluster, warnings, yaml, type Obj } from "./helpers.ts";
import { e2eSuite } from "./suite.ts";

interface Webhook {
  name: string;
  failurePolicy?: string;
  matchConditions?: Array<{ name: string; expression: string }>;
  rules?: Array<{ resources?: string[] }>;
}

function webhooksOf(c: Cluster, kind: "ValidatingWebhookConfiguration" | "MutatingWebhookConfiguration"): Webhook[] {
  return c.deployDocs.filter((d) => d.kind === kind).flatMap((d) => (d as { webhooks?: Webhook[] }).webhooks ?? []);
}

/** The failurePolicy deploy/ sets for the webhook that judges `resource` (default Fail, as the API server's). */
function failurePolicyFor(c: Cluster, kind: "ValidatingWebhookConfiguration" | "MutatingWebhookConfiguration", resource: string): string {
  const w = webhooksOf(c, kind).find((h) => (h.rules ?? []).some((r) => r.resources?.includes(resource)));
  return w?.failurePolicy ?? "Fail";
}

const CNPG_MANAGER = "system:serviceaccount:cnpg-system:cnpg-manager";

e2eSuite("e2e: outage", (cluster) => {
  it("outage: the API server restarts under the webhook; its watches recover", async () => {
    const c = cluster();
    const ns = await namespace(c, "restart");
    await c.kubectlOk(["create", "-f", "-"], { input: yaml(objectStore(ns, "restart-store")) });
    await c.stopApiServer();
    await c.startApiServer();
    // The watches are back: an ObjectStore created after the restart is seen.
    await c.kubectlOk(["create", "-f", "-"], { input: yaml(objectStore(ns, "after-restart")) });
    await eventually("the webhook sees an ObjectStore created after the restart", async () => {
      const r = await c.kubectl(["create", "--dry-run=server", "-f", "-"], { input: yaml(pluginCluster(ns, "after-pg", "after-restart")) });
      return (r.code === 0 && warnings(r).length === 0) || false;
    }, 90_000, 1000);
    const ready = await c.webhookReadyz();
    assert.ok("status" in ready && ready.status === 200, `/readyz after the restart: ${JSON.stringify(ready)}`);
    const metrics = await c.webhookMetrics();
    const synced = metrics.split("\n").filter((l) => l.startsWith("pgbackupguard_lookup_cache_synced{"));
    assert.ok(synced.length > 0, "pgbackupguard_lookup_cache_synced is exported");
    for (const line of synced) assert.match(line, / 1$/, `every lookup cache synced again: ${line}`);
  });

  // A synced cache keeps its last state through the 403/404/429 of a starting API server (src/lookups/live.ts).
  it("outage: no false 'not checked' while the restarted API server starts up", async () => {
    const c = cluster();
    const ns = await namespace(c, "startup");
    await c.kubectlOk(["create", "-f", "-"], { input: yaml(objectStore(ns, "startup-store")) });
    const compliant = yaml(pluginCluster(ns, "startup-pg", "startup-store"));
    await eventually("the webhook knows startup-store", async () => {
      const r = await c.kubectl(["create", "--dry-run=server", "-f", "-"], { input: compliant });
      return (r.code === 0 && warnings(r).length === 0) || false;
    });
    await c.stopApiServer();
    await c.startApiServer();
    // The start-up window: every answer must be the same as before the restart.
    const deadline = Date.now() + 10_000;
    const seen: string[] = [];
    while (Date.now() < deadline) {
      const r = await c.kubectl(["create", "--dry-run=server", "-f", "-"], { input: compliant });
      if (r.code !== 0 || warnings(r).length > 0) seen.push(describeRun(r));
    }
    assert.deepEqual(seen, [], `answers changed while the API server started:\n${seen.slice(0, 3).join("\n")}`);
  });

  it("outage: a frozen webhook makes the API server apply the validating webhook's failurePolicy", async () => {
    const c = cluster();
    const ns = await namespace(c, "frozen");
    await c.kubectlOk(["create", "-f", "-"], { input: yaml(objectStore(ns, "frozen-store")) });
    const input = yaml(pluginCluster(ns, "frozen-pg", "frozen-store"));
    const policy = failurePolicyFor(c, "ValidatingWebhookConfiguration", "clusters");
    c.freezeWebhook();
    let r;
    try {
      r = await c.kubectl(["create", "--dry-run=server", "-f", "-"], { input, timeoutMs: 60_000 });
    } finally {
      c.thawWebhook();
    }
    if (policy === "Fail") {
      assert.equal(r.code, 1, describeRun(r));
      assert.match(r.stderr, /failed calling webhook "validate\.pgbackupguard\.io"/, describeRun(r));
    } else {
      assert.equal(r.code, 0, describeRun(r));
    }
    const after = await eventually("the thawed webhook answers", async () => {
      const x = await c.kubectl(["create", "-f", "-"], { input });
      return x.code === 0 ? x : false;
    });
    assert.match(after.stdout, /created/);
  });

  it("outage: a stopped webhook: validating fails as configured, the emergency switch lets objects in, mutating fails open", async () => {
    const c = cluster();
    const ns = await namespace(c, "stopped");
    await c.kubectlOk(["create", "-f", "-"], { input: yaml(objectStore(ns, "stopped-store")) });
    const input = yaml(pluginCluster(ns, "stopped-pg", "stopped-store"));
    await c.stopWebhook();
    try {
      const refused = await c.kubectl(["create", "-f", "-"], { input });
      if (failurePolicyFor(c, "ValidatingWebhookConfiguration", "clusters") === "Fail") {
        assert.equal(refused.code, 1, describeRun(refused));
        assert.match(refused.stderr, /failed calling webhook "validate\.pgbackupguard\.io"/, describeRun(refused));
      } else {
        assert.equal(refused.code, 0, describeRun(refused));
      }
      // docs/webhook.md "Emergency disable", step 1, for every validating webhook.
      const count = webhooksOf(c, "ValidatingWebhookConfiguration").length;
      const ops = Array.from({ length: count }, (_, i) => ({ op: "replace", path: `/webhooks/${i}/failurePolicy`, value: "Ignore" }));
      await c.kubectlOk(["patch", "validatingwebhookconfiguration", "pg-backup-guard", "--type=json", `-p=${JSON.stringify(ops)}`]);
      const admitted = await eventually("the emergency switch applies", async () => {
        const x = await c.kubectl(["create", "-f", "-"], { input });
        return x.code === 0 ? x : false;
      });
      // The mutating webhook failed open: no defaults announced, the object is stored as sent.
      assert.deepEqual(warnings(admitted).filter((l) => l.includes("default injected")), [], describeRun(admitted));
      assert.equal(failurePolicyFor(c, "MutatingWebhookConfiguration", "clusters"), "Ignore");
    } finally {
      await c.replaceWebhookConfigurations();
      await c.startWebhook();
      await c.waitForAdmission();
    }
  });

  it("outage: Backups that CNPG's ScheduledBackup controller creates are not blocked while the webhook is down", async () => {
    const c = cluster();
    const ns = await namespace(c, "operator");
    // What the controller would need: RBAC to create Backups (the identity is impersonated below).
    const rbac: Obj[] = [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "cnpg-system" } },
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "cnpg-manager", namespace: "cnpg-system" } },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: "e2e-cnpg-manager" },
        rules: [{ apiGroups: ["postgresql.cnpg.io"], resources: ["backups", "scheduledbackups", "clusters"], verbs: ["get", "list", "create", "update", "patch"] }],
      },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: "e2e-cnpg-manager" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "e2e-cnpg-manager" },
        subjects: [{ kind: "ServiceAccount", name: "cnpg-manager", namespace: "cnpg-system" }],
      },
    ];
    await c.kubectlOk(["apply", "-f", "-"], { input: yaml(...rbac) });
    await c.kubectlOk(["create", "-f", "-"], { input: yaml(objectStore(ns, "op-store"), pluginCluster(ns, "op-pg", "op-store")) });
    const sb = await c.kubectlOk(["create", "-o", "json", "-f", "-"], {
      input: yaml({
        apiVersion: "postgresql.cnpg.io/v1",
        kind: "ScheduledBackup",
        metadata: { name: "op-daily", namespace: ns },
        spec: { schedule: "0 0 2 * * *", backupOwnerReference: "self", cluster: { name: "op-pg" }, method: "plugin", pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" } },
      }),
    });
    const uid = (JSON.parse(sb.stdout) as { metadata: { uid: string } }).metadata.uid;
    // The Backup as CNPG v1.30.0's ScheduledBackup controller makes it, as its ServiceAccount cnpg-system/cnpg-manager
    // (config/manager/manager.yaml + namePrefix cnpg- in config/default): createBackup in
    // internal/controller/scheduledbackup_controller.go, ScheduledBackup.CreateBackup / BackupName in
    // api/v1/scheduledbackup_funcs.go, utils.SetAsOwnedBy for backupOwnerReference: self.
    const backup = yaml({
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "Backup",
      metadata: {
        name: "op-daily-20260101020000",
        namespace: ns,
        labels: { "cnpg.io/cluster": "op-pg", "cnpg.io/immediateBackup": "false", "cnpg.io/scheduled-backup": "op-daily" },
        ownerReferences: [{ apiVersion: "postgresql.cnpg.io/v1", kind: "ScheduledBackup", name: "op-daily", uid, controller: true }],
      },
      spec: { cluster: { name: "op-pg" }, method: "plugin", pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" } },
    });
    await c.stopWebhook();
    try {
      const r = await c.kubectl(["create", "-f", "-"], { input: backup, as: CNPG_MANAGER });
      assert.equal(r.code, 0, `the operator's Backup was blocked by the webhook outage:\n${describeRun(r)}`);
    } finally {
      await c.startWebhook();
      await c.waitForAdmission();
    }
  });
});
