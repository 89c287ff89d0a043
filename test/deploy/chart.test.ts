// The Helm chart: `helm lint` and `helm template` pass, the output passes the same checks as deploy/, and with
// the default values it is deploy/'s objects (webhook rules, RBAC, CRD, Deployment, …), so the two cannot drift.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CRD_FILE } from "../../src/policy/generate.ts";
import { repoRoot } from "../helpers/shared.ts";
import { certManagerProblems, installProblems, matchConditionProblems, rbacProblems, tlsSecretProblems, webhookRuleProblems } from "./checks.ts";
import { CHART_DIR, SECRET_LOOKUPS_OVERLAY, byKind, helm, helmTemplate, installed, key, one, tool, type Obj } from "./render.ts";

const helmTool = tool("helm");
const kubectl = tool("kubectl");
const template = (args: string[] = [], release?: string, namespace?: string) => helmTemplate(helmTool.path!, ["--include-crds", ...args], release, namespace);
const A_CA_BUNDLE = Buffer.from("-----BEGIN CERTIFICATE-----\nnot checked here\n-----END CERTIFICATE-----\n").toString("base64");
const SECRET_MODE = ["--set", "tls.mode=secret", "--set", `tls.caBundle=${A_CA_BUNDLE}`];

/** Labels only Helm sets; everything else must be the same as deploy/'s. */
const HELM_LABELS = ["helm.sh/chart", "app.kubernetes.io/instance", "app.kubernetes.io/managed-by", "app.kubernetes.io/version"];

function normalize(objects: Obj[]): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const original of objects) {
    const o = structuredClone(original);
    for (const label of HELM_LABELS) delete o.metadata?.labels?.[label];
    if (o.kind === "CustomResourceDefinition") delete o.metadata.labels; // crds/ is not templated
    for (const webhook of o.webhooks ?? []) if (webhook.clientConfig) webhook.clientConfig.caBundle = "";
    out.set(key(o), o);
  }
  return out;
}

function assertSameObjects(chart: Obj[], deploy: Obj[], chartOnly: string[] = []): void {
  const c = normalize(chart);
  const d = normalize(deploy);
  assert.deepEqual([...c.keys()].filter((k) => !chartOnly.includes(k)).sort(), [...d.keys()].sort(), "the chart and deploy/ install different objects");
  for (const [k, object] of d) assert.deepEqual(c.get(k), object, `${k} differs between the chart and deploy/`);
}

describe("the chart's CRD", () => {
  it("is byte for byte deploy/'s generated CRD (node scripts/gen-schema.ts writes both)", () => {
    assert.equal(readFileSync(join(CHART_DIR, "crds", "backuppolicy.yaml"), "utf8"), readFileSync(join(repoRoot, CRD_FILE), "utf8"));
  });
});

describe("helm lint", helmTool.skip, () => {
  for (const [name, args] of [
    ["default values (self-signed)", []],
    ["cert-manager", ["--set", "tls.mode=cert-manager"]],
    ["secret", SECRET_MODE],
  ] as const) {
    it(`passes with ${name}`, () => {
      const out = helm(helmTool.path!, ["lint", CHART_DIR, "--strict", ...args]);
      assert.match(out, /0 chart\(s\) failed/);
    });
  }

  it("refuses values outside the schema", () => {
    assert.throws(() => helm(helmTool.path!, ["lint", CHART_DIR, "--set", "webhooks.validate.failurePolicy=Never"]), /failurePolicy/);
    assert.throws(() => template(["--set", "tls.mode=secret"]), /tls\.mode=secret needs tls\.caBundle/);
  });
});

describe("helm template output passes deploy/'s checks", helmTool.skip, () => {
  for (const [name, args, release, namespace] of [
    ["default values", [], undefined, undefined],
    ["cert-manager", ["--set", "tls.mode=cert-manager"], undefined, undefined],
    ["secret", SECRET_MODE, undefined, undefined],
    ["another release name and namespace", [], "guard", "backups-guard"],
  ] as const) {
    it(name, () => {
      const objects = template([...args], release, namespace);
      assert.deepEqual(installProblems(objects, { allowSecrets: false }), []);
    });
  }

  it("self-signed: the chart's certificate names the Service and its CA is the caBundle", () => {
    assert.deepEqual(tlsSecretProblems(template()), []);
    assert.deepEqual(tlsSecretProblems(template([], "guard", "backups-guard")), []);
  });

  it("cert-manager: the Certificate names the Service, writes the mounted Secret and is injected", () => {
    const objects = template(["--set", "tls.mode=cert-manager"], "guard", "backups-guard");
    assert.deepEqual(certManagerProblems(objects), []);
    assert.equal(byKind(objects, "Secret").length, 0);
  });

  it("secret: the given caBundle goes into both webhooks", () => {
    const objects = template(SECRET_MODE);
    for (const kind of ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"])
      assert.equal(one(objects, kind).webhooks[0].clientConfig.caBundle, A_CA_BUNDLE);
    assert.equal(byKind(objects, "Secret").length, 0);
  });
});

describe("the chart renders deploy/'s objects", { ...helmTool.skip, ...kubectl.skip }, () => {
  it("secret mode = deploy/overlays/self-signed", () => {
    const chart = template([...SECRET_MODE, "--set", "namespace.create=true"]);
    assertSameObjects(chart, installed(kubectl.path!, "deploy/overlays/self-signed"));
  });

  it("cert-manager mode = deploy/overlays/cert-manager", () => {
    const chart = template(["--set", "tls.mode=cert-manager", "--set", "namespace.create=true"]);
    assertSameObjects(chart, installed(kubectl.path!, "deploy/overlays/cert-manager"));
  });

  it("self-signed mode adds only its Secret", () => {
    const chart = template(["--set", "namespace.create=true"]);
    assertSameObjects(chart, installed(kubectl.path!, "deploy/overlays/self-signed"), ["Secret/pg-backup-guard/pg-backup-guard-tls"]);
  });

  it("server.lookupSecrets = deploy/overlays/secret-lookups (when that overlay exists)", () => {
    if (!existsSync(join(repoRoot, SECRET_LOOKUPS_OVERLAY, "kustomization.yaml"))) return;
    const overlay = installed(kubectl.path!, SECRET_LOOKUPS_OVERLAY);
    // The overlay's own RBAC objects carry no labels: compare everything else about them.
    for (const o of overlay) if (o.metadata.name === "pg-backup-guard-secret-names") delete o.metadata.labels;
    const chart = template([...SECRET_MODE, "--set", "namespace.create=true", "--set", "server.lookupSecrets=true"]);
    for (const o of chart) if (o.metadata.name === "pg-backup-guard-secret-names") delete o.metadata.labels;
    assertSameObjects(chart, overlay);
    assert.deepEqual(installProblems(chart, { allowSecrets: true }), []);
    assert.match(rbacProblems(chart, { allowSecrets: false }).join("\n"), /grants access to Secrets/);
  });

  it("audit.enabled = deploy/overlays/audit-cronjob; audit.policyReports = deploy/overlays/audit-policy-reports", () => {
    // The overlays' own audit objects carry no app labels: compare everything else about them.
    const unlabel = (objects: Obj[]) => {
      for (const o of objects) if (/-(audit|audit-read|audit-lookups|policy-reports)$/.test(o.metadata.name) && o.kind !== "Deployment") delete o.metadata.labels;
      return objects;
    };
    for (const [dir, extra] of [
      ["deploy/overlays/audit-cronjob", ["--set", "audit.enabled=true"]],
      ["deploy/overlays/audit-policy-reports", ["--set", "audit.enabled=true", "--set", "audit.policyReports=true"]],
    ] as const) {
      const overlay = unlabel(installed(kubectl.path!, dir));
      const chart = unlabel(template([...SECRET_MODE, "--set", "namespace.create=true", ...extra]));
      assertSameObjects(chart, overlay);
      assert.deepEqual(installProblems(chart, { allowSecrets: false }), [], dir);
    }
    assert.equal(byKind(template(SECRET_MODE), "CronJob").length, 0, "off by default");
  });

  it("a drifted chart would be caught", () => {
    const chart = template([...SECRET_MODE, "--set", "namespace.create=true", "--set", "replicas=3"]);
    assert.throws(() => assertSameObjects(chart, installed(kubectl.path!, "deploy/overlays/self-signed")), /Deployment\/pg-backup-guard\/pg-backup-guard differs/);
    assert.throws(() => assertSameObjects(template(SECRET_MODE), installed(kubectl.path!, "deploy/overlays/self-signed")), /different objects/);
  });
});

describe("chart values", helmTool.skip, () => {
  it("replicas, image, resources", () => {
    const d = one(
      template(["--set", "replicas=3", "--set", "image.repository=example.org/guard", "--set", "image.tag=1.2.3", "--set", "resources.limits.memory=1Gi"]),
      "Deployment",
    );
    assert.equal(d.spec.replicas, 3);
    assert.equal(d.spec.template.spec.containers[0].image, "example.org/guard:1.2.3");
    assert.equal(d.spec.template.spec.containers[0].resources.limits.memory, "1Gi");
    assert.equal(one(template(), "Deployment").spec.template.spec.containers[0].image, "ghcr.io/pg-backup-guard/pg-backup-guard:0.1.0");
  });

  it("failurePolicy per webhook", () => {
    const objects = template(["--set", "webhooks.validate.failurePolicy=Ignore", "--set", "webhooks.mutate.failurePolicy=Fail"]);
    assert.equal(one(objects, "ValidatingWebhookConfiguration").webhooks[0].failurePolicy, "Ignore");
    assert.equal(one(objects, "MutatingWebhookConfiguration").webhooks[0].failurePolicy, "Fail");
  });

  it("excluded operator users, quoted for CEL", () => {
    const objects = template(["--set", "webhooks.validate.excludeUsers={system:serviceaccount:db-operators:cnpg,it's}"]);
    const conditions = one(objects, "ValidatingWebhookConfiguration").webhooks[0].matchConditions as Obj[];
    assert.equal(
      conditions.find((c) => c.name === "not-from-an-operator")!.expression,
      "!(request.userInfo.username in ['system:serviceaccount:db-operators:cnpg', 'it\\'s'])",
    );
    assert.match(matchConditionProblems(objects).join("\n"), /does not name system:serviceaccount:cnpg-system:cnpg-manager/);
    const none = one(template(["--set", "webhooks.validate.excludeUsers=null"]), "ValidatingWebhookConfiguration").webhooks[0];
    assert.ok(!none.matchConditions.some((c: Obj) => c.name === "not-from-an-operator"));
  });

  it("namespace selectors", () => {
    const objects = template(["--set", "webhooks.excludedNamespaces={kube-system,tenant-x}", "--set", "webhooks.mutate.namespaceSelector.matchLabels.guard=on"]);
    assert.deepEqual(one(objects, "ValidatingWebhookConfiguration").webhooks[0].namespaceSelector.matchExpressions[0].values, [
      "pg-backup-guard",
      "kube-system",
      "tenant-x",
    ]);
    assert.deepEqual(one(objects, "MutatingWebhookConfiguration").webhooks[0].namespaceSelector, { matchLabels: { guard: "on" } });
  });

  it("webhooks.url: a webhook outside the cluster (local runs, the e2e suite)", () => {
    const objects = template([...SECRET_MODE, "--set", "webhooks.url=https://127.0.0.1:9443/"]);
    assert.deepEqual(one(objects, "ValidatingWebhookConfiguration").webhooks[0].clientConfig, { url: "https://127.0.0.1:9443/validate", caBundle: A_CA_BUNDLE });
    assert.deepEqual(one(objects, "MutatingWebhookConfiguration").webhooks[0].clientConfig, { url: "https://127.0.0.1:9443/mutate", caBundle: A_CA_BUNDLE });
    assert.throws(() => helm(helmTool.path!, ["lint", CHART_DIR, "--set", "webhooks.url=http://127.0.0.1"]), /webhooks\/url/);
  });

  it("the default policy, and the mutating webhook, can be left out", () => {
    const objects = template(["--set", "defaultPolicy.spec.rpo=15m"]);
    assert.equal(one(objects, "BackupPolicy").spec.rpo, "15m");
    const without = template(["--set", "defaultPolicy.enabled=false", "--set", "webhooks.mutate.enabled=false"]);
    assert.equal(byKind(without, "BackupPolicy").length, 0);
    assert.equal(byKind(without, "MutatingWebhookConfiguration").length, 0);
    assert.match(webhookRuleProblems(without).join("\n"), /no MutatingWebhookConfiguration/);
  });
});
