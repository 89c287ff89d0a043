import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseManifestsFast } from "../../src/input/fast-parse.ts";
import { parseManifests } from "../../src/input/parse.ts";

/** What validate needs from a parse: the objects with their lines, and the skipped documents. */
function view(text: string) {
  const full = parseManifests(text, "x.yaml");
  assert.ok(full.ok, "the full parser must accept the sample");
  const fast = parseManifestsFast(text, "x.yaml");
  return { full: full.parsed, fast };
}

const SAMPLES: Record<string, string> = {
  "documents with comments and markers": `# leading comment
---
# about the cluster
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: {name: a}
---
---   
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
data:
  text: |
    --- not a marker inside a block scalar? it is indented, so it is content
...
--- {apiVersion: postgresql.cnpg.io/v1, kind: Backup, metadata: {name: c}}
`,
  "scalars keep YAML 1.2 core types": `apiVersion: v1
kind: ConfigMap
metadata:
  name: t
  annotations:
    pgbackupguard.io/exempt-until: 2026-12-31
data: {on: on, yes: yes, oct: 0o14, num: 014, nul: ~, f: 1.5e3, inf: .inf}
`,
  "merge keys": `apiVersion: v1
kind: ConfigMap
metadata: {name: m}
data:
  <<: {a: "1"}
  b: "2"
`,
  "JSON": `{"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster", "metadata": {"name": "j"}, "spec": {"instances": 3}}`,
  "non-resources": `replicaCount: 3
---
- a list
---
just a string
`,
};

describe("fast parser (validate)", () => {
  for (const [name, text] of Object.entries(SAMPLES)) {
    it(`agrees with the yaml parser: ${name}`, () => {
      const { full, fast } = view(text);
      assert.ok(fast, "the fast path should handle this input");
      // span: only the fast parser sets it (locate.ts reads the slice again; test/input/locate.test.ts checks the lines agree).
      assert.deepEqual(fast.objects.map(({ span: _s, ...o }) => o), full.objects.map(({ source, line, object, doc }) => ({ source, line, object, doc })));
      assert.deepEqual(fast.ignored, full.ignored);
    });
  }

  it("exempt-until written as a bare date stays a string (no YAML 1.1 timestamps)", () => {
    const { fast } = view(SAMPLES["scalars keep YAML 1.2 core types"]!);
    assert.equal(fast!.objects[0]!.object.metadata.annotations!["pgbackupguard.io/exempt-until"], "2026-12-31");
  });

  it("hands aliases, Lists and malformed YAML to the full parser", () => {
    assert.equal(parseManifestsFast("a: &x {b: 1}\nc: *x\n", "x"), undefined);
    assert.equal(parseManifestsFast("apiVersion: v1\nkind: List\nitems: [{apiVersion: v1, kind: X, metadata: {name: y}}]\n", "x"), undefined);
    assert.equal(parseManifestsFast("a: [1, 2\n", "x"), undefined);
    assert.equal(parseManifestsFast("a: 1\na: 2\n", "x"), undefined);
    assert.equal(parseManifestsFast("[".repeat(10_000), "x"), undefined);
  });
});
