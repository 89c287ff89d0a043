// Findings point at the line of their field, in every format, on files the way repositories hold them: several
// documents per file, comments, flow maps, Lists, JSON, parameter keys with dots.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { formatFieldPath, keyPath, parseFieldPath, type FieldSegment } from "../../src/engine/field-path.ts";
import { run } from "./run.ts";

/** The 1-based line of the first line of `text` that contains `needle` (after line `after`). */
function lineOf(text: string, needle: string, after = 0): number {
  const i = text.split("\n").findIndex((l, n) => n >= after && l.includes(needle));
  assert.ok(i >= 0, `"${needle}" not in the text`);
  return i + 1;
}

// Document 1 is clean; document 2 archives to the CNPG-deprecated in-tree store and has a Backup schedule of six
// fields in document 3 that fires every second; the findings sit deep in documents 2 and 3.
const MULTI = `# a GitOps file: several objects, comments, no namespaces (kustomize sets them)
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: b
---
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: pg
spec:
  instances: 3
  storage:
    size: 10Gi
  postgresql:
    parameters:
      pg_stat_statements.max: "10000"
      archive_timeout: 30min   # longer than the rpo
  plugins:
    - name: barman-cloud.cloudnative-pg.io
      isWALArchiver: true
      parameters:
        barmanObjectName: pg-store
---
apiVersion: postgresql.cnpg.io/v1
kind: ScheduledBackup
metadata:
  name: pg-daily
spec:
  cluster:
    name: pg
  method: plugin
  pluginConfiguration:
    name: barman-cloud.cloudnative-pg.io
  schedule: "* * * * * *"
`;

test("text, JSON, SARIF, GitHub and JUnit give the line of the field, in every document of a file", async () => {
  const json = JSON.parse((await run(["validate", "-", "-o", "json"], { stdin: MULTI })).stdout);
  const findings = json.results.flatMap((r: { findings: { rule: string; path: string; line: number; field: FieldSegment[] }[] }) => r.findings);
  const timeout = findings.find((f: { path: string }) => f.path.endsWith("archive_timeout"));
  assert.ok(timeout, JSON.stringify(findings, null, 2));
  assert.equal(timeout.line, lineOf(MULTI, "archive_timeout:"));
  assert.deepEqual(timeout.field, ["spec", "postgresql", "parameters", "archive_timeout"]);
  const schedule = findings.find((f: { path: string }) => f.path === "spec.schedule");
  assert.ok(schedule, JSON.stringify(findings, null, 2));
  assert.equal(schedule.line, lineOf(MULTI, 'schedule: "*'));
  // Each resource still has its own first line.
  assert.deepEqual(json.results.map((r: { line: number }) => r.line), [lineOf(MULTI, "kind: Cluster") - 1, lineOf(MULTI, "kind: ScheduledBackup") - 1]);

  const sarif = JSON.parse((await run(["validate", "-", "--format", "sarif"], { stdin: MULTI })).stdout);
  type SarifResult = { level: string; locations: { physicalLocation: { region: { startLine: number } } }[] };
  const sarifLines = sarif.runs[0].results
    .filter((r: SarifResult) => r.level !== "note") // injected defaults are notes at the resource's line
    .map((r: SarifResult) => r.locations[0]!.physicalLocation.region.startLine);
  const byNumber = (a: number, b: number) => a - b;
  assert.deepEqual(sarifLines.sort(byNumber), findings.map((f: { line: number }) => f.line).sort(byNumber));
  assert.ok(sarifLines.includes(lineOf(MULTI, "archive_timeout:")));

  const text = (await run(["validate", "-"], { stdin: MULTI })).stdout;
  assert.match(text, new RegExp(`line ${lineOf(MULTI, "archive_timeout:")}  spec\\.postgresql\\.parameters\\.archive_timeout: `));
  assert.match(text, new RegExp(`line ${lineOf(MULTI, 'schedule: "*')}  spec\\.schedule: `));

  const gh = (await run(["validate", "-", "--format", "github"], { stdin: MULTI })).stdout;
  assert.match(gh, new RegExp(`line=${lineOf(MULTI, 'schedule: "*')},`));
  const junit = (await run(["validate", "-", "--format", "junit"], { stdin: MULTI })).stdout;
  assert.match(junit, new RegExp(`&lt;stdin&gt;:${lineOf(MULTI, 'schedule: "*')} spec\\.schedule|<stdin>:${lineOf(MULTI, 'schedule: "*')} spec\\.schedule`));
});

test("a missing field points at the nearest written field above it; a List item and JSON have their own lines", async () => {
  const list = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: x}
  - apiVersion: postgresql.cnpg.io/v1
    kind: Cluster
    metadata: {name: pg, namespace: db}
    spec:
      instances: 1
`;
  const out = JSON.parse((await run(["validate", "-", "-o", "json"], { stdin: list })).stdout);
  const f = out.results[0].findings.find((x: { path: string }) => x.path === "spec.backup");
  assert.ok(f, JSON.stringify(out.results[0].findings));
  assert.equal(f.line, lineOf(list, "spec:")); // spec.backup is not written: its parent spec is
  assert.equal(out.results[0].line, lineOf(list, "postgresql.cnpg.io"));

  const asJson = JSON.stringify({ apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "pg", namespace: "db" }, spec: { instances: 1 } }, null, 2);
  const j = JSON.parse((await run(["validate", "-", "-o", "json"], { stdin: asJson })).stdout);
  const g = j.results[0].findings.find((x: { path: string }) => x.path === "spec.backup");
  assert.equal(g.line, lineOf(asJson, '"spec"'));
});

test("field paths: map keys with dots are bracketed and read back exactly", () => {
  assert.equal(keyPath("spec.postgresql.parameters", "pg_stat_statements.max"), "spec.postgresql.parameters[pg_stat_statements.max]");
  assert.equal(keyPath("spec.postgresql.parameters", "archive_timeout"), "spec.postgresql.parameters.archive_timeout");
  assert.deepEqual(parseFieldPath("spec.plugins[0].parameters[barman.x]"), ["spec", "plugins", 0, "parameters", "barman.x"]);
  assert.deepEqual(parseFieldPath('spec.x["0"]["a]b"]'), ["spec", "x", "0", "a]b"]);
  assert.deepEqual(parseFieldPath(""), []);
  // Any segments survive a round trip (keys of any text, indexes).
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string({ minLength: 1 }), fc.nat({ max: 9999 })), { maxLength: 6 }), (segments) => {
      const path = formatFieldPath(segments);
      assert.deepEqual(parseFieldPath(path), segments, path);
    }),
    { numRuns: 500 },
  );
  // Never throws on junk.
  fc.assert(fc.property(fc.string(), (s) => Array.isArray(parseFieldPath(s))), { numRuns: 500 });
});
