import { test } from "node:test";
import assert from "node:assert/strict";
import { exceedsDepth, parseManifests } from "../../src/input/parse.ts";

function ok(text: string) {
  const out = parseManifests(text, "x.yaml");
  assert.ok(out.ok, out.ok ? "" : out.error.message);
  return out.parsed;
}

function err(text: string) {
  const out = parseManifests(text, "x.yaml");
  assert.ok(!out.ok, "expected a parse error");
  return out.error;
}

test("multi-document YAML: each object with the line of its first key", () => {
  const p = ok("# header\n---\napiVersion: v1\nkind: A\nmetadata: {name: a}\n---\n\n# c\napiVersion: v1\nkind: B\n---\n");
  assert.deepEqual(p.objects.map((o) => [o.object.kind, o.line, o.doc]), [["A", 3, 0], ["B", 9, 1]]);
});

test("kind: List items are expanded with their own lines", () => {
  const p = ok("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: A\n- apiVersion: v1\n  kind: B\n  metadata: {name: b}\n");
  assert.deepEqual(p.objects.map((o) => [o.object.kind, o.line, o.item]), [["A", 4, 0], ["B", 6, 1]]);
});

test("<Kind>List items without apiVersion/kind get them from the list", () => {
  const p = ok("apiVersion: postgresql.cnpg.io/v1\nkind: ClusterList\nitems:\n- metadata: {name: a}\n");
  assert.equal(p.objects[0]?.object.kind, "Cluster");
  assert.equal(p.objects[0]?.object.apiVersion, "postgresql.cnpg.io/v1");
});

test("non-resources are ignored, not errors: Helm values, kustomization, strings, arrays, empty documents", () => {
  const p = ok("replicaCount: 2\n---\nresources: [a.yaml]\n---\njust a string\n---\n- 1\n- 2\n---\n---\n");
  assert.equal(p.objects.length, 0);
  assert.equal(p.ignored.length, 4);
  assert.match(p.ignored[2]!.reason, /string/);
  assert.match(p.ignored[3]!.reason, /list/);
});

test("JSON documents are read (with tabs)", () => {
  const p = ok('{\n\t"apiVersion": "v1",\n\t"kind": "A"\n}\n');
  assert.equal(p.objects[0]?.line, 1);
});

test("malformed YAML: an error with line and column and the parser's message", () => {
  const e = err("apiVersion: v1\nkind: A\nspec:\n  a: [1, 2\n  b: c\n");
  assert.equal(e.source, "x.yaml");
  assert.ok(e.line! >= 4, `line ${e.line}`);
  assert.ok(e.col! >= 1);
  assert.doesNotMatch(e.message, /\n/);
});

test("duplicate keys are an error (kubectl refuses them too)", () => {
  const e = err("apiVersion: v1\nkind: A\nkind: B\n");
  assert.equal(e.line, 3);
  assert.match(e.message, /unique/);
});

test("an alias bomb is refused quickly", () => {
  const bomb =
    "apiVersion: v1\nkind: A\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n";
  assert.match(err(bomb).message, /alias/);
});

test("absurdly deep nesting is refused, without a crash or a hang", () => {
  const t0 = Date.now();
  assert.match(err("a: " + "[".repeat(20000) + "]".repeat(20000)).message, /nested/);
  assert.match(err("a: " + "[".repeat(300) + "]".repeat(300)).message, /deeper than 256/);
  assert.ok(Date.now() - t0 < 5000);
});

test("exceedsDepth counts levels iteratively", () => {
  assert.equal(exceedsDepth({ a: { b: 1 } }, 2), false);
  assert.equal(exceedsDepth({ a: { b: {} } }, 2), true);
  assert.equal(exceedsDepth("x", 0), false);
});
