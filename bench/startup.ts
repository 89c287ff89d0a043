// Start-up benchmark (issue 13). Run: node_modules/.bin/node bench/startup.ts [--runs N] [--no-npx] [--no-pack]
//
// What users run, against what a bare Node costs on the same machine in the same minutes:
//   (1) `pg-backup-guard validate one.yaml` through the installed bin: this checkout packed with `npm pack` and
//       installed with `npm install -g --prefix TMP` (as test/deploy/package.test.ts does), its bin spawned
//       directly (the `#!/usr/bin/env node` line finds this project's Node 24 first on PATH);
//   (1b) the same package's tsc output loaded as before the bundle (no bundle, no compile cache): the ratio;
//   (2) the same bin with `--version`;
//   (3) `npx --no-install pg-backup-guard --version` in the checkout (npm's own start-up included);
//   (4) the single executable dist/pg-backup-guard (`npm run build:sea`) on one.yaml, when it has been built;
// each against `node -e 0`, spawned alternately (target, baseline, target, ...) so that load from other jobs hits
// both alike; medians reported. The compile cache (module.enableCompileCache in the launcher) is warmed by the
// first, untimed spawn, as it is on a user's machine after the first run.
// one.yaml is examples/cnpg-plugin/cluster.yaml (one Cluster; the default policy; no lookups).
// --no-pack uses bin/pg-backup-guard.js of the checkout instead of an installed copy (needs `npm run build`).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "21" },
    "no-npx": { type: "boolean" },
    "no-pack": { type: "boolean" },
  },
});
const runs = Math.max(1, Number(values.runs));
const ONE = join(root, "examples", "cnpg-plugin", "cluster.yaml");
const env = {
  ...process.env,
  PATH: `${join(root, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`,
  npm_config_update_notifier: "false",
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function spawnMs(cmd: string, args: string[], cwd: string, expect: number[]): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8" });
  const ms = performance.now() - t;
  if (r.status === null || !expect.includes(r.status)) {
    throw new Error(`${cmd} ${args.join(" ")}: exit ${r.status} ${r.error?.message ?? ""}\n${r.stderr}`);
  }
  return ms;
}

interface Row {
  name: string;
  command: string;
  ms: number;
  nodeMs: number;
}

function measure(name: string, cmd: string, args: string[], cwd: string, n = runs): Row {
  const expect = [0, 1];
  spawnMs(cmd, args, cwd, expect); // warm-up: fills the compile cache and the OS file cache
  spawnMs(process.execPath, ["-e", "0"], cwd, [0]);
  const target: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < n; i++) {
    target.push(spawnMs(cmd, args, cwd, expect));
    base.push(spawnMs(process.execPath, ["-e", "0"], cwd, [0]));
  }
  const row = { name, command: [cmd, ...args].join(" ").replaceAll(root, "."), ms: median(target), nodeMs: median(base) };
  console.log(`${name}: ${row.ms.toFixed(0)} ms (node -e 0: ${row.nodeMs.toFixed(0)} ms; +${(row.ms - row.nodeMs).toFixed(0)} ms) [${n} alternating runs]`);
  return row;
}

let work: string | undefined;
let bin = join(root, "bin", "pg-backup-guard.js");
try {
  if (!values["no-pack"]) {
    work = mkdtempSync(join(tmpdir(), "pgbg-startup-"));
    // Pack a copy, as test/deploy/package.test.ts does (prepack/prepare rebuild dist/ there, not here).
    const src = join(work, "src");
    for (const entry of ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "README.md", "bin", "src", "schemas", "scripts"])
      if (existsSync(join(root, entry))) cpSync(join(root, entry), join(src, entry), { recursive: true });
    symlinkSync(join(root, "node_modules"), join(src, "node_modules"));
    const pack = spawnSync("npm", ["pack", "--pack-destination", work], { cwd: src, env, encoding: "utf8" });
    if (pack.status !== 0) throw new Error(`npm pack: ${pack.stderr}`);
    const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"))!;
    const prefix = join(work, "global");
    const install = spawnSync("npm", ["install", "-g", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", join(work, tarball)], { env, encoding: "utf8" });
    if (install.status !== 0) throw new Error(`npm install -g: ${install.stderr}`);
    bin = join(prefix, "bin", "pg-backup-guard");
  }
  const cwd = work ?? root;
  console.log(`Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? "?"}, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  console.log(`bin: ${bin.replace(work ?? "\0", "TMP")}`);
  const rows: Row[] = [];
  rows.push(measure("validate one.yaml (installed bin)", bin, ["validate", ONE], cwd));
  // The same package's tsc output (still shipped: dist/cli/main.js), loaded as the launcher did before the
  // bundle: one module file per source, no compile cache. The before/after ratio of the same run.
  const pkgDir = work ? join(work, "global", "lib", "node_modules", "pg-backup-guard") : root;
  const before = `const { main } = await import(${JSON.stringify(pathToFileURL(join(pkgDir, "dist", "cli", "main.js")).href)}); process.exitCode = await main(process.argv.slice(1));`;
  const old = measure("validate one.yaml (before: tsc output, no compile cache)", process.execPath, ["--input-type=module", "-e", before, "validate", ONE], cwd);
  rows.push({ ...old, command: "node --input-type=module -e 'import(\"TMP/.../dist/cli/main.js\") ...' validate ./examples/cnpg-plugin/cluster.yaml" });
  rows.push(measure("--version (installed bin)", bin, ["--version"], cwd));
  if (!values["no-npx"]) rows.push(measure("npx --no-install pg-backup-guard --version (checkout)", "npx", ["--no-install", "pg-backup-guard", "--version"], root, Math.min(runs, 9)));
  const sea = join(root, "dist", "pg-backup-guard");
  if (existsSync(sea)) rows.push(measure("validate one.yaml (single executable)", sea, ["validate", ONE], cwd));
  else console.log("single executable: dist/pg-backup-guard not built (npm run build:sea); skipped");
  console.log("\n| what | median | node -e 0 | difference |\n|---|---:|---:|---:|");
  for (const r of rows) console.log(`| \`${r.command.replace(work ?? "\0", "TMP")}\` | ${r.ms.toFixed(0)} ms | ${r.nodeMs.toFixed(0)} ms | +${(r.ms - r.nodeMs).toFixed(0)} ms |`);
} finally {
  if (work) rmSync(work, { recursive: true, force: true });
}
