// The webhook at cluster scale (issue 13): a real kube-apiserver holding 10,000 Namespaces, 5,000 Clusters,
// 5,000 ScheduledBackups and 2,000 ObjectStores; `pg-backup-guard serve` is started on it and measured: time from
// spawn to /readyz 200 (with every lookup cache synced) and resident memory (VmRSS / VmHWM of the node process),
// plus the same on the empty cluster as a baseline.
//
// Not part of `npm run test:e2e` (it takes minutes): run it with `npm run test:scale`.
// - PG_BACKUP_GUARD_SCALE=0.1   a tenth of the objects (the thresholds are then not asserted)
// - PG_BACKUP_GUARD_SCALE_COMPARE=label=/path/to/main[@--node-flag ...][,label2=...]   also measures other builds on the same populated
//   API server, alternating with this one: a module exporting the CLI's main (another checkout's dist/cli.mjs, or a
//   src/cli/main.ts run through Node's type stripping, which alone costs ~30 MiB more RSS)
//
// This tree is measured the way it is deployed: src/ bundled by scripts/build-cli.ts (dist/cli.mjs, which loads the
// cluster client from dist/kube.mjs), run with NODE_ENV=production and the Deployment's NODE_OPTIONS (the heap limit,
// which also sizes V8's young generation: deploy/base/deployment.yaml).
// - PG_BACKUP_GUARD_SCALE_OUT=file.json   writes the figures there
// - PG_BACKUP_GUARD_SCALE_HEAP_ROOTS=label=/path/to/checkout[,...]   also measures other checkouts' retained cache heap
//   (below; default: this tree only)
// - PG_BACKUP_GUARD_SCALE_HOLD_S=600   keeps the populated API server up that long after measuring (profiling)
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:https";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import type { Cluster } from "./cluster.ts";
import { repoRoot } from "./cluster.ts";
import { run, startProcess } from "./processes.ts";
import { e2eSuite } from "./suite.ts";

const ENABLED = process.env.PG_BACKUP_GUARD_SCALE_E2E === "1";
const FACTOR = Number(process.env.PG_BACKUP_GUARD_SCALE ?? "1");
const FULL = FACTOR >= 1;
const COUNTS = {
  namespaces: Math.round(10_000 * FACTOR),
  clusters: Math.round(5_000 * FACTOR),
  scheduledBackups: Math.round(5_000 * FACTOR),
  objectStores: Math.round(2_000 * FACTOR),
};
const READY_AIM_MS = 30_000;
const RSS_AIM_BYTES = 200 * 1024 * 1024;

type Obj = Record<string, unknown>;

// ---- generated objects (realistic sizes: a production-like Cluster spec, about 2 KB before managedFields) ----

const nsName = (i: number) => `scale-${String(i).padStart(5, "0")}`;

function namespaceObj(i: number): Obj {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: nsName(i), labels: { team: `team-${i % 40}`, env: ["prod", "staging", "dev"][i % 3]!, "backup-tier": i % 5 === 0 ? "gold" : "standard" } },
  };
}

/** Cluster i lives in namespace i; even ones archive through the barman-cloud plugin to ObjectStore `store-<i>`. */
function clusterObj(i: number, withStore: boolean): Obj {
  const ns = nsName(i);
  const name = `pg-${i}`;
  const spec: Obj = {
    instances: 3,
    imageName: "ghcr.io/cloudnative-pg/postgresql:17.5",
    primaryUpdateStrategy: "unsupervised",
    postgresql: {
      parameters: {
        max_connections: "200", shared_buffers: "2GB", effective_cache_size: "6GB", work_mem: "16MB", maintenance_work_mem: "512MB",
        wal_buffers: "16MB", max_wal_size: "4GB", min_wal_size: "1GB", checkpoint_completion_target: "0.9", random_page_cost: "1.1",
        log_min_duration_statement: "500ms", archive_timeout: "5min", "pg_stat_statements.max": "10000", "pg_stat_statements.track": "all",
      },
      shared_preload_libraries: ["pg_stat_statements"],
    },
    bootstrap: { initdb: { database: "app", owner: "app", dataChecksums: true, encoding: "UTF8" } },
    storage: { size: "100Gi", storageClass: "standard" },
    walStorage: { size: "20Gi", storageClass: "standard" },
    resources: { requests: { cpu: "2", memory: "8Gi" }, limits: { memory: "8Gi" } },
    affinity: { enablePodAntiAffinity: true, topologyKey: "kubernetes.io/hostname", podAntiAffinityType: "required" },
    monitoring: { enablePodMonitor: true },
  };
  if (withStore) {
    spec.backup = { target: "prefer-standby" };
    spec.plugins = [{ name: "barman-cloud.cloudnative-pg.io", isWALArchiver: true, parameters: { barmanObjectName: `store-${i}` } }];
  } else {
    spec.backup = {
      target: "prefer-standby",
      retentionPolicy: "30d",
      barmanObjectStore: {
        destinationPath: `s3://backups-${i % 50}/${ns}/${name}`,
        endpointURL: "https://s3.eu-central-1.amazonaws.com",
        s3Credentials: { accessKeyId: { name: `${name}-s3`, key: "ACCESS_KEY_ID" }, secretAccessKey: { name: `${name}-s3`, key: "ACCESS_SECRET_KEY" } },
        wal: { compression: "gzip", maxParallel: 4 },
        data: { compression: "gzip", jobs: 2 },
      },
    };
  }
  return { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name, namespace: ns, labels: { app: name, team: `team-${i % 40}` } }, spec };
}

function scheduledBackupObj(i: number, withStore: boolean): Obj {
  const spec: Obj = { schedule: `0 ${i % 60} ${i % 24} * * *`, cluster: { name: `pg-${i}` }, backupOwnerReference: "self", immediate: false };
  if (withStore) Object.assign(spec, { method: "plugin", pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" } });
  return { apiVersion: "postgresql.cnpg.io/v1", kind: "ScheduledBackup", metadata: { name: `pg-${i}-daily`, namespace: nsName(i) }, spec };
}

function objectStoreObj(i: number): Obj {
  return {
    apiVersion: "barmancloud.cnpg.io/v1",
    kind: "ObjectStore",
    metadata: { name: `store-${i}`, namespace: nsName(i) },
    spec: {
      retentionPolicy: "14d",
      configuration: {
        destinationPath: `s3://plugin-backups-${i % 50}/${nsName(i)}`,
        endpointURL: "https://s3.eu-central-1.amazonaws.com",
        s3Credentials: { accessKeyId: { name: `store-${i}-s3`, key: "ACCESS_KEY_ID" }, secretAccessKey: { name: `store-${i}-s3`, key: "ACCESS_SECRET_KEY" } },
        wal: { compression: "gzip", maxParallel: 4 },
        data: { compression: "gzip", jobs: 2 },
      },
    },
  };
}

// ---- the API server, directly (kubectl would take one process and one round trip per object) ----

class Api {
  private readonly agent: Agent;
  private readonly c: Cluster;
  constructor(c: Cluster) {
    this.c = c;
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: 16,
      ca: readFileSync(c.certs.caCert, "utf8"),
      cert: readFileSync(c.certs.adminCert, "utf8"),
      key: readFileSync(c.certs.adminKey, "utf8"),
    });
  }

  /** POST (create); an AlreadyExists answer counts as done, so a rerun on kept data is fine. */
  create(path: string, obj: Obj): Promise<void> {
    const body = JSON.stringify(obj);
    return new Promise((done, fail) => {
      const req = request(`${this.c.apiUrl}${path}?fieldManager=scale-e2e`, { method: "POST", agent: this.agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (d: string) => (text += d));
        res.on("end", () => (res.statusCode === 201 || res.statusCode === 409 ? done() : fail(new Error(`POST ${path}: ${res.statusCode} ${text.slice(0, 300)}`))));
      });
      req.on("error", fail);
      req.end(body);
    });
  }

  async createAll(what: string, n: number, make: (i: number) => [string, Obj], concurrency = 16): Promise<number> {
    const started = Date.now();
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < n; i = next++) {
        const [path, obj] = make(i);
        await this.create(path, obj);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const ms = Date.now() - started;
    process.stderr.write(`scale: created ${n} ${what} in ${(ms / 1000).toFixed(1)} s\n`);
    return ms;
  }

  close(): void {
    this.agent.destroy();
  }
}

// ---- measuring one `serve` ----

function httpsGet(url: string, ca: string): Promise<{ status: number; body: string } | undefined> {
  return new Promise((done) => {
    const req = request(url, { ca, timeout: 3000 }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => (body += d));
      res.on("end", () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => done(undefined));
    req.end();
  });
}

function procStatus(pid: number): { rss: number; hwm: number } {
  const text = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? Number.NaN) * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

interface Measurement {
  label: string;
  scenario: string;
  readyMs: number;
  /** every pgbackupguard_lookup_cache_synced series was 1 when /readyz first answered 200 */
  synced: boolean;
  /** VmRSS 5 s after ready */
  rssMiB: number;
  /** VmRSS 30 s after ready (V8's memory reducer has run by then: the steady state) */
  rss30MiB: number;
  /** VmHWM: the peak, during the first sync */
  hwmMiB: number;
  heapUsedMiB: number | undefined;
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Starts `serve` from the module `main` (exports the CLI's main), waits for /readyz, settles, reads memory, stops. */
/** A target "path@--flag --flag": the module exporting the CLI's main, and Node flags for it (e.g. @--max-semi-space-size=4). */
function parseTarget(target: string): { main: string; nodeFlags: string[] } {
  const at = target.indexOf("@");
  return { main: at < 0 ? target : target.slice(0, at), nodeFlags: at < 0 ? [] : target.slice(at + 1).split(" ").filter((f) => f !== "") };
}

async function measure(c: Cluster, label: string, target: string, scenario: string): Promise<Measurement> {
  const { main, nodeFlags } = parseTarget(target);
  const ca = readFileSync(c.certs.caCert, "utf8");
  const base = `https://127.0.0.1:${c.webhookPort}`;
  const launcher = join(c.dir, "scale-launch.mjs");
  writeFileSync(launcher, "const { main } = await import(process.env.PGBG_SCALE_MAIN);\nprocess.exitCode = await main(process.argv.slice(2));\n");
  const args = [
    ...nodeFlags, launcher, "serve", `--tls-cert=${c.certs.webhookCert}`, `--tls-key=${c.certs.webhookKey}`, "--host=127.0.0.1", `--port=${c.webhookPort}`,
    `--kubeconfig=${c.webhookKubeconfig}`, "--shutdown-delay=0", "--shutdown-timeout=2",
  ];
  const started = Date.now();
  const proc = startProcess(`serve (${label})`, process.execPath, args, join(c.dir, `scale-${label}-${scenario}.log`), { ...process.env, NODE_ENV: "production", NODE_OPTIONS: deployedNodeOptions(), PGBG_SCALE_MAIN: main });
  try {
    let readyMs = Number.NaN;
    for (;;) {
      const r = await httpsGet(`${base}/readyz`, ca);
      if (r?.status === 200) {
        readyMs = Date.now() - started;
        break;
      }
      if (proc.child.exitCode !== null) throw new Error(`serve (${label}) exited: ${readFileSync(proc.log, "utf8").slice(-2000)}`);
      if (Date.now() - started > 300_000) throw new Error(`serve (${label}) not ready after 300 s: ${r?.body ?? "no answer"}`);
      await new Promise((r2) => setTimeout(r2, 50));
    }
    const metrics = (await httpsGet(`${base}/metrics`, ca))?.body ?? "";
    const syncedLines = metrics.split("\n").filter((l) => l.startsWith("pgbackupguard_lookup_cache_synced{"));
    const synced = syncedLines.length > 0 && syncedLines.every((l) => / 1$/.test(l));
    // Settle: the list responses are garbage now; what stays is the caches and the code.
    await new Promise((r) => setTimeout(r, 5000));
    const after = (await httpsGet(`${base}/metrics`, ca))?.body ?? "";
    const heap = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(after)?.[1];
    const mem = procStatus(proc.child.pid!);
    await new Promise((r) => setTimeout(r, 25_000));
    const later = procStatus(proc.child.pid!);
    const m: Measurement = { label, scenario, readyMs, synced, rssMiB: mib(mem.rss), rss30MiB: mib(later.rss), hwmMiB: mib(later.hwm), heapUsedMiB: heap ? mib(Number(heap)) : undefined };
    process.stderr.write(`scale: ${JSON.stringify(m)}\n`);
    return m;
  } finally {
    await proc.stop(5000);
  }
}

interface AuditMeasurement {
  label: string;
  /** spawn to exit */
  ms: number;
  code: number | null;
  /** objects judged (the JSON report's results) */
  results: number;
  /** peak resident memory of the process (getrusage ru_maxrss) */
  maxRssMiB: number;
}

/**
 * `pg-backup-guard audit -o json` over the whole populated cluster, as the admin, with the audit CronJob's
 * NODE_OPTIONS (deploy/overlays/audit-cronjob): time and peak memory. audit lists
 * every covered kind page by page (src/cli/kube-lookups.ts), so its peak is the objects it judges plus one page of
 * raw answer, never a whole unpaged list.
 */
async function measureAudit(c: Cluster, label: string, target: string): Promise<AuditMeasurement> {
  const { main, nodeFlags } = parseTarget(target);
  const launcher = join(c.dir, "scale-audit.mjs");
  writeFileSync(
    launcher,
    [
      "const { main } = await import(process.env.PGBG_SCALE_MAIN);",
      "process.exitCode = await main(process.argv.slice(2));",
      'process.on("exit", () => process.stderr.write(`\\nPGBG_MAXRSS_KIB=${process.resourceUsage().maxRSS}\\n`));',
    ].join("\n"),
  );
  const started = Date.now();
  const r = await run(process.execPath, [...nodeFlags, launcher, "audit", `--kubeconfig=${c.adminKubeconfig}`, "-o", "json"], {
    env: { ...process.env, NODE_ENV: "production", NODE_OPTIONS: deployedNodeOptions("overlays/audit-cronjob/cronjob.yaml"), PGBG_SCALE_MAIN: main },
    timeoutMs: 600_000,
  });
  const ms = Date.now() - started;
  const kib = Number(/PGBG_MAXRSS_KIB=(\d+)/.exec(r.stderr)?.[1] ?? Number.NaN);
  let results = 0;
  try {
    results = ((JSON.parse(r.stdout) as { results?: unknown[] }).results ?? []).length;
  } catch {
    throw new Error(`audit (${label}) printed no JSON report (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  }
  const m = { label, ms, code: r.code, results, maxRssMiB: mib(kib * 1024) };
  process.stderr.write(`scale: audit ${JSON.stringify(m)}\n`);
  return m;
}

/**
 * What the lookup caches retain: a child `node --expose-gc` loads <root>/src/lookups/live-informers.ts, syncs every
 * informer against the API server and reads heapUsed after a full GC, before and after the sync. The difference is
 * the caches alone, without the garbage of the sync or the code.
 */
async function retainedHeap(c: Cluster, label: string, root: string): Promise<{ label: string; syncMs: number; heapBeforeMiB: number; heapAfterMiB: number; cachesMiB: number }> {
  const script = join(c.dir, "scale-heap.mjs");
  writeFileSync(
    script,
    [
      "const live = await import(process.env.PGBG_LIVE);",
      "const conn = await live.connect(process.env.PGBG_KUBECONFIG);",
      "const heap = () => { globalThis.gc(); globalThis.gc(); return process.memoryUsage().heapUsed; };",
      "const before = heap(); const t = Date.now();",
      "const ll = live.liveLookups(conn, {}); await ll.start();",
      "const syncMs = Date.now() - t; const after = heap();",
      "process.stdout.write(JSON.stringify({ syncMs, before, after, notSynced: ll.notSynced() }));",
      "process.exit(0);",
    ].join("\n"),
  );
  const r = await run(process.execPath, ["--expose-gc", script], {
    env: { ...process.env, PGBG_LIVE: join(root, "src", "lookups", "live-informers.ts"), PGBG_KUBECONFIG: c.webhookKubeconfig },
    timeoutMs: 300_000,
  });
  if (r.code !== 0) throw new Error(`heap probe (${label}) failed: ${r.stderr.slice(-2000)}`);
  const o = JSON.parse(r.stdout) as { syncMs: number; before: number; after: number; notSynced: string[] };
  assert.deepEqual(o.notSynced, [], `heap probe (${label}): every informer synced`);
  const m = { label, syncMs: o.syncMs, heapBeforeMiB: mib(o.before), heapAfterMiB: mib(o.after), cachesMiB: mib(o.after - o.before) };
  process.stderr.write(`scale: heap ${JSON.stringify(m)}\n`);
  return m;
}

/** This tree's src/ bundled by scripts/build-cli.ts: dist/cli.mjs with dist/kube.mjs and dist/offload-worker.mjs beside it. */
async function bundleThisTree(): Promise<string> {
  const r = await run(process.execPath, [join(repoRoot, "scripts", "build-cli.ts")], { cwd: repoRoot, timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`bundling src/ failed: ${r.stderr}`);
  return join(repoRoot, "dist", "cli.mjs");
}

/** The NODE_OPTIONS a manifest under deploy/ sets (the webhook's Deployment by default), so that it is measured as deployed. */
function deployedNodeOptions(file = "base/deployment.yaml"): string {
  const text = readFileSync(join(repoRoot, "deploy", file), "utf8");
  const value = /\{name: NODE_OPTIONS, value: ([^}]+)\}/.exec(text)?.[1]?.trim();
  if (value === undefined) throw new Error(`deploy/${file} sets no NODE_OPTIONS: update test/e2e/scale.e2e.ts`);
  return value;
}

async function compared(): Promise<Array<[string, string]>> {
  const bundle = await bundleThisTree();
  const own: [string, string] = ["this-tree", bundle];
  // "this-tree" as a path stands for this tree's bundle (to measure it with other Node flags).
  const others = (process.env.PG_BACKUP_GUARD_SCALE_COMPARE ?? "")
    .split(",")
    .filter((s) => s.includes("="))
    .map((s) => [s.slice(0, s.indexOf("=")), s.slice(s.indexOf("=") + 1).replace(/^this-tree(?=@|$)/, bundle)] as [string, string]);
  return [...others, own];
}

if (!ENABLED) process.stderr.write('e2e: skipping "e2e: scale": run it with npm run test:scale (PG_BACKUP_GUARD_SCALE_E2E=1)\n');

const body = (cluster: () => Cluster) => {
  it(`scale: ready and memory with ${COUNTS.namespaces} Namespaces, ${COUNTS.clusters} Clusters, ${COUNTS.scheduledBackups} ScheduledBackups, ${COUNTS.objectStores} ObjectStores`, { timeout: 3_600_000 }, async () => {
    const c = cluster();
    await c.stopWebhook();
    // No admission webhooks while populating: creation would otherwise go through (and wait for) them.
    await c.kubectlOk(["delete", "validatingwebhookconfigurations,mutatingwebhookconfigurations", "--all", "--ignore-not-found"]);
    const targets = await compared();
    const results: Measurement[] = [];
    for (const [label, cli] of targets) results.push(await measure(c, label, cli, "empty"));

    const api = new Api(c);
    const populate: Record<string, number> = {};
    try {
      populate.namespaces = await api.createAll("Namespaces", COUNTS.namespaces, (i) => ["/api/v1/namespaces", namespaceObj(i)]);
      const withStore = (i: number) => i % 2 === 0 && i / 2 < COUNTS.objectStores;
      populate.objectStores = await api.createAll("ObjectStores", COUNTS.objectStores, (j) => {
        const i = j * 2;
        return [`/apis/barmancloud.cnpg.io/v1/namespaces/${nsName(i)}/objectstores`, objectStoreObj(i)];
      });
      populate.clusters = await api.createAll("Clusters", COUNTS.clusters, (i) => [`/apis/postgresql.cnpg.io/v1/namespaces/${nsName(i)}/clusters`, clusterObj(i, withStore(i))]);
      populate.scheduledBackups = await api.createAll("ScheduledBackups", COUNTS.scheduledBackups, (i) => [`/apis/postgresql.cnpg.io/v1/namespaces/${nsName(i)}/scheduledbackups`, scheduledBackupObj(i, withStore(i))]);
    } finally {
      api.close();
    }
    // Two alternating rounds per checkout: machine noise hits them alike.
    for (let round = 0; round < 2; round++) for (const [label, cli] of targets) results.push(await measure(c, label, cli, `scale-round${round + 1}`));

    const heapRoots: Array<[string, string]> = [
      ...(process.env.PG_BACKUP_GUARD_SCALE_HEAP_ROOTS ?? "")
        .split(",")
        .filter((s) => s.includes("="))
        .map((s) => [s.slice(0, s.indexOf("=")), s.slice(s.indexOf("=") + 1)] as [string, string]),
      ["this-tree", repoRoot],
    ];
    const heap = [];
    for (const [label, root] of heapRoots) heap.push(await retainedHeap(c, label, root));
    const audits: AuditMeasurement[] = [];
    for (const [label, cli] of targets) audits.push(await measureAudit(c, label, cli));

    const report = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memMiB: mib(totalmem()), counts: COUNTS, populateMs: populate, results, heap, audits };
    process.stderr.write(`scale: ${JSON.stringify(report, null, 2)}\n`);
    if (process.env.PG_BACKUP_GUARD_SCALE_OUT) writeFileSync(process.env.PG_BACKUP_GUARD_SCALE_OUT, JSON.stringify(report, null, 2));
    // For profiling by hand: keep the populated API server up (its kubeconfigs are in the printed dir).
    const hold = Number(process.env.PG_BACKUP_GUARD_SCALE_HOLD_S ?? "0");
    if (hold > 0) {
      process.stderr.write(`scale: holding the API server for ${hold} s: KUBECONFIG=${c.webhookKubeconfig} (admin: ${c.adminKubeconfig})\n`);
      await new Promise((r) => setTimeout(r, hold * 1000));
    }

    for (const m of results) assert.ok(m.synced, `${m.label} (${m.scenario}): every lookup cache synced when /readyz said ready`);
    const covered = COUNTS.clusters + COUNTS.scheduledBackups + COUNTS.objectStores;
    for (const a of audits) {
      assert.ok(a.code === 0 || a.code === 1, `audit (${a.label}) exited ${a.code}`);
      assert.ok(a.results >= covered, `audit (${a.label}) judged ${a.results} objects, expected at least the ${covered} Clusters, ScheduledBackups and ObjectStores`);
    }
    if (FULL) {
      for (const m of results.filter((r) => r.label === "this-tree" && r.scenario.startsWith("scale"))) {
        assert.ok(m.readyMs < READY_AIM_MS, `${m.scenario}: ready in ${m.readyMs} ms (aim < ${READY_AIM_MS} ms)`);
        assert.ok(m.rss30MiB * 1024 * 1024 < RSS_AIM_BYTES, `${m.scenario}: VmRSS ${m.rss30MiB} MiB 30 s after ready (aim < 200 MiB)`);
      }
    }
  });
};

if (ENABLED) e2eSuite("e2e: scale", body);
