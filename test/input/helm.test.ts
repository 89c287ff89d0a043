import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments, type Document } from "yaml";
import { chartOfTemplate, hasCollectionKey, templateLine } from "../../src/input/helm.ts";

describe("templateLine", () => {
  it("finds the first {{ ... }} action outside comments and quotes", () => {
    assert.equal(templateLine("a: 1\n{{- if .Values.x }}\nb: 2\n{{- end }}\n"), 2);
    assert.equal(templateLine("metadata:\n  name: {{ .Release.Name }}-pg\n"), 2);
    assert.equal(templateLine("labels:\n  {{- include \"x.labels\" . | nindent 4 }}\n"), 2);
    // An action may span lines.
    assert.equal(templateLine("a: 1\nb: {{- /*\n  comment\n*/ -}}\n"), 2);
  });

  it("ignores YAML comments, quoted strings and unclosed braces", () => {
    assert.equal(templateLine("# {{ .Values.x }}\na: 1 # {{ y }}\n"), undefined);
    assert.equal(templateLine("a: \"{{ workflow.name }}\"\nb: '{{ inputs.x }}'\n"), undefined);
    assert.equal(templateLine("a: {{ never closed\n"), undefined);
    assert.equal(templateLine("a: plain\n"), undefined);
    // An apostrophe inside a plain scalar does not open a quote.
    assert.equal(templateLine("a: don't {{ .Values.x }}\n"), 1);
    // A `#` without a space before it is not a comment.
    assert.equal(templateLine("a: x#{{ .Values.x }}\n"), 1);
  });
});

const docs = (text: string) => parseAllDocuments(text, { logLevel: "silent" }) as Document.Parsed[];

describe("hasCollectionKey", () => {
  it("is true where {{ }} parsed as a flow map key, false for ordinary manifests", () => {
    assert.equal(hasCollectionKey(docs("a: 1\n---\nname: {{ .Release.Name }}\n")), true);
    assert.equal(hasCollectionKey(docs("a: {b: [1, {c: d}]}\n---\nx: y\n")), false);
  });
});

describe("chartOfTemplate", () => {
  it("is the chart directory for files under <chart>/templates, and undefined elsewhere", () => {
    const root = mkdtempSync(join(tmpdir(), "pgbg-helm-"));
    try {
      mkdirSync(join(root, "db/templates/sub"), { recursive: true });
      mkdirSync(join(root, "plain/templates"), { recursive: true });
      writeFileSync(join(root, "db/Chart.yaml"), "name: db\n");
      assert.equal(chartOfTemplate(join(root, "db/templates/cluster.yaml")), join(root, "db"));
      assert.equal(chartOfTemplate(join(root, "db/templates/sub/x.yaml")), join(root, "db"));
      assert.equal(chartOfTemplate(join(root, "db/values.yaml")), undefined);
      // A `templates` directory without a Chart.yaml next to it is just a directory.
      assert.equal(chartOfTemplate(join(root, "plain/templates/x.yaml")), undefined);
    } finally {
      rmSync(root, { recursive: true });
    }
  });
});
