// Start-up benchmark (issue 13). Run: node_modules/.bin/node bench/startup.ts [--runs N] [--no-npx] [--no-pack]
//                                        [--only validate,policy,before,version,npx,sea] [--compare DIR] [--in-process]
//
// What users run, against what a bare Node costs on the same machine in the same minutes:
//   (1) `pg-backup-guard validate one.yaml` through the installed bin: this checkout packed with `npm pack` and
//       installed with `npm install -g --prefix TMP` (as test/deploy/package.test.ts does), its bin spawned
//       directly (the `#!/usr/bin/env node` line finds this project's Node 24 first on PATH);
//   (1b) the same package's tsc output loaded as before the bundle (no bundle, no compile cache): the ratio;
//   (1c) the same bin with `--policy` (a BackupPolicy file: its schema validator is precompiled in the bundle);
//   (2) the same bin with `--version`;
//   (3) `npx --no-install pg-backup-guard --version` in the checkout (npm's own start-up included);
//   (4) the single executable dist/pg-backup-guard (`npm run build:sea`) on one.yaml, when it has been built;
// each against `node -e 0`, spawned alternately (target, baseline, target, ...) so that load from other jobs hits
// both alike; medians reported. The compile cache (module.enableCompileCache in the launcher) is warmed by the
// first, untimed spawn, as it is on a user's machine after the first run.
// one.yaml is examples/cnpg-plugin/cluster.yaml (one Cluster; the default policy; no lookups).
// --no-pack uses bin/pg-backup-guard.js of the checkout instead of an installed copy (needs `npm run build`).
// --only runs the named rows only. Every row reports its ratio to `node -e 0` of the same run (the machine is
// shared: absolute figures move with the load, the ratio much less).
// --compare DIR also spawns DIR/bin/pg-backup-guard.js (another checkout, built) on one.yaml and --version, and
// DIR/dist/pg-backup-guard if built, in turn with this package's and `node -e 0` in the same loop: a
// before/after of the same minutes.
// --in-process is the quick loop for changes: a child that imports the checkout's dist/cli.mjs (compile cache
// on), then runs main(["validate", one.yaml]) with stdout discarded, alternating with `node -e 0`; it reports
// the import, main and whole-process medians (no npm pack; needs `npm run build`).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { median } from "./pipeline.ts";

const root = resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "21" },
    "no-npx": { type: "boolean" },
    "no-pack": { type: "boolean" },
    only: { type: "string" },
    "in-process": { type: "boolean" },
    compare: { type: "string" },
  },
});
const runs = Math.max(1, Number(values.runs));
const ROWS = ["validate", "policy", "before", "version", "npx", "sea"];
const only = new Set(values.only ? values.only.split(",") : ROWS);
for (const r of only) if (!ROWS.includes(r)) throw new Error(`--only: unknown row ${r} (${ROWS.join(", ")})`);
const ONE = join(root, "examples", "cnpg-plugin", "cluster.yaml");
/** A BackupPolicy file: `validate one.yaml --policy` (the schema validator is precompiled in the bundle). */
const POLICY = join(root, "examples", "policy-tests", "prod-policy.yaml");
const env = {
  ...process.env,
  PATH: `${join(root, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`,
  npm_config_update_notifier: "false",
};

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

interface Target {
  name: string;
  cmd: string;
  args: string[];
}

/** Spawns the targets and `node -e 0` in turn (t1, t2, ..., node, t1, ...): one baseline for all of them. */
function measureEach(targets: Target[], cwd: string, n = runs): Row[] {
  const expect = [0, 1];
  for (const t of targets) spawnMs(t.cmd, t.args, cwd, expect); // warm-up: fills the compile cache and the OS file cache
  spawnMs(process.execPath, ["-e", "0"], cwd, [0]);
  const times = targets.map(() => [] as number[]);
  const base: number[] = [];
  for (let i = 0; i < n; i++) {
    targets.forEach((t, j) => times[j]!.push(spawnMs(t.cmd, t.args, cwd, expect)));
    base.push(spawnMs(process.execPath, ["-e", "0"], cwd, [0]));
  }
  const nodeMs = median(base);
  return targets.map((t, j) => {
    const row = { name: t.name, command: [t.cmd, ...t.args].join(" ").replaceAll(root, "."), ms: median(times[j]!), nodeMs };
    console.log(`${t.name}: ${row.ms.toFixed(0)} ms (node -e 0: ${nodeMs.toFixed(0)} ms; +${(row.ms - nodeMs).toFixed(0)} ms; x${(row.ms / nodeMs).toFixed(2)}) [${n} alternating runs]`);
    return row;
  });
}

function measure(name: string, cmd: string, args: string[], cwd: string, n = runs): Row {
  return measureEach([{ name, cmd, args }], cwd, n)[0]!;
}

if (values["in-process"]) {
  const bundle = pathToFileURL(join(root, "dist", "cli.mjs")).href;
  const child = [
    `process.getBuiltinModule("node:module").enableCompileCache();`,
    `const t0 = performance.now(); const { main } = await import(${JSON.stringify(bundle)}); const t1 = performance.now();`,
    `process.stdout.write = () => true;`,
    `const code = await main(["validate", ${JSON.stringify(ONE)}]); const t2 = performance.now();`,
    `process.stderr.write("\\n" + JSON.stringify([t1 - t0, t2 - t1])); process.exitCode = code;`,
  ].join(" ");
  const once = (): [number, number, number] => {
    const t = performance.now();
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", child], { env, encoding: "utf8" });
    const wall = performance.now() - t;
    if (r.status !== 0) throw new Error(`in-process child: exit ${r.status}\n${r.stderr}`);
    const [imp, main] = JSON.parse(r.stderr.slice(r.stderr.lastIndexOf("\n") + 1)) as [number, number];
    return [wall, imp, main];
  };
  once();
  const walls: number[] = [], imports: number[] = [], mains: number[] = [], base: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [w, a, b] = once();
    walls.push(w), imports.push(a), mains.push(b);
    base.push(spawnMs(process.execPath, ["-e", "0"], root, [0]));
  }
  const [w, a, b, n] = [walls, imports, mains, base].map(median) as [number, number, number, number];
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}; ${runs} alternating runs`);
  console.log(`import dist/cli.mjs ${a.toFixed(1)} ms, main(validate one.yaml) ${b.toFixed(1)} ms, process ${w.toFixed(1)} ms; node -e 0 ${n.toFixed(1)} ms; x${(w / n).toFixed(2)}`);
  process.exit(0);
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
  const other = values.compare ? resolve(values.compare, "bin", "pg-backup-guard.js") : undefined;
  const withOther = (name: string, args: string[]): Row[] =>
    measureEach([{ name: `${name} (${work ? "installed bin" : "checkout bin"})`, cmd: bin, args }, ...(other ? [{ name: `${name} (--compare: ${other})`, cmd: other, args }] : [])], cwd);
  if (only.has("validate")) rows.push(...withOther("validate one.yaml", ["validate", ONE]));
  if (only.has("policy")) rows.push(...withOther("validate one.yaml --policy prod-policy.yaml", ["validate", ONE, "--policy", POLICY]));
  if (only.has("before")) {
    // The same package's tsc output (still shipped: dist/cli/main.js), loaded as the launcher did before the
    // bundle: one module file per source, no compile cache. The before/after ratio of the same run.
    const pkgDir = work ? join(work, "global", "lib", "node_modules", "pg-backup-guard") : root;
    const before = `const { main } = await import(${JSON.stringify(pathToFileURL(join(pkgDir, "dist", "cli", "main.js")).href)}); process.exitCode = await main(process.argv.slice(1));`;
    const old = measure("validate one.yaml (before: tsc output, no compile cache)", process.execPath, ["--input-type=module", "-e", before, "validate", ONE], cwd);
    rows.push({ ...old, command: "node --input-type=module -e 'import(\"TMP/.../dist/cli/main.js\") ...' validate ./examples/cnpg-plugin/cluster.yaml" });
  }
  if (only.has("version")) rows.push(...withOther("--version", ["--version"]));
  if (!values["no-npx"] && only.has("npx")) rows.push(measure("npx --no-install pg-backup-guard --version (checkout)", "npx", ["--no-install", "pg-backup-guard", "--version"], root, Math.min(runs, 9)));
  const sea = join(root, "dist", "pg-backup-guard");
  if (only.has("sea")) {
    const otherSea = values.compare ? resolve(values.compare, "dist", "pg-backup-guard") : undefined;
    if (existsSync(sea))
      rows.push(
        ...measureEach(
          [
            { name: "validate one.yaml (single executable)", cmd: sea, args: ["validate", ONE] },
            ...(otherSea && existsSync(otherSea) ? [{ name: `validate one.yaml (--compare: ${otherSea})`, cmd: otherSea, args: ["validate", ONE] }] : []),
          ],
          cwd,
        ),
      );
    else console.log("single executable: dist/pg-backup-guard not built (npm run build:sea); skipped");
  }
  console.log("\n| what | median | node -e 0 | difference | ratio |\n|---|---:|---:|---:|---:|");
  for (const r of rows) console.log(`| \`${r.command.replace(work ?? "\0", "TMP")}\` | ${r.ms.toFixed(0)} ms | ${r.nodeMs.toFixed(0)} ms | +${(r.ms - r.nodeMs).toFixed(0)} ms | ${(r.ms / r.nodeMs).toFixed(2)} |`);
} finally {
  if (work) rmSync(work, { recursive: true, force: true });
}
