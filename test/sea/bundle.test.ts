// The bundle the launcher loads (dist/cli.mjs, scripts/build-cli.ts, built by `npm run build`): one file, loaded
// with Node's compile cache on, without the tsc output, and the build's source patches fail loudly when stale.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../helpers/shared.ts";
import { replaceOnce } from "../../scripts/build-cli.ts";

const BUNDLE = join(repoRoot, "dist", "cli.mjs");
const LAUNCHER = join(repoRoot, "bin", "pg-backup-guard.js");
const skip = existsSync(BUNDLE) ? {} : { skip: "dist/cli.mjs is not built: run `npm run build` (npm test does)" };

describe("dist/cli.mjs", () => {
  it("is one file: it imports no other file of the package, and only client-node from node_modules", skip, () => {
    const text = readFileSync(BUNDLE, "utf8");
    // Static imports are top-level lines; dynamic ones are code, not JSDoc's `{import('./x')}` type comments.
    const statics = [...text.matchAll(/^import\b[^\n]*?\bfrom\s*["']([^"']+)["']/gm)].map((m) => m[1]!);
    const dynamics = [...text.matchAll(/(?<![{<\w.@])import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);
    const local = [...statics, ...dynamics].filter((s) => s.startsWith("."));
    assert.deepEqual(local, [], "the bundle imports files beside it");
    assert.deepEqual([...new Set(statics.filter((s) => !s.startsWith("node:")))], [], "a package imported statically (loaded on every start)");
    assert.deepEqual([...new Set(dynamics.filter((s) => !s.startsWith("node:")))], ["@kubernetes/client-node"]);
    assert.ok(!text.includes("builtin-schemas.json"), "the CRD table is read from a file instead of inlined");
  });

  it("the launcher loads it with the compile cache on, and not the tsc output", skip, () => {
    const cache = mkdtempSync(join(tmpdir(), "pgbg-cc-"));
    try {
      const env = { ...process.env, NODE_COMPILE_CACHE: cache, NODE_DEBUG_NATIVE: "COMPILE_CACHE" };
      const args = [LAUNCHER, "validate", join(repoRoot, "examples", "cnpg-plugin", "cluster.yaml")];
      const first = spawnSync(process.execPath, args, { encoding: "utf8", env });
      assert.equal(first.status, 0, first.stderr);
      const second = spawnSync(process.execPath, args, { encoding: "utf8", env });
      assert.equal(second.status, 0, second.stderr);
      assert.match(second.stdout, /Cluster shop\/orders\s+ok/);
      assert.match(second.stderr, /cache for ESM \S*\/dist\/cli\.mjs/);
      assert.match(second.stderr, /V8 code cache for ESM \S*\/dist\/cli\.mjs was accepted/);
      assert.doesNotMatch(second.stderr, /dist\/cli\/main\.js/);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it("--version from the bundle is package.json's (inlined at build time)", skip, () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };
    const result = spawnSync(process.execPath, [LAUNCHER, "--version"], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), pkg.version);
  });
});

describe("scripts/build-cli.ts source patches", () => {
  it("replace exactly one occurrence, and fail on none or several", () => {
    assert.equal(replaceOnce("a X b", "f.ts", "X", "Y"), "a Y b");
    assert.throws(() => replaceOnce("a b", "f.ts", "X", "Y"), /expected exactly one "X" in f\.ts/);
    assert.throws(() => replaceOnce("X X", "f.ts", "X", "Y"), /expected exactly one/);
  });

  it("still match src/cli/version.ts and src/crd/schemas.ts", () => {
    const version = readFileSync(join(repoRoot, "src", "cli", "version.ts"), "utf8");
    replaceOnce(version, "version.ts", `readFileSync(new URL("../../package.json", import.meta.url), "utf8")`, "");
    const schemas = readFileSync(join(repoRoot, "src", "crd", "schemas.ts"), "utf8");
    replaceOnce(schemas, "schemas.ts", `const BUILTIN_URL = new URL("./builtin-schemas.json", import.meta.url);`, "");
    replaceOnce(schemas, "schemas.ts", `readFileSync(BUILTIN_URL, "utf8")`, "");
  });
});
