// Bundles the CLI into one file with esbuild (issue 13, start-up time). Run by `npm run build` after tsc:
//
//   node scripts/build-cli.ts            # dist/cli.mjs: one ESM file, what bin/pg-backup-guard.js loads
//
// What goes into the bundle: every module of src/ and every dependency except @kubernetes/client-node, which only
// `serve`, `audit` and `--kubeconfig` load, through dynamic import() (it stays a real `import()` from
// node_modules, and is 20 MB once bundled). Dependencies that src/ imports statically from modules that are
// themselves loaded lazily (express, pino, prom-client in src/webhook/) must be bundled: esbuild hoists the
// static imports of external packages to the top of a one-file bundle, so leaving them external would load them
// on every start. Bundled, they are wrapped in esbuild's lazy module initialisers and cost only parse time.
//
// Two modules read files relative to their own location (import.meta.url), which in a bundle is the bundle's
// location: src/cli/version.ts (../../package.json) and src/crd/schemas.ts (./builtin-schemas.json). The plugin
// below inlines both at build time (the version string and the schema table's JSON text), so the bundle needs no
// file beside it and the single executable (scripts/build-sea.ts) can use the same build. Each replacement must
// match exactly once: a changed source fails the build instead of bundling a silently different module.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { build, type BuildOptions, type Plugin } from "esbuild";

export const repoRoot = resolve(import.meta.dirname, "..");
export const BUNDLE = join(repoRoot, "dist", "cli.mjs");
/** Loaded with import() only, by the commands that talk to a cluster. */
export const EXTERNAL = ["@kubernetes/client-node"];

export function replaceOnce(text: string, file: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) {
    throw new Error(`scripts/build-cli.ts: expected exactly one ${JSON.stringify(from)} in ${file}; update the build plugin`);
  }
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** The offload worker's bundle (src/webhook/offload-worker.ts), beside dist/cli.mjs, which starts it. */
export const WORKER_BUNDLE = join(repoRoot, "dist", "offload-worker.mjs");
/** Its name as an asset of the single executable (scripts/build-sea.ts). */
export const WORKER_SEA_ASSET = "offload-worker.cjs";

const OFFLOAD_SOURCE_BODY = `  const here = import.meta.url;
  return { kind: "file", url: new URL(here.endsWith(".ts") ? "./offload-worker.ts" : "./offload-worker.js", here) };`;

/**
 * Inlines what src/cli/version.ts and src/crd/schemas.ts read from beside themselves, and points
 * src/webhook/offload-source.ts at the offload worker's bundle: dist/offload-worker.mjs beside the bundle, or, in
 * the single executable (`sea`), the SEA asset evaluated as a worker (an SEA starts no file of its own).
 */
export function inlineFilesPlugin(options: { sea?: boolean } = {}): Plugin {
  const version = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string }).version;
  const schemas = readFileSync(join(repoRoot, "src", "crd", "builtin-schemas.json"), "utf8");
  const patches: Record<string, [string, string][]> = {
    [join(repoRoot, "src", "cli", "version.ts")]: [
      [`readFileSync(new URL("../../package.json", import.meta.url), "utf8")`, JSON.stringify(JSON.stringify({ version }))],
    ],
    [join(repoRoot, "src", "crd", "schemas.ts")]: [
      [`const BUILTIN_URL = new URL("./builtin-schemas.json", import.meta.url);`, ""],
      [`readFileSync(BUILTIN_URL, "utf8")`, JSON.stringify(schemas)],
    ],
    [join(repoRoot, "src", "webhook", "offload-source.ts")]: [
      [
        OFFLOAD_SOURCE_BODY,
        options.sea
          ? `  return { kind: "eval", code: require("node:sea").getAsset(${JSON.stringify(WORKER_SEA_ASSET)}, "utf8") };`
          : `  return { kind: "file", url: new URL("./offload-worker.mjs", import.meta.url) };`,
      ],
    ],
  };
  return {
    name: "pg-backup-guard-inline-files",
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/](cli[\\/]version|crd[\\/]schemas|webhook[\\/]offload-source)\.ts$/ }, (args) => {
        const patch = patches[args.path];
        if (!patch) return undefined;
        let text = readFileSync(args.path, "utf8");
        for (const [from, to] of patch) text = replaceOnce(text, args.path, from, to);
        return { contents: text, loader: "ts" };
      });
    },
  };
}

/** The options shared by the npm bundle and the single executable's. */
export function cliBuildOptions(overrides: BuildOptions = {}): BuildOptions {
  return {
    entryPoints: [join(repoRoot, "src", "cli", "main.ts")],
    bundle: true,
    platform: "node",
    target: "node22.19",
    format: "esm",
    outfile: BUNDLE,
    external: EXTERNAL,
    // CommonJS dependencies call require() for Node built-ins; an ESM bundle has no require of its own.
    banner: { js: `import { createRequire as __pgbgCreateRequire } from "node:module"; const require = __pgbgCreateRequire(import.meta.url);` },
    legalComments: "none",
    logLevel: "warning",
    plugins: [inlineFilesPlugin()],
    ...overrides,
  };
}

if (import.meta.main) {
  const started = performance.now();
  const result = await build({ ...cliBuildOptions(), metafile: true });
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  // The offload worker (serve --offload-threshold): its own entry, started by dist/cli.mjs as a worker thread.
  const worker = await build({ ...cliBuildOptions({ entryPoints: [join(repoRoot, "src", "webhook", "offload-worker.ts")], outfile: WORKER_BUNDLE }), metafile: true });
  const workerBytes = Object.values(worker.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  console.log(`dist/cli.mjs: ${(bytes / 1024).toFixed(0)} KiB, dist/offload-worker.mjs: ${(workerBytes / 1024).toFixed(0)} KiB in ${(performance.now() - started).toFixed(0)} ms`);
}
