// kubectl → kube-apiserver → pg-backup-guard's webhooks → etcd, on a real API server (see cluster.ts).
// Run: npm run test:e2e   (one scenario: npm run test:e2e -- --test-name-pattern="dry-run")
import assert from "node:assert/strict";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { repoRoot, parseYamlDocs } from "./cluster.ts";
import {
  brokenCluster,
  bracketIds,
  cli,
  cpoWithoutSchedules,
  denial,
  describeRun,
  eventually,
  namespace,
  objectStore,
  PGO_VOLUME_BACKUPS,
  pgoCluster,
  pluginCluster,
  riskyCluster,
  snapshotClass,
  snapshotCluster,
  warnings,
  yaml,
} from "./helpers.ts";
import { e2eSuite } from "./suite.ts";

e2eSuite("e2e: admission through a real kube-apiserver", (cluster) => {
  it("a broken Cluster is denied with pg-backup-guard's message and not stored", async () => {
    const c = cluster();
    const ns = await namespace(c, "deny");
    const r = await c.kubectl(["create", "-f", "-"], { input: yaml(brokenCluster(ns)) });
    assert.equal(r.code, 1, describeRun(r));
    const message = denial(r);
    assert.ok(message, `no denial by validate.pgbackupguard.io:\n${describeRun(r)}`);
    assert.match(message, new RegExp(`^pg-backup-guard denied Cluster ${ns}/broken: \\[cnpg-backup-required\\] spec\\.backup: `));
    assert.deepEqual(bracketIds(message), ["cnpg-backup-required"]);
    const get = await c.kubectl(["get", "clusters.postgresql.cnpg.io", "broken", "-n", ns]);
    assert.equal(get.code, 1);
    assert.match(get.stderr, /NotFound|not found/);
  });

  it("a risky Cluster is accepted with one Warning: line per finding", async () => {
    const c = cluster();
    const ns = await namespace(c, "warn");
    const r = await c.kubectl(["create", "-f", "-"], { input: yaml(riskyCluster(ns)) });
    assert.equal(r.code, 0, describeRun(r));
    assert.match(r.stdout, /cluster\.postgresql\.cnpg\.io\/risky created/);
    const w = warnings(r);
    assert.deepEqual(bracketIds(w), ["cnpg-backup-target", "cnpg-barman-object-store-deprecated"], describeRun(r));
    assert.ok(w.some((l) => l.startsWith("[cnpg-backup-target] spec.backup.target: target: primary")), w.join("\n"));
    for (const l of w) assert.ok(l.length <= 256, `warning longer than 256 characters: ${l}`);
    const get = await c.kubectlOk(["get", "clusters.postgresql.cnpg.io", "risky", "-n", ns, "-o", "jsonpath={.spec.backup.target}"]);
    assert.equal(get.stdout, "primary", "a warning must not change the object");
  });

  it("defaults are injected, announced by warnings and visible in kubectl get -o yaml", async () => {
    const c = cluster();
    const ns = await namespace(c, "defaults");
    const r = await c.kubectl(["create", "-f", "-"], { input: yaml(cpoWithoutSchedules(ns)) });
    assert.equal(r.code, 0, describeRun(r));
    const w = warnings(r);
    const injected = w.filter((l) => / default injected: /.test(l));
    assert.deepEqual(bracketIds(injected), ["cpo-archive-timeout", "cpo-retention-full", "cpo-schedules"], describeRun(r));
    const got = await c.kubectlOk(["get", "postgresqls.cpo.opensource.cybertec.at", "stock", "-n", ns, "-o", "yaml"]);
    const stored = parseYamlDocs(got.stdout)[0] as {
      spec: { postgresql: { parameters?: Record<string, string> }; backup: { pgbackrest: { global: Record<string, string>; repos: Array<{ schedule?: { full?: string } }> } } };
    };
    assert.equal(stored.spec.postgresql.parameters?.archive_timeout, "5min");
    assert.equal(stored.spec.backup.pgbackrest.global["repo1-retention-full"], "7");
    assert.equal(stored.spec.backup.pgbackrest.global["repo1-retention-full-type"], "count");
    const full = stored.spec.backup.pgbackrest.repos[0]?.schedule?.full;
    assert.match(full ?? "", /^\d+ \d+ \* \* \*$/, got.stdout);
    assert.ok(injected.some((l) => l.includes(`schedule.full: "${full}"`)), `the warning names the stored schedule ${full}:\n${injected.join("\n")}`);
  });

  it("--dry-run=server gives the same answers and stores nothing", async () => {
    const c = cluster();
    const ns = await namespace(c, "dryrun");
    const cases = [brokenCluster(ns, "d-broken"), riskyCluster(ns, "d-risky"), cpoWithoutSchedules(ns, "d-cpo")];
    const nsReal = await namespace(c, "dryrun-real");
    for (const obj of cases) {
      const dry = await c.kubectl(["create", "--dry-run=server", "-o", "yaml", "-f", "-"], { input: yaml(obj) });
      const realObj = structuredClone(obj) as { metadata: { namespace: string } };
      realObj.metadata.namespace = nsReal;
      const real = await c.kubectl(["create", "-f", "-"], { input: yaml(realObj) });
      const name = (obj.metadata as { name: string }).name;
      assert.equal(dry.code, real.code, `${name}: dry run ${describeRun(dry)}\nreal ${describeRun(real)}`);
      assert.deepEqual(bracketIds(warnings(dry)), bracketIds(warnings(real)), name);
      assert.deepEqual(bracketIds(denial(dry) ?? ""), bracketIds(denial(real) ?? ""), name);
      if (name === "d-cpo") {
        const dryObj = parseYamlDocs(dry.stdout)[0] as { spec: { backup: { pgbackrest: { repos: Array<{ schedule?: { full?: string } }> } } } };
        assert.match(dryObj.spec.backup.pgbackrest.repos[0]?.schedule?.full ?? "", /^\d+ \d+ \* \* \*$/, "the dry run shows the defaulted object");
      }
      const kind = obj.kind === "postgresql" ? "postgresqls.cpo.opensource.cybertec.at" : "clusters.postgresql.cnpg.io";
      const get = await c.kubectl(["get", kind, name, "-n", ns]);
      assert.equal(get.code, 1, `${name} was stored by a dry run:\n${describeRun(get)}`);
    }
  });

  it("pg-backup-guard validate --kubeconfig gives the same verdict as the API server", async () => {
    const c = cluster();
    const ns = await namespace(c, "verdict");
    await c.kubectlOk(["create", "-f", "-"], { input: yaml(objectStore(ns, "same-store"), snapshotClass("same-snapclass")) });
    // The credentials Secret the CPO object names (validate --kubeconfig can look Secrets up; the webhook, as
    // deployed by default, cannot and says "not checked": not-checked rules are left out of the comparison).
    await c.kubectlOk(["create", "secret", "generic", "v-cpo-s3", "-n", ns, "--from-literal=s3.conf=[global]"]);
    const objects = [
      brokenCluster(ns, "v-broken"),
      riskyCluster(ns, "v-risky"),
      cpoWithoutSchedules(ns, "v-cpo"),
      pluginCluster(ns, "v-plugin", "same-store"),
      snapshotCluster(ns, "v-snap", "same-snapclass", "same-store"),
      pgoCluster(ns, "v-pgo-none", "v1"),
      pgoCluster(ns, "v-pgo-plain", "v1beta1", PGO_VOLUME_BACKUPS),
    ];
    for (const obj of objects) {
      const name = (obj.metadata as { name: string }).name;
      const file = join(c.dir, `${name}.yaml`);
      writeFileSync(file, yaml(obj));
      const v = await cli(["validate", "--kubeconfig", c.adminKubeconfig, "--format", "json", file]);
      assert.ok(v.code === 0 || v.code === 1, `validate ${name}: ${describeRun(v)}`);
      const result = (JSON.parse(v.stdout) as { results: Array<{ allowed: boolean; findings: Array<{ rule: string; action: string }>; notChecked: Array<{ rule: string }>; defaulted: Array<{ id: string }> }> }).results[0]!;
      const api = await c.kubectl(["create", "--dry-run=server", "-f", file]);
      assert.equal(api.code === 0, result.allowed, `${name}: validate says allowed=${result.allowed} (${v.stdout.replace(/\s+/g, " ").slice(0, 1500)}), the API server:\n${describeRun(api)}`);
      const denyRules = result.findings.filter((f) => f.action === "deny").map((f) => f.rule);
      assert.deepEqual(bracketIds(denial(api) ?? ""), [...new Set(denyRules)].sort(), `${name}: deny findings`);
      if (result.allowed) {
        const w = warnings(api);
        const warnRules = result.findings.filter((f) => f.action === "warn").map((f) => f.rule);
        const findingLines = w.filter((l) => !l.includes(" default injected: ") && !/^\[[a-z0-9-]+\] [^ ]*: not checked: /.test(l));
        assert.deepEqual(bracketIds(findingLines), [...new Set(warnRules)].sort(), `${name}: warnings`);
        assert.deepEqual(bracketIds(w.filter((l) => l.includes(" default injected: "))), [...new Set(result.defaulted.map((d) => d.id))].sort(), `${name}: defaults`);
      }
    }
  });

  it("creating the missing ObjectStore / VolumeSnapshotClass turns the verdict around without a restart", async () => {
    const c = cluster();
    const ns = await namespace(c, "lookup");
    const cases = [
      { rule: "cnpg-object-store-exists", obj: pluginCluster(ns, "late-store", "late-store-os"), missing: objectStore(ns, "late-store-os") },
      { rule: "cnpg-snapshot-class-exists", obj: snapshotCluster(ns, "late-snap", "late-snapclass", "late-snap-os"), missing: snapshotClass("late-snapclass") },
    ];
    await c.kubectlOk(["create", "-f", "-"], { input: yaml(objectStore(ns, "late-snap-os")) });
    for (const { rule, obj, missing } of cases) {
      // Before: denied, or (order-independent admission) accepted with a warning naming the missing object.
      const before = await c.kubectl(["create", "--dry-run=server", "-f", "-"], { input: yaml(obj) });
      const flagged = before.code === 0 ? bracketIds(warnings(before)) : bracketIds(denial(before) ?? "");
      assert.ok(flagged.includes(rule), `${rule} not reported before the object exists:\n${describeRun(before)}`);
      await c.kubectlOk(["create", "-f", "-"], { input: yaml(missing) });
      const after = await eventually(`${rule} no longer reported`, async () => {
        const r = await c.kubectl(["create", "-f", "-"], { input: yaml(obj) });
        return r.code === 0 && !bracketIds(warnings(r)).includes(rule) ? r : false;
      });
      assert.deepEqual(bracketIds(warnings(after)), [], describeRun(after));
    }
  });

  it("a multi-document apply of examples/cnpg-snapshot/ succeeds on the first try, in any order", async () => {
    const c = cluster();
    const dir = join(repoRoot, "examples", "cnpg-snapshot");
    const docs = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort().flatMap((f) => parseYamlDocs(readFileSync(join(dir, f), "utf8")));
    assert.ok(docs.length >= 3);
    const namespaces = [...new Set(docs.map((d) => d.metadata?.namespace).filter((n): n is string => !!n))];
    for (const n of namespaces) await c.kubectlOk(["create", "namespace", n]);
    for (const order of ["as written", "reversed"]) {
      const input = yaml(...(order === "reversed" ? [...docs].reverse() : docs));
      const r = await c.kubectl(["apply", "-f", "-"], { input });
      assert.equal(r.code, 0, `${order}: ${describeRun(r)}`);
      assert.equal(r.stdout.trim().split("\n").filter((l) => / created$/.test(l)).length, docs.length, `${order}: ${describeRun(r)}`);
      await c.kubectlOk(["delete", "--wait=false", "-f", "-"], { input });
      await eventually("the objects are gone", async () => (await c.kubectl(["get", "-f", "-"], { input })).code !== 0 || false);
    }
  });

  it("UPDATE: a label-only change of a non-compliant object passes, a spec change is judged", async () => {
    const c = cluster();
    // The object gets in while its namespace is ignored (as if created before the webhook was installed).
    const ns = await namespace(c, "update", { "pgbackupguard.io/ignore": "true" });
    await c.kubectlOk(["create", "-f", "-"], { input: yaml(brokenCluster(ns, "legacy")) });
    await c.kubectlOk(["label", "namespace", ns, "pgbackupguard.io/ignore-"]);
    const labelled = await eventually("the webhook judges the namespace again", async () => {
      const r = await c.kubectl(["label", "clusters.postgresql.cnpg.io", "legacy", "-n", ns, "--overwrite", `touched=${Date.now()}`]);
      return r.code === 0 && warnings(r).length > 0 ? r : false;
    });
    assert.ok(
      warnings(labelled).some((l) => l.startsWith("[cnpg-backup-required]") && l.includes("pre-existing")),
      `a label-only update reports the old problem as a warning:\n${describeRun(labelled)}`,
    );
    const patched = await c.kubectl(["patch", "clusters.postgresql.cnpg.io", "legacy", "-n", ns, "--type=merge", "-p", '{"spec":{"instances":2}}']);
    assert.equal(patched.code, 1, describeRun(patched));
    assert.deepEqual(bracketIds(denial(patched) ?? ""), ["cnpg-backup-required"], describeRun(patched));
    const instances = await c.kubectlOk(["get", "clusters.postgresql.cnpg.io", "legacy", "-n", ns, "-o", "jsonpath={.spec.instances}"]);
    assert.equal(instances.stdout, "3");
  });

  it("editing the BackupPolicy changes decisions live", async () => {
    const c = cluster();
    const ns = await namespace(c, "policy");
    const input = yaml(brokenCluster(ns, "p-broken"));
    const before = await c.kubectl(["create", "--dry-run=server", "-f", "-"], { input });
    assert.equal(before.code, 1, describeRun(before));
    const relaxed = { spec: { rules: { "cnpg-backup-required": { action: "warn" }, "cnpg-wal-archive-required": { action: "warn" } } } };
    await c.kubectlOk(["patch", "backuppolicies.pgbackupguard.io", "default", "--type=merge", "-p", JSON.stringify(relaxed)]);
    try {
      const warned = await eventually("the relaxed policy applies", async () => {
        const r = await c.kubectl(["create", "--dry-run=server", "-f", "-"], { input });
        return r.code === 0 ? r : false;
      });
      assert.deepEqual(bracketIds(warnings(warned)), ["cnpg-backup-required"], describeRun(warned));
    } finally {
      await c.kubectlOk(["patch", "backuppolicies.pgbackupguard.io", "default", "--type=json", "-p", '[{"op":"remove","path":"/spec/rules"}]']);
    }
    await eventually("the default policy applies again", async () => (await c.kubectl(["create", "--dry-run=server", "-f", "-"], { input })).code === 1 || false);
  });

  it("an invalid BackupPolicy edit (kubectl patch) is refused and reported; the last good policy stays", async () => {
    const c = cluster();
    const ns = await namespace(c, "badpolicy");
    const input = yaml(brokenCluster(ns, "bp-broken"));
    const bad = { spec: { rules: { "cnpg-backup-required": { action: "maybe" } } } };
    const patched = await c.kubectl(["patch", "backuppolicies.pgbackupguard.io", "default", "--type=merge", "-p", JSON.stringify(bad)]);
    try {
      if (patched.code === 0) {
        // Stored (action keeps unknown values for YAML 1.1's off/false): the webhook must refuse it, say so,
        // and keep judging with the last good policy.
        await eventually("the webhook reports the invalid policy", async () => c.webhookLog().includes("BackupPolicy default is invalid and refused") || false);
        const r = await c.kubectl(["create", "--dry-run=server", "-f", "-"], { input });
        assert.equal(r.code, 1, `the last good policy (deny) must stay in force:\n${describeRun(r)}`);
        const metrics = await c.webhookMetrics();
        assert.match(metrics, /pgbackupguard_policy_reloads_total\{result="failure"\} [1-9]/);
      } else {
        assert.match(patched.stderr, /action/, `refused by the API server, naming the field:\n${describeRun(patched)}`);
      }
    } finally {
      await c.kubectl(["patch", "backuppolicies.pgbackupguard.io", "default", "--type=json", "-p", '[{"op":"remove","path":"/spec/rules"}]']);
    }
  });

  it("a BackupPolicy with an unknown field or a misspelt rule id is refused, also with --validate=false (never pruned silently)", async () => {
    const c = cluster();
    const typo = { apiVersion: "pgbackupguard.io/v1alpha1", kind: "BackupPolicy", metadata: { name: "typo" }, spec: { rpo: "5m", rulez: { "cnpg-backup-required": { action: "off" } } } };
    try {
      for (const args of [["apply", "-f", "-"], ["apply", "--validate=false", "-f", "-"]]) {
        const r = await c.kubectl(args, { input: yaml(typo) });
        assert.notEqual(r.code, 0, `${args.join(" ")} must be refused:\n${describeRun(r)}`);
        assert.match(r.stderr, /BackupPolicy typo is invalid:[\s\S]*spec\.rulez/, describeRun(r));
      }
      const misspelt = { ...typo, spec: { rules: { "cnpg-backup-requird": { action: "off" } } } };
      const r = await c.kubectl(["apply", "-f", "-"], { input: yaml(misspelt) });
      assert.notEqual(r.code, 0, describeRun(r));
      assert.match(r.stderr, /did you mean "cnpg-backup-required"/, describeRun(r));
      const gone = await c.kubectl(["get", "backuppolicies.pgbackupguard.io", "typo"]);
      assert.notEqual(gone.code, 0, "nothing was stored");
    } finally {
      await c.kubectl(["delete", "backuppolicies.pgbackupguard.io", "typo", "--ignore-not-found"]);
    }
  });

  it("PGO PostgresCluster (v1beta1 and v1): no spec.backups is denied; a repo without schedules or retention gets them injected and is stored", async () => {
    const c = cluster();
    const ns = await namespace(c, "pgo");
    for (const version of ["v1beta1", "v1"]) {
      const denied = await c.kubectl(["create", "-f", "-"], { input: yaml(pgoCluster(ns, `nobackup-${version}`, version)) });
      assert.equal(denied.code, 1, describeRun(denied));
      assert.deepEqual(bracketIds(denial(denied) ?? ""), ["pgo-backups-required"], describeRun(denied));
      const r = await c.kubectl(["create", "-f", "-"], { input: yaml(pgoCluster(ns, `plain-${version}`, version, PGO_VOLUME_BACKUPS)) });
      assert.equal(r.code, 0, describeRun(r));
      const injected = bracketIds(warnings(r)).filter((id) => id === "pgo-retention-full" || id === "pgo-schedules");
      assert.deepEqual([...new Set(injected)], ["pgo-retention-full", "pgo-schedules"], describeRun(r));
      const got = await c.kubectlOk(["get", `postgresclusters.${version}.postgres-operator.crunchydata.com`, `plain-${version}`, "-n", ns, "-o", "json"]);
      const spec = JSON.parse(got.stdout).spec;
      assert.equal(spec.backups.pgbackrest.global["repo1-retention-full"], "7");
      assert.match(spec.backups.pgbackrest.repos[0].schedules.full, /^\d+ \d+ \* \* \*$/);
    }
  });

  it("kubectl apply -k deploy/ installs pg-backup-guard on a fresh API server at the first try", () => {
    const c = cluster();
    assert.equal(c.deployHow, "kubectl kustomize deploy/overlays/self-signed", "deploy/ renders with plain kubectl kustomize");
    const r = c.installResult!;
    assert.equal(r.code, 0, describeRun(r));
    for (const kind of ["customresourcedefinition.apiextensions.k8s.io/backuppolicies.pgbackupguard.io", "validatingwebhookconfiguration.admissionregistration.k8s.io/pg-backup-guard", "mutatingwebhookconfiguration.admissionregistration.k8s.io/pg-backup-guard"]) {
      assert.ok(r.stdout.includes(`${kind} created`), `${kind} not created:\n${describeRun(r)}`);
    }
    // Then the default policy, once the CRD is established (docs/webhook.md "Install").
    const p = c.policyInstallResult!;
    assert.equal(p.code, 0, describeRun(p));
    assert.match(p.stdout, /backuppolicy\.pgbackupguard\.io\/default created/);
  });
});
