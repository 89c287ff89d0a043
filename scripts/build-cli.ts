// Bundles the CLI into one file with esbuild (issue 13, start-up time). Run by `npm run build` after tsc:
//
//   node scripts/build-cli.ts            # dist/cli.mjs: one ESM file, what bin/pg-backup-guard.js loads
//
// What goes into the bundle: every module of src/ and every dependency except @kubernetes/client-node, which only
// `serve`, `audit` and `--kubeconfig` load, through dynamic import() (it stays a real `import()` from
// node_modules, and is 20 MB once bundled). Dependencies that src/ imports statically from modules that are
// themselves loaded lazily (express, pino, prom-client in src/webhook/) must be bundled: esbuild hoists the
// static imports of external packages to the top of a one-file bundle, so leaving them external would load them
// on every start. Bundled, they are wrapped in esbuild's lazy module initialisers and cost only reading the file.
// Node's built-ins and a few packages that not every run needs are loaded on first use (lazyImportsPlugin), and
// the file has no comments or indentation (minifyWhitespace): start-up, bench/RESULTS.md "Start-up".
//
// Two modules read files relative to their own location (import.meta.url), which in a bundle is the bundle's
// location: src/cli/version.ts (../../package.json) and src/crd/schemas.ts (./builtin-schemas.json). The plugin
// below inlines both at build time (the version string and the schema table's JSON text), so the bundle needs no
// file beside it and the single executable (scripts/build-sea.ts) can use the same build. Each replacement must
// match exactly once: a changed source fails the build instead of bundling a silently different module.
import { readFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { join, resolve, sep } from "node:path";
import { build, type BuildOptions, type Plugin } from "esbuild";

export const repoRoot = resolve(import.meta.dirname, "..");
export const BUNDLE = join(repoRoot, "dist", "cli.mjs");
/** Loaded with import() only, by the commands that talk to a cluster: dist/kube.mjs, bundled from src/lookups/kube-client.ts. */
export const EXTERNAL = ["@kubernetes/client-node"];
/** What of @kubernetes/client-node src/ uses (src/lookups/kube-client.ts), bundled on its own beside dist/cli.mjs. */
export const KUBE_ENTRY = join(repoRoot, "src", "lookups", "kube-client.ts");
export const KUBE_BUNDLE = join(repoRoot, "dist", "kube.mjs");

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

/**
 * CommonJS packages that src/ imports statically but that not every run uses (`validate` of manifests without a
 * policy file needs no ajv; cron-parser only for schedules; yaml only where js-yaml's fast path cannot place a
 * field): loaded on the first use of one of their exports instead of when the importing module starts.
 */
export const LAZY_PACKAGES = ["yaml", "cron-parser", "ajv/dist/2020.js", "ajv-formats"];

/**
 * Start-up (issue 13): in a one-file bundle esbuild hoists every static `import ... from "node:x"` to the top of
 * the file, so each run loaded every built-in that any module imports (node:tls, node:https, node:worker_threads,
 * node:crypto: ~10 ms), and the modules that import the packages above load them when they start (ajv, yaml,
 * cron-parser: ~10 ms). This plugin gives src/'s static imports of both a stand-in CommonJS module whose exports
 * are getters: the real module is required on the first read of one of them. Every export name is taken at
 * build time from the real module (Node's own for built-ins), with its enumerability; `__esModule` is copied as a
 * value so that esbuild's interop reads it without loading anything; a module that is itself a function (ajv's
 * Ajv2020, ajv-formats) gets a function stand-in that forwards calls and `new`. Code reads the exports only when
 * it runs, so behaviour is the module's own; only when it loads changes. A default or namespace import is the
 * stand-in itself, so it is used only where that is the same thing: never for a built-in (an importer that
 * writes `import fs from "node:fs"` keeps a real import), for a package only when its exports are a plain object
 * or a plain function. CommonJS dependencies' own require() calls are untouched (they sit in esbuild's lazy
 * wrappers already).
 */
export function lazyImportsPlugin(): Plugin {
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const packages = new Set(LAZY_PACKAGES);
  const srcDir = join(repoRoot, "src") + sep;
  const load = createRequire(join(repoRoot, "package.json"));
  const sources = new Map<string, string>();
  /** How `importer` imports `spec`: only `{ named }` clauses, or also a default or namespace one. */
  const onlyNamed = (importer: string, spec: string): boolean => {
    let text = sources.get(importer);
    if (text === undefined) sources.set(importer, (text = readFileSync(importer, "utf8")));
    const quoted = spec.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    const clauses = [...text.matchAll(new RegExp(`\\bimport\\s+(?:type\\s+)?([^;]*?)\\s*from\\s*["']${quoted}["']`, "g"))].map((m) => m[1]!);
    return clauses.every((c) => c.startsWith("{"));
  };
  /** A default or namespace import gets the stand-in itself: right only for a plain object or a plain function. */
  const plain = (real: unknown): boolean =>
    (typeof real === "object" && real !== null && Object.getPrototypeOf(real) === Object.prototype) ||
    (typeof real === "function" && !/^class\b/.test(Function.prototype.toString.call(real)));
  return {
    name: "pg-backup-guard-lazy-imports",
    setup(b) {
      b.onResolve({ filter: /^[@a-z0-9:_/.-]+$/ }, async (args) => {
        if (args.kind !== "import-statement" || !args.importer.startsWith(srcDir)) return undefined;
        if (builtins.has(args.path)) {
          const id = args.path.startsWith("node:") ? args.path : `node:${args.path}`;
          if (id === "node:module") return undefined; // loaded by the banner anyway
          // `import fs from "node:fs"` would get the stand-in, not Node's object (methods on its prototype, a
          // class to extend): such an importer keeps its real import.
          if (!onlyNamed(args.importer, args.path)) return undefined;
          return { path: id, namespace: "pg-backup-guard-lazy", pluginData: { require: id } };
        }
        if (!packages.has(args.path)) return undefined;
        const real = await b.resolve(args.path, { kind: "require-call", resolveDir: args.resolveDir });
        if (real.errors.length > 0) return { errors: real.errors };
        if (!onlyNamed(args.importer, args.path) && !plain(load(real.path))) return undefined;
        return { path: real.path, namespace: "pg-backup-guard-lazy", pluginData: { require: real.path } };
      });
      b.onLoad({ filter: /.*/, namespace: "pg-backup-guard-lazy" }, (args) => {
        const id = (args.pluginData as { require: string }).require;
        const real = load(id) as object;
        const callable = typeof real === "function";
        const skip = callable ? new Set(Object.getOwnPropertyNames(function () {})) : new Set<string>();
        const names = Object.getOwnPropertyNames(real).filter((k) => !skip.has(k) && k !== "__esModule");
        const enumerable = names.map((k) => Object.getOwnPropertyDescriptor(real, k)!.enumerable === true);
        const esModule = (real as { __esModule?: unknown }).__esModule === true;
        const stand = callable
          ? `function (...args) { return new.target ? Reflect.construct(get(), args, new.target) : get().apply(this, args); }`
          : "{}";
        const contents = [
          `let real;`,
          `const get = () => real ??= require(${JSON.stringify(id)});`,
          `const stand = module.exports = ${stand};`,
          `const names = ${JSON.stringify(names)};`,
          `const enumerable = ${JSON.stringify(enumerable)};`,
          `for (let i = 0; i < names.length; i++) Object.defineProperty(stand, names[i], { enumerable: enumerable[i], configurable: true, get: () => get()[names[i]] });`,
          esModule ? `Object.defineProperty(stand, "__esModule", { value: true });` : "",
        ].join("\n");
        return { contents, loader: "js", resolveDir: repoRoot };
      });
    },
  };
}

/**
 * Memory (issue 13): `import("@kubernetes/client-node")` from node_modules loads every generated API and model
 * (~85 MiB RSS). src/ imports it through src/lookups/kube-client.ts only, which the npm bundle leaves as a
 * separate file, dist/kube.mjs: esbuild bundles it with what its five exports reach (tree-shaken), and every
 * `import()` of kube-client.ts in dist/cli.mjs becomes `import("./kube.mjs")`, loaded only by the commands that
 * talk to a cluster. The single executable inlines the same module (it has no second file).
 */
export function kubeBundlePlugin(): Plugin {
  return {
    name: "pg-backup-guard-kube-bundle",
    setup(b) {
      b.onResolve({ filter: /[\\/]kube-client\.ts$/ }, (args) => {
        if (resolve(args.resolveDir, args.path) !== KUBE_ENTRY) return undefined;
        if (args.kind !== "dynamic-import") return { errors: [{ text: `${args.importer} imports src/lookups/kube-client.ts statically: load it with await import() (it is dist/kube.mjs)` }] };
        return { path: "./kube.mjs", external: true };
      });
    },
  };
}

/**
 * Start-up (issue 13): src/policy/precompiled.ts becomes ajv's standalone code for the BackupPolicy schema of the
 * full catalog (policySchema(allRules, allDefaulters), compiled with src/policy/validate.ts's own options), so a
 * `validate --policy` run neither loads ajv nor spends ~200 ms compiling the schema. Built from the same sources
 * in the same build, so it cannot drift from them.
 */
export function precompiledPolicyPlugin(): Plugin {
  return {
    name: "pg-backup-guard-precompiled-policy",
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/]policy[\\/]precompiled\.ts$/ }, async () => {
        const { newAjv } = await import("../src/policy/validate.ts");
        const { policySchema } = await import("../src/policy/schema.ts");
        const { allRules } = await import("../src/rules/index.ts");
        const { allDefaulters } = await import("../src/defaults/index.ts");
        const standalone = (await import("ajv/dist/standalone/index.js")).default as unknown as (ajv: unknown, v: unknown) => string;
        const ajv = newAjv({ code: { source: true, esm: true } });
        const code = standalone(ajv, ajv.compile(policySchema(allRules, allDefaulters)));
        if (!code.includes("export const validate = ")) {
          throw new Error("scripts/build-cli.ts: ajv's standalone code no longer exports `validate`; update precompiledPolicyPlugin");
        }
        return { contents: `${code}\nexport { validate as precompiledPolicyValidator };\n`, loader: "js", resolveDir: repoRoot };
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
    // process.getBuiltinModule (Node >= 22.3) rather than `import ... from "node:module"`: an ESM import of a
    // built-in builds its namespace, reading every export (node:module's load its source-map support).
    banner: { js: `const require = process.getBuiltinModule("node:module").createRequire(import.meta.url);` },
    legalComments: "none",
    logLevel: "warning",
    plugins: [lazyImportsPlugin(), inlineFilesPlugin(), kubeBundlePlugin(), precompiledPolicyPlugin()],
    // No comments (the luxon docs' non-ASCII text would make the source a two-byte string) and no indentation:
    // 2.4 instead of 3.3 MiB to read, hash and decode on each start. Names are kept (stack traces read as before).
    minifyWhitespace: true,
    ...overrides,
  };
}

if (import.meta.main) {
  const started = performance.now();
  const bundles: [string, BuildOptions][] = [
    ["dist/cli.mjs", cliBuildOptions()],
    // The offload worker (serve --offload-threshold): its own entry, started by dist/cli.mjs as a worker thread. It
    // gets its policies from the main thread, already validated: no precompiled policy validator in it.
    ["dist/offload-worker.mjs", cliBuildOptions({ entryPoints: [join(repoRoot, "src", "webhook", "offload-worker.ts")], outfile: WORKER_BUNDLE, plugins: [lazyImportsPlugin(), inlineFilesPlugin(), kubeBundlePlugin()] })],
    ["dist/kube.mjs", cliBuildOptions({ entryPoints: [KUBE_ENTRY], outfile: KUBE_BUNDLE, external: [], plugins: [] })],
  ];
  const sizes = await Promise.all(
    bundles.map(async ([name, options]) => {
      const { metafile } = await build({ ...options, metafile: true });
      return `${name}: ${(Object.values(metafile.outputs).reduce((n, o) => n + o.bytes, 0) / 1024).toFixed(0)} KiB`;
    }),
  );
  console.log(`${sizes.join(", ")} in ${(performance.now() - started).toFixed(0)} ms`);
}
