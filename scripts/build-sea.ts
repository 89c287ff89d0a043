// Builds the single executable (Node.js SEA): dist/pg-backup-guard, a copy of this project's Node 24 binary with
// the whole CLI injected, so that it runs without Node.js or npm on the machine.  Run: npm run build:sea
//
// Steps (https://nodejs.org/docs/latest-v24.x/api/single-executable-applications.html): esbuild bundles
// src/cli/main.ts with every dependency (also @kubernetes/client-node: an SEA's require() reaches only Node's
// built-ins) into one CommonJS script (an SEA's main script is CommonJS in Node 24), with the same
// build plugins as dist/cli.mjs (scripts/build-cli.ts: the version and the CRD schema table inlined, built-ins
// and some packages loaded on first use);
// `node --experimental-sea-config` turns it into a blob with V8's code cache; postject injects the blob into a
// copy of process.execPath. Node 24.21 has no `--build-sea` (Node 25); this is the documented Node 24 route.
//
// Where no SEA can be built (a Node binary without the SEA fuse, an OS other than Linux or macOS), it says so,
// writes the reason to dist/pg-backup-guard.unavailable (test/sea/ skips with it) and exits 0; any other failure
// exits 1. On macOS the copy is re-signed ad hoc with codesign (the injection invalidates the signature).
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { build } from "esbuild";
import { cliBuildOptions, inlineFilesPlugin, lazyImportsPlugin, precompiledPolicyPlugin, repoRoot, WORKER_SEA_ASSET } from "./build-cli.ts";

export const SEA = join(repoRoot, "dist", "pg-backup-guard");
export const UNAVAILABLE = `${SEA}.unavailable`;
const FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
const work = join(repoRoot, "dist", "sea");

function unavailable(reason: string): never {
  mkdirSync(join(repoRoot, "dist"), { recursive: true });
  writeFileSync(UNAVAILABLE, `${reason}\n`);
  console.log(`build:sea: no single executable on this machine: ${reason}`);
  process.exit(0);
}

const started = performance.now();
rmSync(SEA, { force: true });
rmSync(UNAVAILABLE, { force: true });
if (process.platform !== "linux" && process.platform !== "darwin") unavailable(`not built on ${process.platform} (Linux and macOS only)`);
if (!readFileSync(process.execPath).includes(FUSE)) unavailable(`${process.execPath} (Node ${process.version}) has no SEA fuse`);

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const main = join(work, "main.cjs");
// process.argv in an SEA is [executable, executable, ...arguments], as for `node script.js ...`.
await build(
  cliBuildOptions({
    entryPoints: undefined,
    stdin: {
      contents: `import { main } from "./src/cli/main.ts";\nmain(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n`,
      resolveDir: repoRoot,
      sourcefile: "sea-main.ts",
      loader: "ts",
    },
    outfile: main,
    format: "cjs",
    external: [],
    banner: {},
    // The SEA's require() is Node's built-ins only; `require("node:sea")` is one of them. A bundled dependency
    // that reads import.meta gets an empty object in CommonJS: esbuild warns, and the build fails on it.
    logOverride: { "empty-import-meta": "error" },
    plugins: [lazyImportsPlugin(), inlineFilesPlugin({ sea: true }), precompiledPolicyPlugin()],
  }),
);
// The offload worker (serve --offload-threshold): an SEA can start no worker file of its own, so the worker's
// bundle goes in as an asset and src/webhook/offload-source.ts evaluates it (new Worker(code, { eval: true })).
const workerBundle = join(work, WORKER_SEA_ASSET);
await build(
  cliBuildOptions({
    entryPoints: [join(repoRoot, "src", "webhook", "offload-worker.ts")],
    outfile: workerBundle,
    format: "cjs",
    external: [],
    banner: {},
    logOverride: { "empty-import-meta": "error" },
    plugins: [lazyImportsPlugin(), inlineFilesPlugin({ sea: true })],
  }),
);

const blob = join(work, "sea-prep.blob");
const config = join(work, "sea-config.json");
writeFileSync(config, JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, assets: { [WORKER_SEA_ASSET]: workerBundle } }, null, 2));
const prep = spawnSync(process.execPath, ["--experimental-sea-config", config], { encoding: "utf8" });
if (prep.status !== 0) {
  console.error(`build:sea: node --experimental-sea-config failed (exit ${prep.status}):\n${prep.stderr}`);
  process.exit(1);
}

copyFileSync(process.execPath, SEA);
chmodSync(SEA, 0o755);
if (process.platform === "darwin") spawnSync("codesign", ["--remove-signature", SEA], { stdio: "inherit" });
const { inject } = createRequire(import.meta.url)("postject") as {
  inject: (file: string, name: string, data: Buffer, options: { sentinelFuse: string; machoSegmentName?: string }) => Promise<void>;
};
await inject(SEA, "NODE_SEA_BLOB", readFileSync(blob), { sentinelFuse: FUSE, machoSegmentName: "NODE_SEA" });
if (process.platform === "darwin") {
  const sign = spawnSync("codesign", ["--sign", "-", SEA], { stdio: "inherit" });
  if (sign.status !== 0) process.exit(1);
}

const check = spawnSync(SEA, ["--version"], { encoding: "utf8" });
const version = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string }).version;
if (check.status !== 0 || check.stdout.trim() !== version) {
  console.error(`build:sea: dist/pg-backup-guard --version gave exit ${check.status}, ${JSON.stringify(check.stdout)}:\n${check.stderr}`);
  process.exit(1);
}
rmSync(work, { recursive: true, force: true });
const mib = readFileSync(SEA).length / 2 ** 20;
console.log(`dist/pg-backup-guard: ${mib.toFixed(0)} MiB (Node ${process.version}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
