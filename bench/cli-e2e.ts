// The real `validate` command end to end (issue 13), against the in-process pipeline that bench/validate.ts times.
// Run: node_modules/.bin/node bench/cli-e2e.ts [options]   (needs dist/cli.mjs: node scripts/build-cli.ts)
//
// Each mix (bench/mixes.ts) is written to files: the resources, the --lookup inventory and the --policy file. Then,
// in alternating rounds so that machine noise hits all alike:
//   node -e 0                                           (a process that does nothing)
//   node bin/pg-backup-guard.js validate FILE --lookup INV --policy POL -o FORMAT > out   (what a user runs)
//   the in-process pipeline of bench/validate.ts on the same texts (parse, lookups, CRD stage, admission, report
//   as a string; JIT warm, empty schedule caches)
// Wall time and CPU time (user + system, from /usr/bin/time for the processes, process.cpuUsage in-process),
// medians. What the command pays beyond the pipeline is start-up, reading the files, compiling the policy's
// schemas on first use, a cold JIT, writing the report (encoding it to UTF-8) and exit.
//
// Options:
//   --mix NAME       realistic | worst (repeatable; default both)
//   --resources N    resources per mix (default 10000)
//   --runs N         rounds (default 5)
//   --format F       the command's -o (default json; repeatable)
//   --keep DIR       keep the mix files and the last report of each mix and format in DIR
//   --other DIR      also time DIR/bin/pg-backup-guard.js (another checkout, built: e.g. the previous commit) in
//                    the same rounds, and check that its report is byte-identical
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { render, type Format } from "../src/cli/validate.ts";
import { mixByName } from "./mixes.ts";
import { median, validatePipeline } from "./pipeline.ts";

const ROOT = resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    mix: { type: "string", multiple: true },
    resources: { type: "string" },
    runs: { type: "string" },
    format: { type: "string", multiple: true },
    keep: { type: "string" },
    other: { type: "string" },
  },
});
const MIXES = values.mix ?? ["realistic", "worst"];
const RESOURCES = Number(values.resources ?? 10_000);
const RUNS = Number(values.runs ?? 5);
const FORMATS = (values.format ?? ["json"]) as Format[];
const DIR = values.keep ?? mkdtempSync(join(tmpdir(), "pgbg-e2e-"));
mkdirSync(DIR, { recursive: true });
if (!values.keep) process.on("exit", () => rmSync(DIR, { recursive: true, force: true }));
if (!existsSync(join(ROOT, "dist", "cli.mjs"))) throw new Error("dist/cli.mjs is not built: node scripts/build-cli.ts");
if (!existsSync("/usr/bin/time")) throw new Error("needs /usr/bin/time (apt-get install time)");

interface Sample {
  wall: number;
  cpu: number;
}
const med = (xs: Sample[]): Sample => ({ wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)) });

/** A process under /usr/bin/time, stdout to `out` (a file, as `> report.json`). */
function spawnTimed(args: string[], out: string, okCodes: number[]): Sample {
  const fd = openSync(out, "w");
  try {
    const r = spawnSync("/usr/bin/time", ["-f", "@@time %e %U %S", process.execPath, ...args], { cwd: ROOT, stdio: ["ignore", fd, "pipe"], encoding: "utf8" });
    const line = r.stderr.split("\n").find((l) => l.startsWith("@@time "));
    if (!line) throw new Error(`${args.join(" ")}: no timing: ${r.stderr.slice(-2000)}`);
    const [, wall, user, sys] = line.split(" ").map(Number) as [number, number, number, number];
    const code = Number(/exited with non-zero status (\d+)/.exec(r.stderr)?.[1] ?? 0);
    if (!okCodes.includes(code)) throw new Error(`${args.join(" ")}: exit ${code}: ${r.stderr.slice(-2000)}`);
    return { wall: wall * 1000, cpu: (user + sys) * 1000 };
  } finally {
    closeSync(fd);
  }
}

/** bench/validate.ts's pipeline over the same texts, rendering `format`. */
function inProcess(input: string, inventory: string, policyPath: string, format: Format): () => string {
  const run = validatePipeline(input, inventory, [policyPath]);
  return () => render(run(), format, false);
}

function timeInProcess(fn: () => string): Sample {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  if (fn().length === 0) throw new Error("empty report");
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

const f0 = (n: number) => n.toFixed(0);
const x2 = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}, ${new Date().toISOString()}`);
console.log(`median of ${RUNS} alternating rounds; wall / CPU (user+sys) in ms`);
for (const name of MIXES) {
  const mix = mixByName(name, RESOURCES);
  const input = join(DIR, `${name}.yaml`);
  const inv = join(DIR, `${name}-inventory.yaml`);
  const pol = join(DIR, `${name}-policy.yaml`);
  writeFileSync(input, mix.input);
  writeFileSync(inv, mix.inventory);
  writeFileSync(pol, mix.policy);
  for (const format of FORMATS) {
    const out = join(DIR, `${name}.${format}`);
    const cliArgs = ["bin/pg-backup-guard.js", "validate", input, "--lookup", inv, "--policy", pol, "-o", format];
    const other = values.other ? join(resolve(values.other), "bin", "pg-backup-guard.js") : undefined;
    const otherArgs = other ? [other, ...cliArgs.slice(1)] : [];
    const otherOut = join(DIR, `${name}.other.${format}`);
    const pipeline = inProcess(mix.input, mix.inventory, pol, format);
    const first = timeInProcess(pipeline); // cold JIT, first policy compile: what one process pays
    spawnTimed(["-e", "0"], join(DIR, "null.out"), [0]);
    spawnTimed(cliArgs, out, [0, 1]); // warm the compile cache and the page cache
    if (other) spawnTimed(otherArgs, otherOut, [0, 1]);
    const node: Sample[] = [];
    const cli: Sample[] = [];
    const oth: Sample[] = [];
    const inproc: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      node.push(spawnTimed(["-e", "0"], join(DIR, "null.out"), [0]));
      cli.push(spawnTimed(cliArgs, out, [0, 1]));
      if (other) oth.push(spawnTimed(otherArgs, otherOut, [0, 1]));
      inproc.push(timeInProcess(pipeline));
    }
    const n = med(node);
    const c = med(cli);
    const p = med(inproc);
    const bytes = readFileSync(out).length;
    console.log(`${name} ${RESOURCES} resources, -o ${format} (${(bytes / 2 ** 20).toFixed(1)} MiB report):`);
    console.log(`  command   wall ${f0(c.wall)}  cpu ${f0(c.cpu)}   raw wall ${cli.map((s) => f0(s.wall)).join(" ")}  cpu ${cli.map((s) => f0(s.cpu)).join(" ")}`);
    console.log(`  pipeline  wall ${f0(p.wall)}  cpu ${f0(p.cpu)}   raw wall ${inproc.map((s) => f0(s.wall)).join(" ")}  cpu ${inproc.map((s) => f0(s.cpu)).join(" ")}  (first, cold: ${f0(first.wall)} / ${f0(first.cpu)})`);
    if (other) {
      const o = med(oth);
      const same = readFileSync(otherOut).equals(readFileSync(out));
      console.log(`  other     wall ${f0(o.wall)}  cpu ${f0(o.cpu)}   raw wall ${oth.map((s) => f0(s.wall)).join(" ")}  cpu ${oth.map((s) => f0(s.cpu)).join(" ")}  (${values.other}; report ${same ? "byte-identical" : "DIFFERS"})`);
      console.log(`  command / other: wall ${x2(c.wall, o.wall)}, cpu ${x2(c.cpu, o.cpu)}; other / pipeline: wall ${x2(o.wall, p.wall)}, cpu ${x2(o.cpu, p.cpu)}; other / node -e 0: wall ${x2(o.wall, n.wall)}`);
    }
    console.log(`  node -e 0 wall ${f0(n.wall)}  cpu ${f0(n.cpu)}   raw wall ${node.map((s) => f0(s.wall)).join(" ")}  cpu ${node.map((s) => f0(s.cpu)).join(" ")}`);
    console.log(
      `  command / pipeline: wall ${x2(c.wall, p.wall)}, cpu ${x2(c.cpu, p.cpu)}; command / node -e 0: wall ${x2(c.wall, n.wall)}, cpu ${x2(c.cpu, n.cpu)}; ` +
        `beyond pipeline + node -e 0: wall ${f0(c.wall - p.wall - n.wall)} ms (${x2(c.wall - p.wall - n.wall, p.wall)} of the pipeline), cpu ${f0(c.cpu - p.cpu - n.cpu)} ms`,
    );
  }
}
