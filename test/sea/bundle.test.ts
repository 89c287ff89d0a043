// The bundle the launcher loads (dist/cli.mjs, scripts/build-cli.ts, built by `npm run build`): one file, loaded
// with Node's compile cache on, without the tsc output, and the build's source patches fail loudly when stale.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../helpers/shared.ts";
import { replaceOnce } from "../../scripts/build-cli.ts";

const BUNDLE = join(repoRoot, "dist", "cli.mjs");
const KUBE = join(repoRoot, "dist", "kube.mjs");
const LAUNCHER = join(repoRoot, "bin", "pg-backup-guard.js");
const skip = existsSync(BUNDLE) ? {} : { skip: "dist/cli.mjs is not built: run `npm run build` (npm test does)" };

describe("dist/cli.mjs", () => {
  it("is one file with no package imports; only the cluster client (dist/kube.mjs) is loaded beside it, on demand", skip, () => {
    const text = readFileSync(BUNDLE, "utf8");
    // Static imports are top-level lines; dynamic ones are code, not JSDoc's `{import('./x')}` type comments.
    const statics = [...text.matchAll(/^import\b[^\n]*?\bfrom\s*["']([^"']+)["']/gm)].map((m) => m[1]!);
    const dynamics = [...text.matchAll(/(?<![{<\w.@])import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);
    assert.deepEqual(statics.filter((s) => !s.startsWith("node:")), [], "a file or package imported statically (loaded on every start)");
    assert.deepEqual([...new Set(dynamics.filter((s) => !s.startsWith("node:")))], ["./kube.mjs"], "dynamic imports other than the cluster client");
    assert.ok(!text.includes("@kubernetes/client-node"), "client-node is imported from node_modules instead of dist/kube.mjs");
    assert.ok(!text.includes("builtin-schemas.json"), "the CRD table is read from a file instead of inlined");
  });

  it("dist/kube.mjs: client-node's parts that src/ uses, bundled (no import of node_modules), and they work", skip, async () => {
    const text = readFileSync(KUBE, "utf8");
    const imports = [...text.matchAll(/(?:^import\b[^\n]*?\bfrom\s*|(?<![{<\w.@])import\(\s*)["']([^"']+)["']/gm)].map((m) => m[1]!);
    assert.deepEqual(imports.filter((s) => !s.startsWith("node:")), [], "dist/kube.mjs imports a package or file");
    const real = await import("../../src/lookups/kube-client.ts");
    const bundled = (await import(pathToFileURL(KUBE).href)) as typeof real;
    assert.deepEqual(Object.keys(bundled).sort(), Object.keys(real).sort());
    // A kubeconfig loads and yields its cluster and the auth header, as the package's own KubeConfig does.
    const config = { apiVersion: "v1", kind: "Config", "current-context": "x", clusters: [{ name: "c", cluster: { server: "https://k.example:6443" } }], users: [{ name: "u", user: { token: "t0k" } }], contexts: [{ name: "x", context: { cluster: "c", user: "u" } }] };
    for (const k8s of [real, bundled]) {
      const kc = new k8s.KubeConfig();
      kc.loadFromString(JSON.stringify(config));
      assert.equal(kc.getCurrentCluster()?.server, "https://k.example:6443");
      const headers: Record<string, string> = {};
      await kc.applySecurityAuthentication({ setHeaderParam: (k: string, v: string) => (headers[k] = v), getUrl: () => "https://k.example:6443/", setAgent: () => {}, getAgent: () => undefined } as never);
      assert.equal(headers.Authorization, "Bearer t0k");
      assert.equal(typeof kc.makeApiClient(k8s.CustomObjectsApi).listClusterCustomObject, "function");
      assert.equal(typeof new k8s.Watch(kc).watch, "function");
    }
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
