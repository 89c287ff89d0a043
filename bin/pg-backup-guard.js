#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/cli.mjs (one ESM file, scripts/build-cli.ts; built by `npm ci`
// through the prepare script, and shipped in the npm package). It first refuses a Node.js older than
// package.json's `engines.node`, with exit code 2 (a usage error; 1 means "denied"), before anything that an old
// Node cannot load. Keep this file plain JavaScript that any Node.js since 14 parses: no static import of dist/.
// Then it turns on Node's module compile cache (module.enableCompileCache, Node >= 22.1; in the OS temp
// directory, or NODE_COMPILE_CACHE's), so that later runs skip compiling the bundle: start-up time is
// bench/startup.ts's business.
// No static import of a built-in either: an ESM import of node:fs builds its ESM namespace, which reads every
// export, fs.promises among them, and that loads Node's streams, readline and fs/promises (~3 ms) that a
// `validate` never uses. process.getBuiltinModule (Node >= 22.3, 20.16) hands out the CommonJS object; an older
// Node only needs node:fs for the version check below.
const builtin = async (id) =>
  typeof process.getBuiltinModule === "function" ? process.getBuiltinModule(id) : (await import(id)).default;
const { readFileSync } = await builtin("node:fs");
const nodeModule = await builtin("node:module");

function minimumNode() {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    const match = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(String(pkg.engines && pkg.engines.node).trim());
    if (match) return [Number(match[1]), Number(match[2]), Number(match[3])];
  } catch {
    // fall through to the built-in minimum
  }
  return [22, 19, 0];
}

function olderThan(version, minimum) {
  for (let i = 0; i < 3; i++) {
    if (version[i] !== minimum[i]) return version[i] < minimum[i];
  }
  return false;
}

const minimum = minimumNode();
const running = process.versions.node.split(".").map(Number);
if (olderThan(running, minimum)) {
  process.stderr.write(
    `pg-backup-guard: Node.js ${minimum.join(".")} or newer is required (Node.js 24 recommended); ` +
      `this is Node.js ${process.versions.node} (${process.execPath}).\n` +
      "From a checkout, run it with the project's Node 24: npx --no-install pg-backup-guard ... after npm ci.\n",
  );
  process.exit(2);
}

if (typeof nodeModule.enableCompileCache === "function") {
  try {
    nodeModule.enableCompileCache();
  } catch {
    // no cache (e.g. a read-only temp directory): only slower
  }
}

const { main } = await import("../dist/cli.mjs");
process.exitCode = await main(process.argv.slice(2));
