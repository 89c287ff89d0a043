// Real processes: the module graph of the offline CLI, and the built bin/pg-backup-guard.js.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..", "..");
const NODE = process.execPath;
const HOOK = join(import.meta.dirname, "fixtures", "record-imports.mjs");
const BIN = join(ROOT, "bin", "pg-backup-guard.js");
const HEAVY = ["@kubernetes/client-node", "express", "pino", "prom-client"];

/** Runs the CLI from source with the import recorder; returns the modules it resolved. */
function modulesLoaded(args: string[], stdin: string): { code: number | null; modules: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "pgbg-graph-"));
  const log = join(dir, "imports.txt");
  try {
    const script = `import { main } from ${JSON.stringify(join(ROOT, "src/cli/main.ts"))}; process.exitCode = await main(${JSON.stringify(args)});`;
    const r = spawnSync(NODE, ["--import", HOOK, "--input-type=module", "-e", script], {
      input: stdin,
      env: { ...process.env, PGBG_IMPORT_LOG: log },
      encoding: "utf8",
      timeout: 30_000,
    });
    return { code: r.status, modules: existsSync(log) ? readFileSync(log, "utf8").split("\n") : [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const heavyIn = (modules: string[]) => HEAVY.filter((pkg) => modules.some((m) => m.includes(`/node_modules/${pkg}/`)));

const CLUSTER = "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: pg}\nspec: {instances: 1}\n";

test("offline validate never loads @kubernetes/client-node, express, pino or prom-client", () => {
  const { code, modules } = modulesLoaded(["validate", "-", "--format", "sarif"], CLUSTER);
  assert.equal(code, 1);
  assert.ok(modules.some((m) => m.includes("/node_modules/yaml/")), "the recorder saw the yaml package");
  assert.deepEqual(heavyIn(modules), []);
});

test("the recorder does catch a heavy import (validate --kubeconfig loads the client)", () => {
  const dir = mkdtempSync(join(tmpdir(), "pgbg-kc-"));
  try {
    const kc = join(dir, "config");
    writeFileSync(kc, "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'http://127.0.0.1:9', insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n");
    const { code, modules } = modulesLoaded(["validate", "-", "--kubeconfig", kc], CLUSTER);
    assert.equal(code, 2);
    assert.deepEqual(heavyIn(modules), ["@kubernetes/client-node"]);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("bin/pg-backup-guard.js (built): exit codes, stdin, JSON", (t) => {
  if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) {
    t.skip("dist/ is not built: run `npm run build` (npm test does)");
    return;
  }
  const bin = (args: string[], input = "") => spawnSync(NODE, [BIN, ...args], { input, encoding: "utf8", cwd: ROOT, timeout: 30_000 });
  assert.equal(bin(["validate", "examples/"]).status, 0);
  const denied = bin(["validate", "-", "--format", "json"], CLUSTER);
  assert.equal(denied.status, 1, denied.stderr);
  assert.equal(JSON.parse(denied.stdout).summary.denied, 1);
  const usage = bin(["validate", "--bogus"]);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /^pg-backup-guard: Unknown option '--bogus'/);
  assert.doesNotMatch(usage.stderr, /\n\s+at /);
  const bad = bin(["validate", "-"], "a: [\n");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^pg-backup-guard: <stdin>:\d+:\d+: /);
});
