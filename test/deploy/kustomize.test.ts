// deploy/ as users install it: every kustomization renders with plain `kubectl kustomize` (the default load
// restrictor), and the objects make a working, read-only install.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { CRD_FILE } from "../../src/policy/generate.ts";
import { repoRoot } from "../helpers/shared.ts";
import {
  CNPG_OPERATOR_USERS,
  certManagerProblems,
  installProblems,
  matchConditionProblems,
  namespaceProblems,
  rbacProblems,
  serviceDnsNames,
  tlsSecretName,
  webhookRuleProblems,
} from "./checks.ts";
import { DEFAULT_POLICY_DIR, SECRET_LOOKUPS_OVERLAY, byKind, kustomizations, kustomize, one, tool, type Obj } from "./render.ts";

const kubectl = tool("kubectl");
const run = (dir: string): Obj[] => kustomize(kubectl.path!, dir);
/** The kustomizations that are a whole install (all but the CRD-only one). */
const installs = kustomizations().filter((d) => d !== "deploy/crds" && d !== DEFAULT_POLICY_DIR);

describe("deploy/ renders with kubectl kustomize", kubectl.skip, () => {
  it("finds the base, the default and both certificate overlays", () => {
    for (const dir of ["deploy", "deploy/base", "deploy/crds", "deploy/overlays/self-signed", "deploy/overlays/cert-manager"])
      assert.ok(kustomizations().includes(dir), `${dir} is not a kustomization`);
  });

  for (const dir of kustomizations()) {
    it(`${dir} renders`, () => {
      const objects = run(dir);
      assert.ok(objects.length > 0);
    });
  }

  for (const dir of installs) {
    it(`${dir}: webhook rules, RBAC, Service, namespaces and CRD are right`, () => {
      assert.deepEqual(installProblems(run(dir), { allowSecrets: dir === SECRET_LOOKUPS_OVERLAY }), []);
    });
  }

  it("deploy/crds is the generated CRD alone", () => {
    const objects = run("deploy/crds");
    assert.deepEqual(objects.map((o) => o.kind), ["CustomResourceDefinition"]);
    assert.deepEqual(objects[0], parse(readFileSync(join(repoRoot, CRD_FILE), "utf8")));
  });

  it("deploy/policy is the default BackupPolicy alone, and no install carries it (a first apply could not map it)", () => {
    const objects = run(DEFAULT_POLICY_DIR);
    assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`), ["BackupPolicy/default"]);
    assert.equal(objects[0]!.metadata.namespace, undefined);
    for (const dir of installs) assert.deepEqual(byKind(run(dir), "BackupPolicy"), [], dir);
  });

  it("the default install is the self-signed overlay", () => {
    assert.deepEqual(run("deploy"), run("deploy/overlays/self-signed"));
  });

  it("validating fails closed, mutating fails open", () => {
    const objects = run("deploy");
    assert.deepEqual(one(objects, "ValidatingWebhookConfiguration").webhooks.map((w: Obj) => w.failurePolicy), ["Fail", "Ignore"]);
    assert.deepEqual(one(objects, "MutatingWebhookConfiguration").webhooks.map((w: Obj) => w.failurePolicy), ["Ignore"]);
  });

  it("the webhooks run with 2 replicas behind a PDB", () => {
    const objects = run("deploy");
    assert.ok(one(objects, "Deployment").spec.replicas >= 2);
    assert.equal(one(objects, "PodDisruptionBudget").spec.minAvailable, 1);
  });

  it("cert-manager overlay: the Certificate names the Service, writes the mounted Secret and is injected", () => {
    assert.deepEqual(certManagerProblems(run("deploy/overlays/cert-manager")), []);
  });

  it("self-signed overlay: make-dev-certs.sh's defaults are the Service and the Secret the pods mount", () => {
    const objects = run("deploy/overlays/self-signed");
    const script = readFileSync(join(repoRoot, "certs", "make-dev-certs.sh"), "utf8");
    const defaultOf = (name: string) => new RegExp(`^${name}=(\\S+)$`, "m").exec(script)?.[1];
    assert.deepEqual([`${defaultOf("service")}.${defaultOf("namespace")}.svc`], serviceDnsNames(objects));
    assert.equal(defaultOf("secret"), tlsSecretName(objects));
    // The patch the script rewrites must still address the webhooks' only entry.
    const patch = parse(readFileSync(join(repoRoot, "deploy/overlays/self-signed/cabundle.patch.yaml"), "utf8")) as Obj[];
    assert.equal(patch[0]!.path, "/webhooks/0/clientConfig/caBundle");
    // ...and every webhook gets the CA it writes (the policy webhook through the overlay's replacement).
    const copy = mkdtempSync(join(tmpdir(), "pgbg-deploy-"));
    cpSync(join(repoRoot, "deploy"), join(copy, "deploy"), { recursive: true });
    const patchFile = join(copy, "deploy/overlays/self-signed/cabundle.patch.yaml");
    writeFileSync(patchFile, readFileSync(patchFile, "utf8").replace('value: ""', "value: Q0EtUEVN"));
    const patched = kustomize(kubectl.path!, join(copy, "deploy/overlays/self-signed"));
    for (const kind of ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"])
      for (const w of one(patched, kind).webhooks) assert.equal(w.clientConfig.caBundle, "Q0EtUEVN", `${kind} ${w.name}: no CA from the patch`);
  });
});

// The checks themselves must be able to fail: feed them broken installs.
describe("the install checks catch broken installs", kubectl.skip, () => {
  const good = () => [...run("deploy"), ...run(DEFAULT_POLICY_DIR)];

  it("a webhook rule for a kind no rule applies to (VolumeSnapshotClass)", () => {
    const objects = good();
    one(objects, "ValidatingWebhookConfiguration").webhooks[0].rules.push({
      apiGroups: ["snapshot.storage.k8s.io"], apiVersions: ["v1"], resources: ["volumesnapshotclasses"], operations: ["CREATE", "UPDATE"], scope: "Cluster",
    });
    assert.match(webhookRuleProblems(objects).join("\n"), /matches snapshot\.storage\.k8s\.io\/v1\/volumesnapshotclasses, which no rule applies to/);
  });

  it("a covered kind missing from the mutating webhook, or DELETE", () => {
    const objects = good();
    const rules = one(objects, "MutatingWebhookConfiguration").webhooks[0].rules;
    rules.splice(rules.findIndex((r: Obj) => r.resources.includes("postgresqls")), 1);
    rules[0].operations.push("DELETE");
    const problems = webhookRuleProblems(objects).join("\n");
    assert.match(problems, /does not match cpo\.opensource\.cybertec\.at\/v1\/postgresqls/);
    assert.match(problems, /operation DELETE/);
  });

  it("RBAC that writes, wildcards or reads Secrets", () => {
    const objects = good();
    const role = one(objects, "ClusterRole");
    role.rules.push({ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] });
    role.rules[0].verbs.push("patch");
    role.rules.push({ apiGroups: ["*"], resources: ["pods"], verbs: ["get"] });
    const problems = rbacProblems(objects, { allowSecrets: false }).join("\n");
    assert.match(problems, /grants patch/);
    assert.match(problems, /grants access to Secrets/);
    assert.match(problems, /wildcard in apiGroups/);
    assert.doesNotMatch(rbacProblems(objects, { allowSecrets: true }).join("\n"), /Secrets/);
  });

  it("RBAC missing a kind the informers watch", () => {
    const objects = good();
    const role = one(objects, "ClusterRole");
    role.rules = role.rules.filter((r: Obj) => !r.resources.includes("volumesnapshotclasses"));
    assert.match(rbacProblems(objects, { allowSecrets: false }).join("\n"), /snapshot\.storage\.k8s\.io\/volumesnapshotclasses/);
  });

  it("a clientConfig naming another Service or port", () => {
    const objects = good();
    one(objects, "ValidatingWebhookConfiguration").webhooks[0].clientConfig.service.name = "other";
    one(objects, "MutatingWebhookConfiguration").webhooks[0].clientConfig.service.port = 8443;
    const problems = installProblems(objects, { allowSecrets: false }).join("\n");
    assert.match(problems, /Service pg-backup-guard\/other is not in the install/);
    assert.match(problems, /has no port 8443/);
  });

  it("no operator exclusion, a namespaced BackupPolicy, a stale CRD", () => {
    const objects = good();
    const validating = one(objects, "ValidatingWebhookConfiguration").webhooks[0];
    validating.matchConditions = validating.matchConditions.filter((c: Obj) => c.name !== "not-from-an-operator");
    one(objects, "BackupPolicy").metadata.namespace = "pg-backup-guard";
    one(objects, "CustomResourceDefinition").spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.rpo.type = "integer";
    const problems = installProblems(objects, { allowSecrets: false }).join("\n");
    assert.match(problems, /no matchCondition not-from-an-operator/);
    assert.match(problems, /BackupPolicy default is cluster-scoped but has namespace/);
    assert.match(problems, /the CRD differs from deploy\/crds\/backuppolicy\.yaml/);
    assert.match(problems, /not the structural form/);
    assert.deepEqual(matchConditionProblems(good(), [...CNPG_OPERATOR_USERS]), []);
    assert.match(matchConditionProblems(good(), ["system:serviceaccount:x:y"]).join("\n"), /does not name system:serviceaccount:x:y/);
  });

  it("a Certificate for another Service", () => {
    const objects = run("deploy/overlays/cert-manager");
    byKind(objects, "Certificate").find((c) => c.metadata.name === "pg-backup-guard-serving")!.spec.dnsNames = ["x.y.svc"];
    assert.match(certManagerProblems(objects).join("\n"), /lacks pg-backup-guard\.pg-backup-guard\.svc/);
    assert.deepEqual(namespaceProblems(objects), []);
  });
});
