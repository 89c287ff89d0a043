import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, truncateSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expandPaths, readFileText, readStream } from "../../src/input/read.ts";
import { MAX_INPUT_BYTES } from "../../src/input/limits.ts";

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), "pgbg-read-"));
  mkdirSync(join(dir, "b"));
  mkdirSync(join(dir, ".git"));
  mkdirSync(join(dir, "node_modules"));
  for (const f of ["z.yaml", "a.yml", "c.json", "notes.txt", "b/x.YAML", ".git/h.yaml", "node_modules/m.yaml"]) writeFileSync(join(dir, f), "a: 1\n");
  return dir;
}

test("directories: manifest files only, sorted, recursive, skipping dot-dirs and node_modules", () => {
  const dir = tree();
  try {
    const out = expandPaths([dir]);
    assert.ok(out.ok);
    assert.deepEqual(out.value.map((p) => p.slice(dir.length + 1)), ["a.yml", "b/x.YAML", "c.json", "z.yaml"]);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("a missing path is an error naming it", () => {
  const out = expandPaths(["/nonexistent/pgbg.yaml"]);
  assert.ok(!out.ok);
  assert.equal(out.error.source, "/nonexistent/pgbg.yaml");
  assert.match(out.error.message, /no such file/);
});

test("a file over the size limit is refused without reading it", () => {
  const dir = mkdtempSync(join(tmpdir(), "pgbg-big-"));
  const file = join(dir, "big.yaml");
  try {
    writeFileSync(file, "");
    truncateSync(file, MAX_INPUT_BYTES + 1); // sparse: costs no disk
    const out = readFileText(file);
    assert.ok(!out.ok);
    assert.match(out.error.message, /limit/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("stdin over the size limit is refused", async () => {
  async function* chunks() {
    const mib = Buffer.alloc(1024 * 1024, 0x61);
    for (let i = 0; i < 40; i++) yield mib;
  }
  const out = await readStream(chunks());
  assert.ok(!out.ok);
  assert.match(out.error.message, /limit/);
});
