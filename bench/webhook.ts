// Webhook benchmark: /validate and /mutate over HTTPS keep-alive vs a bare node:https server that returns a
// fixed AdmissionReview (the ceiling for any Node webhook). Each server runs alone in a child process;
// autocannon drives it from this one. Results go to bench/RESULTS.md under "Webhook".
//
//   node_modules/.bin/node bench/webhook.ts            # full run (~70 s), writes RESULTS.md
//   BENCH_SECONDS=3 node_modules/.bin/node bench/webhook.ts --no-write
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const CERT = join(root, "test/webhook/fixtures/tls-a.crt");
const KEY = join(root, "test/webhook/fixtures/tls-a.key");

// ---- realistic AdmissionReviews -------------------------------------------------------------------

let uid = 0;
function review(object: any, operation = "CREATE", oldObject?: any): string {
  const [group, version] = object.apiVersion.split("/");
  return JSON.stringify({
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: `00000000-0000-4000-8000-${String(++uid).padStart(12, "0")}`,
      kind: { group, version, kind: object.kind },
      resource: { group, version, resource: `${object.kind.toLowerCase()}s` },
      requestKind: { group, version, kind: object.kind },
      requestResource: { group, version, resource: `${object.kind.toLowerCase()}s` },
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      operation,
      userInfo: { username: "system:serviceaccount:argocd:argocd-application-controller", uid: "5b2c", groups: ["system:serviceaccounts", "system:authenticated"] },
      object,
      oldObject: oldObject ?? null,
      dryRun: false,
      options: { apiVersion: "meta.k8s.io/v1", kind: "CreateOptions", fieldManager: "argocd-controller" },
    },
  });
}

const meta = (name: string) => ({
  name,
  namespace: "payments",
  labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "payments", team: "payments" },
  annotations: { "argocd.argoproj.io/tracking-id": `payments:postgresql.cnpg.io/Cluster:payments/${name}` },
});

const cluster = {
  apiVersion: "postgresql.cnpg.io/v1",
  kind: "Cluster",
  metadata: meta("payments-db"),
  spec: {
    instances: 3,
    imageName: "ghcr.io/cloudnative-pg/postgresql:17.5",
    primaryUpdateStrategy: "unsupervised",
    storage: { size: "50Gi", storageClass: "fast-ssd" },
    walStorage: { size: "10Gi", storageClass: "fast-ssd" },
    postgresql: { parameters: { max_connections: "200", shared_buffers: "1GB", archive_timeout: "5min" } },
    resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { memory: "4Gi" } },
    affinity: { enablePodAntiAffinity: true, topologyKey: "kubernetes.io/hostname" },
    monitoring: { enablePodMonitor: true },
    backup: { target: "prefer-standby", volumeSnapshot: { className: "csi-snapclass" } },
    plugins: [{ name: "barman-cloud.cloudnative-pg.io", isWALArchiver: true, parameters: { barmanObjectName: "payments-store" } }],
  },
};
const deniedCluster = { ...cluster, metadata: meta("legacy-db"), spec: { ...cluster.spec, backup: undefined, plugins: [] } };
const scheduled = {
  apiVersion: "postgresql.cnpg.io/v1",
  kind: "ScheduledBackup",
  metadata: meta("payments-db-daily"),
  spec: { schedule: "0 0 2 * * *", cluster: { name: "payments-db" }, method: "plugin", pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" } },
};
const cpo = {
  apiVersion: "cpo.opensource.cybertec.at/v1",
  kind: "postgresql",
  metadata: meta("orders"),
  spec: {
    teamId: "payments",
    numberOfInstances: 2,
    postgresql: { version: "17", parameters: { max_connections: "200" } },
    volume: { size: "20Gi" },
    backup: {
      pgbackrest: {
        image: "docker.io/cybertecpostgresql/cybertec-pg-container:pgbackrest-17.5-1",
        global: { "repo1-retention-full": "7" },
        repos: [{ name: "repo1", storage: "pvc", volume: { size: "50Gi" }, schedule: { full: "30 2 * * *", incr: "30 */6 * * *" } }],
      },
    },
  },
};
const lookupObjects = [
  { apiVersion: "barmancloud.cnpg.io/v1", kind: "ObjectStore", metadata: { name: "payments-store", namespace: "payments" }, spec: { retentionPolicy: "30d", configuration: { destinationPath: "s3://backups/payments" } } },
  { apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "csi-snapclass" }, driver: "ebs.csi.aws.com", deletionPolicy: "Retain" },
  cluster,
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "payments", labels: { team: "payments" } } },
];

const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: meta("payments-config"), data: { "app.properties": "x=1\n".repeat(200) } };

/** The mix: mostly allowed, some denied, some warned, an UPDATE. */
const mix = [review(cluster), review(scheduled), review(cpo), review(deniedCluster), review(cluster, "UPDATE", cluster), review(scheduled)];

// ---- servers (child processes) -------------------------------------------------------------------

async function runServer(kind: "ours" | "bare"): Promise<never> {
  process.on("SIGINT", () => process.exit(0)); // lets --cpu-prof write its profile
  const tls = { cert: readFileSync(CERT), key: readFileSync(KEY), minVersion: "TLSv1.2" as const };
  if (kind === "bare") {
    const { createServer } = await import("node:https");
    const fixed = JSON.stringify({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: "00000000-0000-4000-8000-000000000001", allowed: true } });
    const server = createServer(tls, (req, res) => {
      req.on("data", () => {});
      req.on("end", () => {
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(fixed) });
        res.end(fixed);
      });
    });
    server.keepAliveTimeout = 60_000;
    server.listen(0, "127.0.0.1", () => process.stdout.write(`PORT ${(server.address() as any).port}\n`));
  } else {
    const { pino } = await import("pino");
    const { startWebhook, parseServeArgs } = await import("../src/webhook/serve.ts");
    const { InventoryLookups } = await import("../src/lookups/inventory.ts");
    const parsed = parseServeArgs(["--no-cluster", "--tls-cert", CERT, "--tls-key", KEY, "--port", "0", "--host", "127.0.0.1"]);
    if (!parsed.ok || "help" in parsed) throw new Error("flags");
    // Logs as in production (one JSON line per decision), written to /dev/null instead of a terminal.
    const logger = pino({ level: "info" }, pino.destination({ dest: "/dev/null", sync: false }));
    const lookups = new InventoryLookups(lookupObjects, { known: ["VolumeSnapshotClass", "StorageClass", "ObjectStore", "Cluster", "Namespace"] });
    const w = await startWebhook(parsed.options, { logger, lookups });
    process.stdout.write(`PORT ${w.port}\n`);
  }
  await new Promise(() => {});
  throw new Error("unreachable");
}

function startChild(kind: "ours" | "bare"): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--server", kind], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c) => {
      out += c;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on("exit", (code) => reject(new Error(`server ${kind} exited with ${code}`)));
  });
}

// ---- load ---------------------------------------------------------------------------------------------

interface Numbers {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Bodies per measured route: the realistic mix, and uncovered kinds (the codec alone, no rules run). */
const BODIES: Record<string, string[]> = { mix, uncovered: [review(configMap), review(configMap)] };

async function drive(port: number, path: string, opts: { connections: number; seconds: number; rate?: number; bodies?: string[] }): Promise<Numbers> {
  const bodies = opts.bodies ?? mix;
  const autocannon = (await import("autocannon")).default;
  const result: any = await autocannon({
    url: `https://127.0.0.1:${port}${path}`,
    connections: opts.connections,
    duration: opts.seconds,
    ...(opts.rate ? { overallRate: opts.rate } : {}),
    method: "POST",
    headers: { "content-type": "application/json" },
    requests: bodies.map((body) => ({ method: "POST", path, body })),
    tlsOptions: { rejectUnauthorized: false },
    // keep-alive is autocannon's default (one connection per `connections`, reused)
  } as any);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}

async function measure(kind: "ours" | "bare", seconds: number): Promise<Record<string, { max: Numbers; fixed: Numbers }>> {
  const { child, port } = await startChild(kind);
  const out: Record<string, { max: Numbers; fixed: Numbers }> = {};
  try {
    const runs: [string, string, string[]][] =
      kind === "bare" ? [["/validate", "/validate", mix]] : [["/validate", "/validate", mix], ["/mutate", "/mutate", mix], ["uncovered", "/validate", BODIES.uncovered!]];
    for (const [name, path, bodies] of runs) {
      await drive(port, path, { connections: 10, seconds: 1, bodies }); // warm-up (JIT, TLS sessions)
      const max = await drive(port, path, { connections: 10, seconds, bodies });
      const fixed = await drive(port, path, { connections: 10, seconds, rate: 1000, bodies });
      out[name] = { max, fixed };
      process.stderr.write(`${kind} ${name}: max ${max.rps.toFixed(0)} req/s (p50 ${max.p50} ms, p99 ${max.p99} ms); at 1000 req/s p50 ${fixed.p50} ms p99 ${fixed.p99} ms\n`);
    }
  } finally {
    child.kill("SIGTERM");
  }
  return out;
}

const NOTE = `Reading: latency meets the aim (p99 a few ms at 1,000 req/s, same order as the bare server on this shared,
noisy 2-core machine). Throughput does not: the bare server does almost nothing per request (no JSON parse,
no logging), so its ceiling is far above any server that reads the AdmissionReview. The "uncovered kind" row
is the webhook's own codec cost (read + JSON.parse the body, depth check, decode, encode, one log line, metrics)
with no rules run; the gap between it and /validate is the engine (about 10-45 µs per object in-process,
most of it cron parsing in the schedule rules). The admission path already bypasses express (plain node
streams; express serves only health, readiness and metrics). Not done: caching decisions for unchanged objects
(GitOps re-applies) and caching parsed schedules in the rules (owned by the rule helpers).
`;

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const bare = await measure("bare", seconds);
  const ours = await measure("ours", seconds);
  const b = bare["/validate"]!;
  const rows = [
    ["bare node:https (fixed AdmissionReview)", b],
    ["pg-backup-guard POST /validate", ours["/validate"]!],
    ["pg-backup-guard POST /mutate", ours["/mutate"]!],
    ["pg-backup-guard POST /validate, uncovered kind (codec only, no rules)", ours.uncovered!],
  ] as const;
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
  const table = [
    "| server | max req/s (10 conns) | vs bare | p50 / p99 ms at max | p50 / p99 ms at 1,000 req/s | errors / non-2xx |",
    "|---|---:|---:|---:|---:|---:|",
    ...rows.map(
      ([name, r]) =>
        `| ${name} | ${r.max.rps.toFixed(0)} | ${((100 * r.max.rps) / b.max.rps).toFixed(0)}% | ${fmt(r.max.p50)} / ${fmt(r.max.p99)} | ${fmt(r.fixed.p50)} / ${fmt(r.fixed.p99)} | ${r.max.errors + r.fixed.errors} / ${r.max.non2xx + r.fixed.non2xx} |`,
    ),
  ].join("\n");
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const section = [
    "## Webhook",
    "",
    `Run: ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpu}), Node ${process.version}, \`node_modules/.bin/node bench/webhook.ts\` (${seconds} s per measurement).`,
    "",
    "HTTPS with keep-alive (autocannon, 10 connections, self-signed P-256 certificate), on the same machine as the",
    "load generator. Request mix: six realistic AdmissionReviews (CNPG Cluster allowed, ScheduledBackup, CPO postgresql",
    "with warnings, a Cluster denied by two rules, a Cluster UPDATE with oldObject; 2-4 KB each). The webhook runs as",
    "in production (startWebhook: the engine, Prometheus metrics (with default process metrics), one pino JSON log line per",
    "decision to /dev/null). The bare server reads the body and returns a fixed AdmissionReview: the ceiling for any",
    "Node webhook on this machine.",
    "",
    table,
    "",
    "Aim: ≥ 70% of the bare server's throughput and p99 under 5 ms at 1,000 requests/s.",
    "",
    ...NOTE.trimEnd().split("\n"),
    "",
  ].join("\n");
  const current = process.argv.includes("--no-write") ? undefined : section;
  process.stdout.write(`${section}\n`);
  if (!current) return;
  const file = join(here, "RESULTS.md");
  let text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\n";
  const start = text.indexOf("## Webhook");
  if (start >= 0) {
    const next = text.indexOf("\n## ", start + 1);
    text = text.slice(0, start) + section + (next >= 0 ? text.slice(next + 1) : "");
  } else text = `${text.trimEnd()}\n\n${section}`;
  writeFileSync(file, text);
}

const serverArg = process.argv.indexOf("--server");
if (serverArg >= 0) await runServer(process.argv[serverArg + 1] as "ours" | "bare");
else await main();
