// Slow valid inputs, out-of-range policy durations and junk that is not YAML objects (issue 12).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { parseManifests } from "../../src/input/parse.ts";
import { textDepthExceeds } from "../../src/input/depth.ts";
import { MAX_DEPTH } from "../../src/input/limits.ts";
import { parsePolicyText } from "../../src/policy/load.ts";
import { run } from "../cli/run.ts";

describe("nesting is refused while parsing, not after", () => {
  const N = 1_000_000;
  const cases: [string, string][] = [
    ["10⁶ flow sequences", `a: ${"[".repeat(N)}${"]".repeat(N)}\n`],
    ["10⁶ flow maps", `a: ${"{a: ".repeat(N)}1${"}".repeat(N)}\n`],
    ["10⁶ compact block sequences", `${"- ".repeat(N)}x\n`],
    ["10⁶ unclosed brackets", "[".repeat(N)],
    ["2,000 indented block maps", `${Array.from({ length: 2000 }, (_, i) => `${" ".repeat(i)}a:\n`).join("")}${" ".repeat(2000)}b: 1\n`],
  ];
  for (const [name, text] of cases) {
    it(`${name}: an error in well under a second (was 15-45 s and up to 1.2 GB)`, { timeout: 60_000 }, () => {
      const start = performance.now();
      const r = parseManifests(text, "deep.yaml");
      const ms = performance.now() - start;
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.error.message, new RegExp(`nested deeper than ${MAX_DEPTH} levels`));
      assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
    });
  }

  it("no false alarm: brackets in quotes, plain scalars, comments and block scalars; real depth at the limit", () => {
    const deep = "[".repeat(300);
    const texts = [
      `a: "${deep}"\n`,
      `a: '${deep}'\n`,
      `a: x${deep}\n`,
      `a: 1 # ${deep}\n`,
      `a: |\n  ${deep}\n  ${deep}\nb: 2\n`,
      `- >-\n    ${deep}\n`,
      `a: [${'"]"'.repeat(3)}, "${deep}"]\n`,
      `a: ${"[".repeat(MAX_DEPTH - 1)}${"]".repeat(MAX_DEPTH - 1)}\n`, // depth MAX_DEPTH: accepted
    ];
    for (const t of texts) assert.equal(textDepthExceeds(t, MAX_DEPTH), undefined, t.slice(0, 40));
    assert.ok(textDepthExceeds(`a: ${"[".repeat(MAX_DEPTH)}${"]".repeat(MAX_DEPTH)}\n`, MAX_DEPTH));
  });
});

describe("policy durations out of range name the field", () => {
  const doc = (spec: string) => `apiVersion: pgbackupguard.io/v1alpha1\nkind: BackupPolicy\nmetadata: {name: p}\nspec:\n${spec}`;
  const bad: [string, string, RegExp][] = [
    ["  rpo: 99999999999999999999w\n", "spec.rpo", /out of range/],
    ["  rules:\n    schedule-too-rare: {maxInterval: 0s}\n", "spec.rules.schedule-too-rare.maxInterval", /longer than 0s/],
    ["  rules:\n    schedule-too-rare: {maxInterval: 99999999999999999999w}\n", "spec.rules.schedule-too-rare.maxInterval", /out of range/],
    ["  rules:\n    schedule-too-frequent: {minInterval: 5300w}\n", "spec.rules.schedule-too-frequent.minInterval", /out of range/],
  ];
  for (const [spec, path, message] of bad) {
    it(`${spec.trim()}: an error at ${path}`, () => {
      const r = parsePolicyText(doc(spec), "p.yaml");
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.errors[0]!.path, path);
        assert.match(r.errors[0]!.message, message);
      }
    });
  }
  it("still accepted: minInterval 0s (no minimum), maxInterval 5200w, rpo 1h30m", () => {
    for (const spec of ["  rules:\n    schedule-too-frequent: {minInterval: 0s}\n", "  rules:\n    schedule-too-rare: {maxInterval: 5200w}\n", "  rpo: 1h30m\n"])
      assert.ok(parsePolicyText(doc(spec), "p.yaml").ok, spec);
  });
});

describe("junk that is not YAML objects", () => {
  let dir = "";
  const files: Record<string, string | Buffer> = {
    "gzip.yaml": gzipSync("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"),
    "nul.yaml": Buffer.from("a\0b\0"),
    "scalar.yaml": "hello\n",
    "list.json": '["a", "b"]\n',
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "pbg-junk-"));
    mkdirSync(join(dir, "walk"));
    for (const [name, body] of Object.entries(files)) {
      writeFileSync(join(dir, name), body);
      writeFileSync(join(dir, "walk", name), body);
    }
    writeFileSync(join(dir, "walk", "values.yaml"), "replicas: 3\n"); // a map without apiVersion: ignored as before
    writeFileSync(join(dir, "walk", "empty.yaml"), "---\n# nothing\n");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, pattern] of [
    ["gzip.yaml", /not YAML text: the control character U\+001F at line 1 \(gzip data\?\)/],
    ["nul.yaml", /not YAML text: a NUL byte at line 1/],
    ["scalar.yaml", /not a Kubernetes document set: the document at line 1 is a string/],
    ["list.json", /not a Kubernetes document set: the document at line 1 is a list/],
  ] as [string, RegExp][]) {
    it(`${name} named on the command line: exit 2 (was 0, "nothing to check")`, async () => {
      const r = await run(["validate", join(dir, name)]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, pattern);
    });
  }

  it("stdin with a NUL byte: exit 2", async () => {
    const r = await run(["validate", "-"], { stdin: "apiVersion: v1\0\n" });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /<stdin>: not YAML text: a NUL byte/);
  });

  it("found by a directory walk: a notice per file, exit 0", async () => {
    const r = await run(["validate", join(dir, "walk")]);
    assert.equal(r.code, 0, r.stderr);
    for (const name of Object.keys(files)) assert.match(r.stderr, new RegExp(`note: .*${name.replace(".", "\\.")}: skipped: not`));
    assert.doesNotMatch(r.stderr, /values\.yaml|empty\.yaml/);
  });

  it("a Kubernetes object whose metadata is not a map: exit 2", async () => {
    const r = await run(["validate", "-"], { stdin: "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: pg\nspec: {instances: 1}\n" });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /metadata must be a map/);
  });
});
