// loadSources on realistic GitOps repositories: Flux variables, kustomize namespaces, Helm charts, stdin.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { loadSources, type LoadOptions, type Outcome } from "../../src/input/read.ts";
import { formatInputError, formatSkipped, type ParsedSource } from "../../src/input/types.ts";
import { hasPlaceholder } from "../../src/input/envsubst.ts";
import { kustomizedNamespace } from "../../src/input/kustomize.ts";
import { writeTree } from "../helpers/shared.ts";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function repo(files: Record<string, string>): string {
  const root = writeTree(files, "pgbg-load-");
  dirs.push(root);
  return root;
}

const noStdin = async (): Promise<Outcome<string>> => ({ ok: false, error: { source: "<stdin>", message: "no stdin in this test" } });
const stdin = (text: string) => async (): Promise<Outcome<string>> => ({ ok: true, value: text });

async function load(paths: string[], options: LoadOptions = {}, readStdin = noStdin) {
  const out = await loadSources(paths, readStdin, options);
  assert.ok(out.ok, out.ok ? "" : formatInputError(out.error));
  return out;
}

async function loadErr(paths: string[], options: LoadOptions = {}, readStdin = noStdin) {
  const out = await loadSources(paths, readStdin, options);
  assert.ok(!out.ok, "expected an error");
  return out.error;
}

const objects = (sources: ParsedSource[]) => sources.flatMap((s) => s.objects.map((o) => ({ s, o })));

/** The one object of the input, with its source. */
function only(sources: ParsedSource[]) {
  const all = objects(sources);
  assert.equal(all.length, 1);
  return all[0]!;
}

const FLUX_CLUSTER = `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: \${APP}-postgres
  namespace: \${NS:=databases}
  labels:
    cluster: \${CLUSTER_NAME:=default}
spec:
  instances: 3
  description: "\${NOTE}"
`;

describe("Flux variables", () => {
  it("without vars the text is untouched: placeholders stay and are detectable", async () => {
    const root = repo({ "apps/cluster.yaml": FLUX_CLUSTER });
    const out = await load([root]);
    const { s, o } = only(out.value);
    assert.equal(o.object.metadata.name, "${APP}-postgres");
    assert.equal(hasPlaceholder(String(o.object.metadata.name)), true);
    assert.equal(o.object.metadata.namespace, "${NS:=databases}");
    assert.equal(s.unresolvedVars, undefined);
  });

  it("with vars: values and defaults are filled in, unknown variables stay and are listed per file", async () => {
    const root = repo({ "apps/cluster.yaml": FLUX_CLUSTER });
    const out = await load([root], { vars: new Map([["APP", "shop"], ["NOTE", "line1\nline2"]]) });
    const { s, o } = only(out.value);
    assert.equal(o.object.metadata.name, "shop-postgres");
    assert.equal(o.object.metadata.namespace, "databases");
    assert.deepEqual(o.object.metadata.labels, { cluster: "default" });
    assert.equal((o.object.spec as { description: string }).description, "line1line2");
    assert.deepEqual(s.unresolvedVars, []);
    assert.equal(o.line, 1);

    const partial = await load([root], { vars: new Map() });
    const { s: s2, o: o2 } = only(partial.value);
    assert.equal(o2.object.metadata.name, "${APP}-postgres");
    assert.equal(o2.object.metadata.namespace, "databases");
    assert.deepEqual(s2.unresolvedVars, ["APP", "NOTE"]);
  });

  it("substitution keeps every object's line (a multi-line value loses its newlines, as in Flux)", async () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \${LONG}\n---\napiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\n`;
    const root = repo({ "x.yaml": text });
    const before = await load([join(root, "x.yaml")]);
    const afterSub = await load([join(root, "x.yaml")], { vars: new Map([["LONG", "a\nb\nc"]]) });
    assert.deepEqual(objects(afterSub.value).map(({ o }) => o.line), objects(before.value).map(({ o }) => o.line));
    assert.deepEqual(objects(afterSub.value).map(({ o }) => o.line), [1, 6]);
  });

  it("a `${...}` Flux would reject is a notice, not an error; `$${X}` is the literal ${X}", async () => {
    const root = repo({
      "cm.yaml": 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: scripts\ndata:\n  run.sh: |\n    echo "${args[@]}" $${HOME}\n',
    });
    const out = await load([join(root, "cm.yaml")], { vars: new Map([["X", "1"]]) });
    assert.equal(out.notices.length, 1);
    assert.equal(out.notices[0]!.line, 7);
    assert.match(out.notices[0]!.message, /\$\{args\[@\]\} is not a valid Flux substitution.*bad substitution.*\$\$\{\.\.\.\}/);
    const { o } = only(out.value);
    assert.equal((o.object.data as Record<string, string>)["run.sh"], 'echo "${args[@]}" ${HOME}\n');
  });

  it("stdin is substituted too", async () => {
    const out = await load(["-"], { vars: new Map([["APP", "shop"]]) }, stdin("apiVersion: v1\nkind: Secret\nmetadata: {name: '${APP}-creds'}\n"));
    assert.equal(objects(out.value)[0]!.o.object.metadata.name, "shop-creds");
  });
});

describe("kustomize namespaces through loadSources", () => {
  const layout = {
    "apps/db/kustomization.yaml": "namespace: databases\nresources: [cluster.yaml, objectstore.yaml, ../common/]\npatchesStrategicMerge: [patch.yaml]\n",
    "apps/db/cluster.yaml": "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\nspec:\n  instances: 3\n",
    "apps/db/objectstore.yaml": "apiVersion: barmancloud.cnpg.io/v1\nkind: ObjectStore\nmetadata:\n  name: store\n  namespace: wrong\n",
    "apps/db/patch.yaml": "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\nspec:\n  backup: {}\n",
    "apps/common/kustomization.yaml": "namespace: common\nresources: [vsc.yaml]\n",
    "apps/common/vsc.yaml": "apiVersion: snapshot.storage.k8s.io/v1\nkind: VolumeSnapshotClass\nmetadata: {name: csi}\n",
  };

  it("sources carry the kustomization namespace; patches are skipped with the command to run instead", async () => {
    const root = repo(layout);
    const out = await load([root], { kustomize: true });
    const byFile = Object.fromEntries(out.value.map((s) => [s.source.slice(root.length + 1), s.kustomizeNamespace?.namespace]));
    assert.deepEqual(byFile, {
      "apps/common/kustomization.yaml": undefined,
      "apps/common/vsc.yaml": "databases",
      "apps/db/cluster.yaml": "databases",
      "apps/db/kustomization.yaml": undefined,
      "apps/db/objectstore.yaml": "databases",
    });
    const store = objects(out.value).find(({ o }) => o.object.kind === "ObjectStore")!;
    assert.equal(kustomizedNamespace(store.o.object, store.s.kustomizeNamespace), "databases");
    const vsc = objects(out.value).find(({ o }) => o.object.kind === "VolumeSnapshotClass")!;
    assert.equal(kustomizedNamespace(vsc.o.object, vsc.s.kustomizeNamespace), undefined);

    assert.equal(out.skipped.length, 1);
    assert.equal(out.skipped[0]!.source, join(root, "apps/db/patch.yaml"));
    assert.equal(
      formatSkipped(out.skipped[0]!),
      `${join(root, "apps/db/patch.yaml")}: skipped: a kustomize patch (listed in ${join(root, "apps/db/kustomization.yaml")}), not a whole object; validate the build output instead: kustomize build ${join(root, "apps/db")} | pg-backup-guard validate -`,
    );
  });

  it("off by default: no namespaces, patches read as manifests (today's behaviour)", async () => {
    const root = repo(layout);
    const out = await load([root]);
    assert.ok(out.value.every((s) => s.kustomizeNamespace === undefined));
    assert.ok(out.value.some((s) => s.source.endsWith("patch.yaml")));
    assert.deepEqual(out.skipped, []);
  });
});

describe("Helm templates", () => {
  const chart = {
    "charts/db/Chart.yaml": "apiVersion: v2\nname: db\nversion: 0.1.0\n",
    "charts/db/values.yaml": "backup:\n  enabled: true\n",
    "charts/db/templates/cluster.yaml":
      "{{- if .Values.backup.enabled }}\napiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: {{ .Release.Name }}\n{{- end }}\n",
    "charts/db/templates/static.yaml": "apiVersion: postgresql.cnpg.io/v1\nkind: ScheduledBackup\nmetadata:\n  name: nightly\nspec:\n  schedule: '0 0 0 * * *'\n",
    "charts/db/crds/objectstore.yaml": "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: objectstores.barmancloud.cnpg.io}\n",
    "apps/cluster.yaml": "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: real}\n",
  };

  it("a chart's templates/ are skipped with one notice, even those that parse; the rest of the repo is read", async () => {
    const root = repo(chart);
    const out = await load([root]);
    assert.equal(out.skipped.length, 1);
    const s = out.skipped[0]!;
    assert.equal(s.source, join(root, "charts/db"));
    assert.deepEqual(s.files, [join(root, "charts/db/templates/cluster.yaml"), join(root, "charts/db/templates/static.yaml")]);
    assert.equal(
      formatSkipped(s),
      `${join(root, "charts/db")}: skipped: a Helm chart's templates (2 files, not rendered); render it first: helm template <release> ${join(root, "charts/db")} | pg-backup-guard validate -`,
    );
    assert.deepEqual(objects(out.value).map(({ o }) => o.object.kind).sort(), ["Cluster", "CustomResourceDefinition"]);
    // values.yaml and Chart.yaml are read and ignored as non-objects, as before.
    const ignored = out.value.filter((src) => src.ignored.length > 0).map((src) => src.source.slice(root.length + 1));
    assert.deepEqual(ignored, ["charts/db/Chart.yaml", "charts/db/values.yaml"]);
  });

  it("pointing at the templates directory or a template file of a chart skips them too", async () => {
    const root = repo(chart);
    for (const arg of [join(root, "charts/db/templates"), join(root, "charts/db/templates/static.yaml")]) {
      const out = await load([arg]);
      assert.equal(out.value.length, 0, arg);
      assert.equal(out.skipped[0]!.source, join(root, "charts/db"), arg);
    }
  });

  it("an unparsable template outside a chart is skipped, naming the line of its first {{ }}", async () => {
    const root = repo({
      "raw/cluster.yaml": "# rendered by CI\napiVersion: postgresql.cnpg.io/v1\n{{- if .Values.backup }}\nkind: Cluster\n{{- end }}\n",
    });
    const file = join(root, "raw/cluster.yaml");
    const out = await load([file]);
    assert.equal(out.value.length, 0);
    assert.equal(
      formatSkipped(out.skipped[0]!),
      `${file}: skipped: looks like a Helm template ({{ ... }} at line 3); render it first: helm template <release> <chart> | pg-backup-guard validate -`,
    );
    assert.equal(out.skipped[0]!.line, 3);
  });

  it("a template that happens to parse (name: {{ .Release.Name }} is a map key) is skipped, not validated", async () => {
    const root = repo({
      "raw/cluster.yaml": "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  instances: {{ .Values.instances }}\n",
    });
    const out = await load([root]);
    assert.equal(out.value.length, 0);
    assert.equal(out.skipped[0]!.line, 4);
  });

  it("quoted {{ }} (Argo, Tekton) is a normal string, and a file with it still parses into objects", async () => {
    const root = repo({ "wf.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: w\n  labels: {run: \"{{workflow.name}}\"}\n" });
    const out = await load([root]);
    assert.equal(out.skipped.length, 0);
    assert.deepEqual(out.value[0]!.objects[0]!.object.metadata.labels, { run: "{{workflow.name}}" });
  });

  it("other unparsable YAML is still an error with file:line:col, even with {{ }} in quotes or comments", async () => {
    const root = repo({
      "junk.yaml": "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: [1, 2\n  b: c\n",
      "quoted.yaml": 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "{{ x }}"}\ndata:\n  a: [1, 2\n',
      "comment.yaml": "# {{ .Values.x }}\napiVersion: v1\nkind: ConfigMap\ndata:\n  a: [1, 2\n",
    });
    for (const f of ["junk.yaml", "quoted.yaml", "comment.yaml"]) {
      const e = await loadErr([join(root, f)]);
      assert.equal(e.source, join(root, f));
      assert.ok(e.line !== undefined && e.col !== undefined, f);
      assert.match(formatInputError(e), new RegExp(`^${join(root, f).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: `), f);
      assert.doesNotMatch(e.message, /Helm/, f);
    }
  });

  it("a template on stdin is an error (nothing else would be validated), with the helm template hint", async () => {
    const e = await loadErr(["-"], {}, stdin("{{- if .Values.backup }}\napiVersion: v1\nkind: Cluster\n{{- end }}\n"));
    assert.equal(e.source, "<stdin>");
    assert.match(e.message, /unrendered Helm template \(\{\{ \.\.\. \}\} at line 1\); render it first: helm template/);
  });
});

describe("concatenated documents without ---", () => {
  const a = "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: a\n";
  const b = "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: b\n";

  it("cat a.yaml b.yaml on stdin: the duplicate-key error says what probably happened", async () => {
    const e = await loadErr(["-"], {}, stdin(a + b));
    assert.equal(e.source, "<stdin>");
    assert.equal(e.line, 5);
    assert.match(e.message, /Map keys must be unique: "apiVersion" appears twice at the top level \(two documents without a "---" line between them\? e\.g\. `cat a\.yaml b\.yaml`/);
  });

  it("same in a file, and with the mutate (editable) parser", async () => {
    const root = repo({ "all.yaml": a + b });
    for (const editable of [false, true]) {
      const e = await loadErr([join(root, "all.yaml")], { editable });
      assert.match(e.message, /two documents without a "---" line/);
    }
  });

  it("a file without a trailing newline: apiVersion glued to the previous line", async () => {
    const e = await loadErr(["-"], {}, stdin(a.trimEnd() + b));
    assert.equal(e.line, 4);
    assert.match(e.message, /"apiVersion:" follows other text on this line \(two files joined without a newline\?/);
  });

  it("no hint for a duplicate key that is not a document key, or below the top level", async () => {
    const e1 = await loadErr(["-"], {}, stdin("apiVersion: v1\nkind: A\nspec: {}\nspec: {}\n"));
    assert.doesNotMatch(e1.message, /---/);
    const e2 = await loadErr(["-"], {}, stdin("apiVersion: v1\nkind: A\nspec:\n  kind: x\n  kind: y\n"));
    assert.doesNotMatch(e2.message, /---/);
  });

  it("with --- between them both objects are read", async () => {
    const out = await load(["-"], {}, stdin(`${a}---\n${b}`));
    assert.deepEqual(objects(out.value).map(({ o }) => o.object.metadata.name), ["a", "b"]);
  });
});
