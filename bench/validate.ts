// CLI benchmarks. Run: node_modules/.bin/node bench/validate.ts [--resources N] [--runs N]
// (1) throughput: the CLI pipeline (parse YAML with lines + simulated admission + JSON report) over generated,
//     varied resources, against a baseline of only parsing the same YAML with validate's parser;
// (2) cold start: spawning `bin/pg-backup-guard.js validate file.yaml` against spawning `node -e 0`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseAllDocuments } from "yaml";
import { parseSource } from "../src/input/read.ts";
import { parseManifestsFast } from "../src/input/fast-parse.ts";
import { admitAll, type Prepared } from "../src/cli/pipeline.ts";
import { loadPolicy } from "../src/cli/policy.ts";
import { InventoryLookups } from "../src/lookups/inventory.ts";
import { formatJson } from "../src/report/json.ts";

const ROOT = resolve(import.meta.dirname, "..");
const { values } = parseArgs({ options: { resources: { type: "string" }, runs: { type: "string" } } });
const RESOURCES = Number(values.resources ?? 10_000);
const RUNS = Number(values.runs ?? 15);

/** Deterministic pseudo-random numbers (mulberry32), so every run validates the same input. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CNPG_SCHEDULES = ["0 0 2 * * *", "0 30 1 * * *", "0 0 */6 * * *", "0 0 0 * * 0", "0 2 * * *", "@daily", "0 0 3 * * 1-5", "*/30 * * * * *"];
const CPO_SCHEDULES = ["30 2 * * 0", "0 1 * * *", "0 */4 * * *", "0 3 1 * *", "15 2 * * 1-6"];

function generate(count: number): string {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    const ns = `team-${i % 50}`;
    const name = `db-${i}`;
    const kind = i % 5;
    if (kind === 0) {
      const variant = pick(["plugin", "plugin", "snapshot", "legacy", "none"]);
      const instances = pick([1, 2, 3]);
      let spec = `  instances: ${instances}\n  storage:\n    size: ${pick([1, 10, 100])}Gi\n`;
      if (variant !== "none" && variant !== "legacy")
        spec += `  plugins:\n    - name: barman-cloud.cloudnative-pg.io\n      isWALArchiver: true\n      parameters:\n        barmanObjectName: store-${i % 7}\n`;
      if (variant === "snapshot") spec += `  backup:\n    volumeSnapshot:\n      className: csi-snap\n      online: ${pick(["true", "false"])}\n`;
      if (variant === "legacy")
        spec += `  backup:\n    retentionPolicy: 30d\n    barmanObjectStore:\n      destinationPath: s3://bucket/${name}\n      s3Credentials:\n        inheritFromIAMRole: true\n`;
      if (r() < 0.3) spec += `  postgresql:\n    parameters:\n      archive_timeout: ${pick(["1min", "5min", "15min"])}\n      max_connections: "200"\n`;
      docs.push(`apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  labels:\n    app: shop\nspec:\n${spec}`);
    } else if (kind === 1) {
      const method = pick(["plugin", "volumeSnapshot", ""]);
      docs.push(
        `apiVersion: postgresql.cnpg.io/v1\nkind: ScheduledBackup\nmetadata:\n  name: ${name}-daily\n  namespace: ${ns}\nspec:\n  schedule: "${pick(CNPG_SCHEDULES)}"\n  cluster:\n    name: db-${i - 1}\n` +
          (method ? `  method: ${method}\n` : "") +
          (method === "plugin" ? `  pluginConfiguration:\n    name: barman-cloud.cloudnative-pg.io\n` : "") +
          (r() < 0.7 ? `  backupOwnerReference: self\n` : ""),
      );
    } else if (kind === 2) {
      docs.push(
        `apiVersion: postgresql.cnpg.io/v1\nkind: Backup\nmetadata:\n  name: ${name}-once\n  namespace: ${ns}\nspec:\n  cluster:\n    name: db-${i - 2}\n  method: ${pick(["plugin", "volumeSnapshot", "barmanObjectStore"])}\n  target: ${pick(["primary", "prefer-standby"])}\n`,
      );
    } else if (kind === 3) {
      docs.push(
        `apiVersion: barmancloud.cnpg.io/v1\nkind: ObjectStore\nmetadata:\n  name: store-${i % 7}\n  namespace: ${ns}\nspec:\n` +
          (r() < 0.8 ? `  retentionPolicy: "30d"\n` : "") +
          `  configuration:\n    destinationPath: s3://backups/${ns}\n    s3Credentials:\n      inheritFromIAMRole: true\n`,
      );
    } else {
      const storage = pick(["s3", "s3", "pvc", "gcs"]);
      docs.push(
        `apiVersion: cpo.opensource.cybertec.at/v1\nkind: postgresql\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  numberOfInstances: 2\n  teamId: acid\n  postgresql:\n    version: "18"\n` +
          (r() < 0.6 ? `    parameters:\n      archive_timeout: "${pick([60, 300, 1800])}"\n` : "") +
          `  volume:\n    size: 10Gi\n  backup:\n    pgbackrest:\n      image: pgbackrest:18\n      global:\n` +
          (r() < 0.8 ? `        repo1-retention-full: "7"\n` : "") +
          `        repo1-path: /${ns}/${name}\n      repos:\n        - name: repo1\n          storage: ${storage}\n          resource: bucket\n          schedule:\n            full: "${pick(CPO_SCHEDULES)}"\n` +
          (r() < 0.5 ? `            incr: "${pick(CPO_SCHEDULES)}"\n` : ""),
      );
    }
  }
  return docs.join("---\n");
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function throughput(): { pipelineMs: number; baselineMs: number; fullParseMs: number; resources: number; denied: number } {
  const text = generate(RESOURCES);
  const policy = loadPolicy([]);
  if (!policy.ok) throw new Error(policy.errors.join("\n"));
  const now = new Date("2026-01-15T12:00:00Z");
  let denied = 0;
  const pipeline = () => {
    const parsed = parseSource(text, "bench.yaml", false);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const lookups = new InventoryLookups(parsed.parsed.objects.map((o) => o.object));
    const prepared: Prepared = { sources: [parsed.parsed], lookups, resolver: policy.resolver, notes: [] };
    const { report } = admitAll(prepared, now);
    const json = formatJson(report);
    denied = report.results.filter((r) => !r.allowed).length;
    if (json.length === 0) throw new Error("empty report");
  };
  // Baseline: only the parser validate uses (js-yaml events, no engine). Reference: the `yaml` Document parser
  // (what mutate uses, and what validate used before the fast path).
  const baseline = () => {
    if (!parseManifestsFast(text, "bench.yaml")) throw new Error("fast parser declined the bench input");
  };
  const fullParse = () => {
    for (const d of parseAllDocuments(text) as ReturnType<typeof parseAllDocuments> & unknown[]) d.toJS();
  };
  // Warm up both (JIT), then alternate so machine noise hits both alike.
  pipeline();
  baseline();
  const p: number[] = [];
  const b: number[] = [];
  const f: number[] = [];
  for (let i = 0; i < 5; i++) {
    b.push(time(baseline));
    p.push(time(pipeline));
    f.push(time(fullParse));
  }
  return { pipelineMs: median(p), baselineMs: median(b), fullParseMs: median(f), resources: RESOURCES, denied };
}

function coldStart(): { cliMs: number; nodeMs: number } | undefined {
  if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "pgbg-bench-"));
  try {
    const file = join(dir, "cluster.yaml");
    writeFileSync(file, generate(5));
    const spawnMs = (args: string[]) => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8" });
      if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(" ")}: exit ${r.status}: ${r.stderr}`);
      return performance.now() - t0;
    };
    const cli: number[] = [];
    const node: number[] = [];
    spawnMs(["bin/pg-backup-guard.js", "validate", file]);
    for (let i = 0; i < RUNS; i++) {
      node.push(spawnMs(["-e", "0"]));
      cli.push(spawnMs(["bin/pg-backup-guard.js", "validate", file]));
    }
    return { cliMs: median(cli), nodeMs: median(node) };
  } finally {
    rmSync(dir, { recursive: true });
  }
}

const t = throughput();
const perSecond = Math.round((t.resources / t.pipelineMs) * 1000);
const basePerSecond = Math.round((t.resources / t.baselineMs) * 1000);
console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log(`throughput: ${t.resources} resources (${t.denied} denied)`);
console.log(`  pipeline (parse with lines + admit + JSON): ${t.pipelineMs.toFixed(0)} ms = ${perSecond} resources/s`);
console.log(`  baseline (parse only, the fast parser):     ${t.baselineMs.toFixed(0)} ms = ${basePerSecond} resources/s`);
console.log(`  ratio pipeline/baseline time: ${(t.pipelineMs / t.baselineMs).toFixed(2)}x  (aim: >= 10000 resources/s)`);
console.log(`  reference (yaml parseAllDocuments + toJS): ${t.fullParseMs.toFixed(0)} ms = ${Math.round((t.resources / t.fullParseMs) * 1000)} resources/s`);
const c = coldStart();
if (!c) console.log("cold start: skipped (dist/ not built: npm run build)");
else {
  console.log(`cold start (median of ${RUNS}): validate one file ${c.cliMs.toFixed(0)} ms, node -e 0 ${c.nodeMs.toFixed(0)} ms`);
  console.log(`  ratio ${(c.cliMs / c.nodeMs).toFixed(2)}x, CLI's own cost ${(c.cliMs - c.nodeMs).toFixed(0)} ms  (aim: < 300 ms)`);
}
