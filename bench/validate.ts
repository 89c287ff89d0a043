// CLI benchmarks. Run: node_modules/.bin/node bench/validate.ts [options]
//
// (1) throughput: what `validate` runs (parse with lines, the Namespaces/ObjectStores of a `--lookup` inventory,
//     the API server's CRD stage, simulated admission (mutate + validate) under per-namespace BackupPolicies, the
//     JSON report) over generated mixes (bench/mixes.ts), against a baseline of only parsing the same YAML texts
//     with validate's parser, in the same process. Every timed run starts with empty schedule caches, as a fresh
//     `validate` process does (the JIT is warm: a warm-up run comes first; the cold first run is shown too).
// (2) scaling: the realistic and worst-case mixes at 1k, 10k and 100k resources.
// (3) cold start: spawning `bin/pg-backup-guard.js validate file.yaml` against spawning `node -e 0`.
//
// Options:
//   --mix NAME        bench | realistic | worst (repeatable; default all three)
//   --resources N     resources per mix (default 10000)
//   --runs N          timed runs per measurement, median reported (default 5; 3 at 100k)
//   --scale           only the scaling rows (they run after the mix rows by default when no --mix is given)
//   --sizes LIST      resource counts of the scaling rows (default 1000,10000,100000)
//   --no-scale, --no-cold-start
//   --off RULE        add a policy that turns RULE off in every namespace (repeatable; diagnosis only)
//   --by-rule         with --once: time spent in each rule's check (top 15) and in the rest of the pipeline
//   --once            one pipeline run per mix and nothing else (for `node --cpu-prof bench/validate.ts --once --mix worst`)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseManifestsFast } from "../src/input/fast-parse.ts";
import { formatJson } from "../src/report/json.ts";
import { allRules } from "../src/rules/index.ts";
import { benchMix, mixByName, type Mix } from "./mixes.ts";
import { median, validatePipeline } from "./pipeline.ts";

const ROOT = resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    mix: { type: "string", multiple: true },
    resources: { type: "string" },
    runs: { type: "string" },
    scale: { type: "boolean" },
    "no-scale": { type: "boolean" },
    "no-cold-start": { type: "boolean" },
    once: { type: "boolean" },
    off: { type: "string", multiple: true },
    sizes: { type: "string" },
    "by-rule": { type: "boolean" },
  },
});
/** `--off RULE`: a BackupPolicy turning these rules off everywhere (to see what the rest of the engine costs). */
const OFF = values.off ?? [];
const RESOURCES = Number(values.resources ?? 10_000);
const RUNS = values.runs === undefined ? undefined : Number(values.runs);
const MIXES = values.mix ?? ["bench", "realistic", "worst"];
const SCALE = values["no-scale"] ? false : (values.scale ?? values.mix === undefined);
const TMP = mkdtempSync(join(tmpdir(), "pgbg-bench-"));
process.on("exit", () => rmSync(TMP, { recursive: true, force: true }));

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Wall time and this process's CPU time (user + system, all threads: GC included), in ms. */
function timeBoth(fn: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const wall = time(fn);
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

interface Row {
  mix: string;
  resources: number;
  denied: number;
  findings: number;
  coldMs: number;
  pipelineMs: number;
  baselineMs: number;
  pipelineCpuMs: number;
  baselineCpuMs: number;
}

/** The validate pipeline over one mix, and the parse-only baseline of the same texts. */
function pipelineFor(mix: Mix): { pipeline: () => { denied: number; findings: number }; baseline: () => void } {
  let policyPaths: string[] = [];
  const offPolicy =
    OFF.length === 0
      ? ""
      : `apiVersion: pgbackupguard.io/v1alpha1\nkind: BackupPolicy\nmetadata:\n  name: bench-off\nspec:\n  priority: 1000\n  rules:\n${OFF.map((id) => `    ${id}: {action: "off"}\n`).join("")}`;
  const policyText = [mix.policy, offPolicy].filter((t) => t !== "").join("---\n");
  if (policyText) {
    const file = join(TMP, `${mix.name}-policy.yaml`);
    writeFileSync(file, policyText);
    policyPaths = [file];
  }
  const run = validatePipeline(mix.input, mix.inventory, policyPaths);
  const pipeline = () => {
    const report = run();
    const json = formatJson(report);
    if (json.length === 0) throw new Error("empty report");
    return { denied: report.results.filter((r) => !r.allowed).length, findings: report.results.reduce((n, r) => n + r.findings.length, 0) };
  };
  // Baseline: only the parser validate uses (js-yaml events, no engine), on the same texts.
  const baseline = () => {
    if (!parseManifestsFast(mix.input, "bench.yaml")) throw new Error("fast parser declined the bench input");
    if (mix.inventory && !parseManifestsFast(mix.inventory, "inventory.yaml")) throw new Error("fast parser declined the inventory");
  };
  return { pipeline, baseline };
}

function measure(mix: Mix, runs: number): Row {
  const { pipeline, baseline } = pipelineFor(mix);
  let out = { denied: 0, findings: 0 };
  const coldMs = time(() => (out = pipeline()));
  baseline();
  const p: { wall: number; cpu: number }[] = [];
  const b: { wall: number; cpu: number }[] = [];
  // Alternate so machine noise hits both alike.
  for (let i = 0; i < runs; i++) {
    b.push(timeBoth(baseline));
    p.push(timeBoth(() => (out = pipeline())));
  }
  const resources = Object.values(mix.counts).reduce((a, n) => a + n, 0);
  return {
    mix: mix.name,
    resources,
    ...out,
    coldMs,
    pipelineMs: median(p.map((x) => x.wall)),
    baselineMs: median(b.map((x) => x.wall)),
    pipelineCpuMs: median(p.map((x) => x.cpu)),
    baselineCpuMs: median(b.map((x) => x.cpu)),
  };
}

const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000);
const fmtInt = (n: number) => n.toLocaleString("en-US");

function printRow(r: Row): void {
  console.log(
    `  ${r.mix.padEnd(9)} ${fmtInt(r.resources).padStart(7)} resources (${fmtInt(r.denied)} denied, ${fmtInt(r.findings)} findings): ` +
      `pipeline ${r.pipelineMs.toFixed(0)} ms = ${fmtInt(perSecond(r.resources, r.pipelineMs))}/s; ` +
      `baseline ${r.baselineMs.toFixed(0)} ms = ${fmtInt(perSecond(r.resources, r.baselineMs))}/s; ` +
      `ratio ${(r.pipelineMs / r.baselineMs).toFixed(2)}x the time (${((100 * r.baselineMs) / r.pipelineMs).toFixed(0)}% of baseline throughput); ` +
      `engine ${(((r.pipelineMs - r.baselineMs) / r.resources) * 1000).toFixed(1)} µs/resource; first run ${r.coldMs.toFixed(0)} ms`,
  );
  // CPU time is far less sensitive to other jobs on a shared machine than wall time.
  console.log(
    `  ${"".padEnd(9)} ${"".padStart(7)} CPU time: pipeline ${r.pipelineCpuMs.toFixed(0)} ms = ${fmtInt(perSecond(r.resources, r.pipelineCpuMs))}/s; ` +
      `baseline ${r.baselineCpuMs.toFixed(0)} ms = ${fmtInt(perSecond(r.resources, r.baselineCpuMs))}/s; ratio ${(r.pipelineCpuMs / r.baselineCpuMs).toFixed(2)}x; ` +
      `engine ${(((r.pipelineCpuMs - r.baselineCpuMs) / r.resources) * 1000).toFixed(1)} µs/resource`,
  );
}

function coldStart(runs: number): { cliMs: number; nodeMs: number } | undefined {
  if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) return undefined;
  const file = join(TMP, "cluster.yaml");
  writeFileSync(file, benchMix(5).input);
  const spawnMs = (args: string[]) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
    if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(" ")}: exit ${r.status}: ${r.stderr}`);
    return performance.now() - t0;
  };
  const cli: number[] = [];
  const node: number[] = [];
  spawnMs(["bin/pg-backup-guard.js", "validate", file]);
  for (let i = 0; i < runs; i++) {
    node.push(spawnMs(["-e", "0"]));
    cli.push(spawnMs(["bin/pg-backup-guard.js", "validate", file]));
  }
  return { cliMs: median(cli), nodeMs: median(node) };
}

if (values.once) {
  const byRule = new Map<string, number>();
  if (values["by-rule"]) {
    for (const rule of allRules as unknown as { meta: { id: string }; check: (...args: never[]) => unknown }[]) {
      const check = rule.check.bind(rule);
      rule.check = (...args: never[]) => {
        const t0 = performance.now();
        try {
          return check(...args);
        } finally {
          byRule.set(rule.meta.id, (byRule.get(rule.meta.id) ?? 0) + performance.now() - t0);
        }
      };
    }
  }
  for (const name of MIXES) {
    const mix = mixByName(name, RESOURCES);
    const { pipeline } = pipelineFor(mix);
    const resources = Object.values(mix.counts).reduce((a, n) => a + n, 0);
    byRule.clear();
    const ms = time(pipeline);
    console.log(`${name}: ${resources} resources in ${ms.toFixed(0)} ms = ${perSecond(resources, ms)}/s (one run, cold)`);
    if (values["by-rule"]) {
      const inRules = [...byRule.values()].reduce((a, b) => a + b, 0);
      console.log(`  in rules: ${inRules.toFixed(0)} ms (${((100 * inRules) / ms).toFixed(0)}%); everything else (parse, CRD stage, defaulters, report): ${(ms - inRules).toFixed(0)} ms`);
      for (const [id, t] of [...byRule].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${id.padEnd(40)} ${t.toFixed(0).padStart(7)} ms  ${((100 * t) / ms).toFixed(1).padStart(5)}%`);
    }
  }
} else {
  console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
  if (OFF.length > 0) console.log(`rules off (diagnosis): ${OFF.join(", ")}`);
  console.log(`throughput (median of ${RUNS ?? 5} alternating runs after a warm-up; empty schedule caches at the start of each run):`);
  if (!values.scale) for (const name of MIXES) printRow(measure(mixByName(name, RESOURCES), RUNS ?? 5));
  if (SCALE) {
    console.log("scaling:");
    for (const name of values.mix ?? ["realistic", "worst"]) {
      for (const n of (values.sizes ?? "1000,10000,100000").split(",").map(Number)) printRow(measure(mixByName(name, n), RUNS ?? (n >= 100_000 ? 3 : 5)));
    }
  }
  if (!values["no-cold-start"]) {
    const runs = RUNS ?? 15;
    const c = coldStart(runs);
    if (!c) console.log("cold start: skipped (dist/ not built: npm run build)");
    else {
      console.log(`cold start (median of ${runs}): validate one file ${c.cliMs.toFixed(0)} ms, node -e 0 ${c.nodeMs.toFixed(0)} ms`);
      console.log(`  ratio ${(c.cliMs / c.nodeMs).toFixed(2)}x, CLI's own cost ${(c.cliMs - c.nodeMs).toFixed(0)} ms`);
    }
  }
}
