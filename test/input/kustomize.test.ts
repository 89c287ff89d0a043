import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { analyzeKustomizations, kustomizationNamespaces, kustomizedNamespace } from "../../src/input/kustomize.ts";
import { expandPaths } from "../../src/input/read.ts";
import { writeTree } from "../helpers/shared.ts";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function repo(files: Record<string, string>): string {
  const root = writeTree(files, "pgbg-kust-");
  dirs.push(root);
  return root;
}

const cluster = (name: string, ns?: string) =>
  `apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ""}spec:\n  instances: 3\n`;

function analyze(root: string, sub = "") {
  const files = expandPaths([join(root, sub)]);
  assert.ok(files.ok);
  return analyzeKustomizations(files.value, { roots: [join(root, sub)] });
}

/** namespace per file, relative to the repo root. */
function table(root: string, m: Map<string, { namespace: string; kustomization: string }>) {
  return Object.fromEntries([...m].map(([f, a]) => [f.slice(root.length + 1), [a.namespace, a.kustomization.slice(root.length + 1)]]));
}

describe("kustomization namespaces", () => {
  const layout = {
    "apps/db/kustomization.yaml":
      "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: databases\nresources:\n  - cluster.yaml\n  - objectstore.yaml\n  - ../common/\ncomponents:\n  - ../../components/monitoring\npatches:\n  - path: patch-backup.yaml\n    target: {kind: Cluster}\n",
    "apps/db/cluster.yaml": cluster("pg"),
    "apps/db/objectstore.yaml": "apiVersion: barmancloud.cnpg.io/v1\nkind: ObjectStore\nmetadata:\n  name: store\n  namespace: elsewhere\n",
    "apps/db/patch-backup.yaml": "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: pg}\nspec:\n  backup: {retentionPolicy: 1d}\n",
    "apps/db/unlisted.yaml": cluster("old"),
    "apps/common/kustomization.yml": "resources: [vsc.yaml]\n",
    "apps/common/vsc.yaml": "apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotClass\nmetadata: {name: csi}\ndriver: x\ndeletionPolicy: Retain\n",
    "components/monitoring/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [podmonitor.yaml]\n",
    "components/monitoring/podmonitor.yaml": "apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata: {name: pg}\n",
    "clusters/prod/kustomization.yaml": "resources:\n  - ../../apps/db\n",
  };

  it("a kustomization's namespace reaches its files, nested directories and components; the kustomization that set it is named", () => {
    const root = repo(layout);
    const out = analyze(root);
    assert.deepEqual(table(root, out.namespaces), {
      "apps/db/cluster.yaml": ["databases", "apps/db/kustomization.yaml"],
      "apps/db/objectstore.yaml": ["databases", "apps/db/kustomization.yaml"],
      "apps/common/vsc.yaml": ["databases", "apps/db/kustomization.yaml"],
      "components/monitoring/podmonitor.yaml": ["databases", "apps/db/kustomization.yaml"],
    });
    // A file no kustomization lists gets nothing (kustomize would not build it); the patch is reported.
    assert.equal(out.namespaces.has(join(root, "apps/db/unlisted.yaml")), false);
    assert.deepEqual([...out.patches].map(([f, k]) => [f.slice(root.length + 1), k.slice(root.length + 1)]), [
      ["apps/db/patch-backup.yaml", "apps/db/kustomization.yaml"],
    ]);
    assert.deepEqual(out.notices, []);
    // The cluster-wide build root (clusters/prod, no namespace of its own) changes nothing.
    assert.ok(out.kustomizations.some((k) => k.endsWith(join("clusters", "prod", "kustomization.yaml"))));
  });

  it("the outer namespace overrides the inner one (kustomize applies the outer transformer last)", () => {
    const root = repo({
      "outer/kustomization.yaml": "namespace: outer\nresources: [../inner]\n",
      "inner/kustomization.yaml": "namespace: inner\nresources: [x.yaml, deeper]\n",
      "inner/x.yaml": cluster("x", "own"),
      "inner/deeper/kustomization.yaml": "namespace: deepest\nresources: [y.yaml]\n",
      "inner/deeper/y.yaml": cluster("y"),
    });
    assert.deepEqual(table(root, analyze(root).namespaces), {
      "inner/x.yaml": ["outer", "outer/kustomization.yaml"],
      "inner/deeper/y.yaml": ["outer", "outer/kustomization.yaml"],
    });
    // Validating only inner/: the outer kustomization is not part of the input, so inner's namespace applies.
    assert.deepEqual(table(root, analyze(root, "inner").namespaces), {
      "inner/x.yaml": ["inner", "inner/kustomization.yaml"],
      "inner/deeper/y.yaml": ["inner", "inner/kustomization.yaml"],
    });
  });

  it("overlays that put one base in different namespaces: ambiguous, nothing applied, a notice", () => {
    const root = repo({
      "base/kustomization.yaml": "resources: [cluster.yaml]\n",
      "base/cluster.yaml": cluster("pg"),
      "overlays/prod/kustomization.yaml": "namespace: prod\nresources: [../../base]\n",
      "overlays/staging/kustomization.yaml": "namespace: staging\nresources: [../../base]\n",
    });
    const out = analyze(root);
    const file = join(root, "base/cluster.yaml");
    assert.equal(out.namespaces.has(file), false);
    assert.deepEqual(out.conflicts.get(file)?.map((a) => a.namespace).sort(), ["prod", "staging"]);
    assert.equal(out.notices.length, 1);
    assert.match(out.notices[0]!.message, /disagree.*prod.*staging|disagree.*staging.*prod/);
  });

  it("cycles, remote and missing entries are notices, never errors or fetches", () => {
    const root = repo({
      "a/kustomization.yaml": "namespace: a\nresources: [../b, a.yaml]\n",
      "a/a.yaml": cluster("a"),
      "b/kustomization.yaml": "resources: [../a]\n",
      "r/kustomization.yaml":
        "namespace: r\nresources:\n  - https://github.com/cloudnative-pg/cloudnative-pg//config/default?ref=v1.25.0\n  - github.com/org/repo/deploy?ref=main\n  - missing.yaml\n  - nodir\n  - here.yaml\n",
      "r/here.yaml": cluster("here"),
      "r/nodir/readme.yaml": "a: 1\n",
      "bad/kustomization.yaml": "resources: [x\n",
      "bad/x.yaml": cluster("x"),
    });
    const out = analyze(root);
    const messages = out.notices.map((n) => `${n.source.slice(root.length + 1)}: ${n.message}`).join("\n");
    assert.match(messages, /kustomization cycle: .*a\/kustomization\.yaml -> .*b\/kustomization\.yaml -> .*a\/kustomization\.yaml|kustomization cycle: .*b\/kustomization\.yaml -> .*a\/kustomization\.yaml -> .*b\/kustomization\.yaml/);
    assert.match(messages, /r\/kustomization\.yaml: resources: https:\/\/github\.com\/cloudnative-pg.* is remote; not fetched/);
    assert.match(messages, /resources: github\.com\/org\/repo\/deploy\?ref=main is remote/);
    assert.match(messages, /resources: missing\.yaml not found/);
    assert.match(messages, /resources: nodir is a directory without a kustomization/);
    assert.match(messages, /bad\/kustomization\.yaml: cannot read as a kustomization/);
    assert.equal(out.namespaces.get(join(root, "r/here.yaml"))?.namespace, "r");
    assert.equal(out.namespaces.get(join(root, "a/a.yaml"))?.namespace, "a");
  });

  it("an extension-less `Kustomization` above the files is found through the walk roots", () => {
    const root = repo({
      "stack/Kustomization": "namespace: stack\nresources: [svc/cluster.yaml]\n",
      "stack/svc/cluster.yaml": cluster("pg"),
    });
    const files = expandPaths([root]);
    assert.ok(files.ok);
    assert.deepEqual(files.value.map((f) => f.slice(root.length + 1)), ["stack/svc/cluster.yaml"]);
    assert.equal(kustomizationNamespaces(files.value, { roots: [root] }).get(join(root, "stack/svc/cluster.yaml"))?.namespace, "stack");
    // Without roots only the files' own directories are searched.
    assert.equal(kustomizationNamespaces(files.value).size, 0);
  });

  it("keys are the paths exactly as given (./relative, absolute), and the same file spelled twice is one file", () => {
    const root = repo({ "apps/db/kustomization.yaml": "namespace: databases\nresources: [./cluster.yaml]\n", "apps/db/cluster.yaml": cluster("pg") });
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const m = kustomizationNamespaces(["./apps/db/cluster.yaml", "apps/db/kustomization.yaml"]);
      assert.deepEqual([...m], [["./apps/db/cluster.yaml", { namespace: "databases", kustomization: "apps/db/kustomization.yaml" }]]);
      const walked = expandPaths(["./apps"]);
      assert.ok(walked.ok);
      assert.deepEqual([...kustomizationNamespaces(walked.value, { roots: ["./apps"] }).keys()], ["apps/db/cluster.yaml"]);
    } finally {
      process.chdir(cwd);
    }
  });

  it("a `namespace: ${NS}` is substituted with the Flux variables (Flux substitutes after kustomize)", () => {
    const root = repo({ "k/kustomization.yaml": "namespace: ${NS:=fallback}\nresources: [c.yaml]\n", "k/c.yaml": cluster("c") });
    const files = [join(root, "k/c.yaml")];
    assert.equal(kustomizationNamespaces(files).get(files[0]!)?.namespace, "${NS:=fallback}");
    assert.equal(kustomizationNamespaces(files, { vars: new Map([["NS", "prod"]]) }).get(files[0]!)?.namespace, "prod");
    assert.equal(kustomizationNamespaces(files, { vars: new Map() }).get(files[0]!)?.namespace, "fallback");
  });
});

describe("kustomizedNamespace", () => {
  const a = { namespace: "databases", kustomization: "k.yaml" };
  it("overrides the namespace of namespaced kinds and leaves cluster-scoped kinds alone", () => {
    assert.equal(kustomizedNamespace({ kind: "Cluster" }, a), "databases");
    assert.equal(kustomizedNamespace({ kind: "ObjectStore" }, a), "databases");
    assert.equal(kustomizedNamespace({ kind: "VolumeSnapshotClass" }, a), undefined);
    assert.equal(kustomizedNamespace({ kind: "Namespace" }, a), undefined);
    assert.equal(kustomizedNamespace({ kind: "Cluster" }, undefined), undefined);
  });
});
