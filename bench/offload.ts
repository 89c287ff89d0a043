// Offload (src/webhook/offload.ts): how long the main thread's event loop is held while 3 MiB adversarial
// admission requests are served, with large bodies judged on the main thread (--offload-threshold 0) and in worker
// threads (the default), and where the threshold lies (the body size at which main-thread handling passes ~20 ms).
//
//   node_modules/.bin/node --expose-gc bench/offload.ts      # both parts, markdown tables
//   node_modules/.bin/node bench/offload.ts --only cnpg      # shapes whose name contains "cnpg"
//   node_modules/.bin/node bench/offload.ts --skip-threshold # only the served part
//
// Served part: the real request listener (createApp) on a loopback HTTP server in this process, each adversarial
// shape of bench/adversarial.ts sent to /validate and /mutate one at a time, bodies built before timing starts.
// A 1 ms interval timer probes the event loop: the largest gap between its ticks, minus 1 ms, while a request is in
// flight, is that request's "max block". Also perf_hooks.monitorEventLoopDelay's max over the whole run.
// Threshold part: each shape cut down (arrays, maps and long strings shortened in proportion) to a series of body
// sizes, and the main-thread path timed on it (judgeBody: JSON.parse, judge, encode), median of 3 after warm-up.
import { request, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { pino } from "pino";
import type { LookupKind, Lookups, Resource } from "../src/engine/types.ts";
import type { EffectivePolicy } from "../src/policy/types.ts";
import { createApp } from "../src/webhook/app.ts";
import type { HandlerDeps, PolicyProvider } from "../src/webhook/handler.ts";
import { createMetrics } from "../src/webhook/metrics.ts";
import { judgeBody, type Webhook } from "../src/webhook/offload-judge.ts";
import { DEFAULT_OFFLOAD_THRESHOLD_BYTES, DEFAULT_OFFLOAD_WORKERS, OffloadPool } from "../src/webhook/offload.ts";
import { allOnPolicy, BAR_MS, lookupsFor, MIB, review, shapes, type Shape } from "./adversarial.ts";

const NOW = new Date("2026-12-01T12:00:00Z");
const WEBHOOKS: Webhook[] = ["validate", "mutate"];

function envelope(object: Resource): Buffer {
  return Buffer.from(JSON.stringify({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: review(object) }));
}

/** The current shape's lookups and policy, behind one Lookups and one PolicyProvider (the app's deps are fixed). */
class Current implements Lookups, PolicyProvider {
  lookups: Lookups = lookupsFor({ name: "-", what: "-", resource: { apiVersion: "v1", kind: "x", metadata: {} } });
  policy: EffectivePolicy = allOnPolicy();
  isKnown = (k: LookupKind) => this.lookups.isKnown(k);
  get = (k: LookupKind, ns: string | undefined, name: string) => this.lookups.get(k, ns, name);
  list = (k: LookupKind, ns?: string) => this.lookups.list(k, ns);
  unavailableReason = (k: LookupKind) => this.lookups.unavailableReason?.(k);
  forNamespace = () => this.policy;
  /** Built once per shape before the runs (they stand for the informer caches, which exist before any request). */
  private readonly prepared = new Map<string, { lookups: Lookups; policy: EffectivePolicy }>();
  prepare(shape: Shape): void {
    this.prepared.set(shape.name, { lookups: lookupsFor(shape), policy: allOnPolicy(shape.params) });
  }
  set(shape: Shape): void {
    const p = this.prepared.get(shape.name)!;
    this.lookups = p.lookups;
    this.policy = p.policy;
  }
}

interface Served {
  shape: string;
  webhook: Webhook;
  bytes: number;
  status: number;
  blockMs: number;
  wallMs: number;
}

/** Sends a body; only the status is kept (the client shares the process: it allocates as little as it can). */
function send(port: number, path: string, body: Buffer): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "POST", headers: { "content-type": "application/json", "content-length": body.length } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function serve(list: { shape: Shape; body: Buffer }[], offload: boolean, timeoutMs: number): Promise<{ rows: Served[]; loopMaxMs: number }> {
  const current = new Current();
  for (const { shape } of list) current.prepare(shape);
  (globalThis as { gc?: () => void }).gc?.();
  const pool = offload ? new OffloadPool({ workers: DEFAULT_OFFLOAD_WORKERS, lookups: current, policies: current }) : undefined;
  if (pool) await pool.ready();
  const app = createApp({
    logger: pino({ level: "silent" }),
    metrics: createMetrics(),
    readiness: () => ({ ready: true, reasons: [] }),
    policies: current,
    lookups: current,
    lookupFailure: "deny",
    now: () => NOW,
    timeoutMs,
    ...(pool ? { offload: pool, offloadThresholdBytes: DEFAULT_OFFLOAD_THRESHOLD_BYTES } : {}),
  });
  const server: Server = createServer(app);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  // Warm-up (JIT, worker start): a few small and a few large requests.
  for (const { shape, body } of list.slice(0, 4)) {
    current.set(shape);
    for (const w of WEBHOOKS) await send(port, `/${w}`, body);
  }
  let last = performance.now();
  let maxGap = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 1);
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const rows: Served[] = [];
  for (const { shape, body } of list) {
    current.set(shape);
    for (const w of WEBHOOKS) {
      // Let the probe tick once so the gap starts now, not at the last request's end.
      await new Promise((r) => setTimeout(r, 5));
      last = performance.now();
      maxGap = 0;
      const t = performance.now();
      const r = await send(port, `/${w}`, body);
      const wallMs = performance.now() - t;
      // The gap that ends after the answer still counts (a block that ran past the response).
      await new Promise((r2) => setTimeout(r2, 2));
      rows.push({ shape: shape.name, webhook: w, bytes: body.length, status: r.status, blockMs: Math.max(0, maxGap - 1), wallMs });
    }
  }
  h.disable();
  clearInterval(probe);
  await new Promise<void>((r) => server.close(() => r()));
  await pool?.close();
  return { rows, loopMaxMs: h.max / 1e6 };
}

// ---- threshold --------------------------------------------------------------------------------------

/** The value with arrays, wide maps and long strings cut to `f` of their length. */
function scale(value: unknown, f: number): unknown {
  if (typeof value === "string") return value.length > 256 ? value.slice(0, Math.max(256, Math.ceil(value.length * f))) : value;
  if (Array.isArray(value)) return value.slice(0, Math.max(1, Math.ceil(value.length * f))).map((v) => scale(v, f));
  if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value);
    const keep = keys.length > 16 ? keys.slice(0, Math.max(16, Math.ceil(keys.length * f))) : keys;
    const out: Record<string, unknown> = {};
    for (const k of keep) out[k] = k === "apiVersion" || k === "kind" || k === "metadata" ? (value as Record<string, unknown>)[k] : scale((value as Record<string, unknown>)[k], f);
    // metadata itself can be the large part (annotations, labels)
    if ("metadata" in out && keys.length > 0) out.metadata = scale((value as Record<string, unknown>).metadata, f);
    return out;
  }
  return value;
}

/** The shape cut down until its body is at most `bytes` (bisection on the factor). */
function cut(shape: Shape, bytes: number): { resource: Resource; bytes: number } {
  let lo = 0;
  let hi = 1;
  const whole = envelope(shape.resource).length;
  if (whole <= bytes) return { resource: shape.resource, bytes: whole };
  const least = scale(shape.resource, 0) as Resource;
  let best = { resource: least, bytes: envelope(least).length };
  for (let i = 0; i < 14; i++) {
    const f = (lo + hi) / 2;
    const r = scale(shape.resource, f) as Resource;
    const n = envelope(r).length;
    if (n <= bytes) {
      best = { resource: r, bytes: n };
      lo = f;
    } else hi = f;
    if (n <= bytes && n > bytes * 0.9) break;
  }
  return best;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function mainThreadMs(shape: Shape, resource: Resource, webhook: Webhook): number {
  const deps: HandlerDeps = { policies: { forNamespace: () => allOnPolicy(shape.params) }, lookups: lookupsFor(shape), lookupFailure: "deny", now: () => NOW };
  const body = envelope(resource);
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    judgeBody(webhook, body, deps, 100);
    times.push(performance.now() - t);
  }
  return median(times);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.includes("--only") ? args[args.indexOf("--only") + 1]! : "";
  let all = shapes(1).filter((s) => !only || s.name.includes(only));
  console.log(`Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${all.length} shapes, offload workers ${DEFAULT_OFFLOAD_WORKERS}, threshold ${DEFAULT_OFFLOAD_THRESHOLD_BYTES} bytes\n`);

  if (!args.includes("--skip-threshold")) {
    const sizes = [16, 32, 64, 128, 256, 512, 1024].map((k) => k * 1024);
    // Warm-up on small cuts.
    for (const s of all) for (const w of WEBHOOKS) mainThreadMs(s, cut(s, 8 * 1024).resource, w);
    console.log("Main-thread handling (JSON.parse + judge + encode) of each shape cut down to a body size: worst shape per size\n");
    console.log("| body size ≤ | worst /validate ms (shape) | worst /mutate ms (shape) | (shape, webhook) pairs over 20 ms |\n|---:|---|---|---:|");
    for (const size of sizes) {
      const worst: Record<Webhook, { ms: number; shape: string }> = { validate: { ms: 0, shape: "" }, mutate: { ms: 0, shape: "" } };
      let over = 0;
      for (const s of all) {
        const c = cut(s, size);
        for (const w of WEBHOOKS) {
          const ms = mainThreadMs(s, c.resource, w);
          if (ms > worst[w].ms) worst[w] = { ms, shape: s.name };
          if (ms > 20) over++;
        }
      }
      console.log(`| ${size / 1024} KiB | ${worst.validate.ms.toFixed(1)} (${worst.validate.shape}) | ${worst.mutate.ms.toFixed(1)} (${worst.mutate.shape}) | ${over} |`);
    }
    console.log("");
  }

  // The bodies as bytes, and the shapes without their objects: the served part must not time the bench's own heap
  // (29 shapes of up to 3 MiB as JS objects make the main thread's mark-compact pauses ~100 ms).
  const placeholder: Resource = { apiVersion: "v1", kind: "x", metadata: {} };
  const list = all.map((shape) => ({ shape: { ...shape, resource: placeholder }, body: envelope(shape.resource) }));
  all = [];
  (globalThis as { gc?: () => void }).gc?.();
  const timeoutMs = 10_000; // long enough that nothing times out: the figure is the block, not the 503
  const gc = () => (globalThis as { gc?: () => void }).gc?.();
  // Each run starts on a collected heap (with --expose-gc), so neither pays for the other's garbage. With
  // --trace-gc, these markers on stderr tell the main thread's pauses of each run apart.
  process.stderr.write("== served: offload off\n");
  const off = await serve(list, false, timeoutMs);
  gc();
  process.stderr.write("== served: offload on\n");
  const on = await serve(list, true, timeoutMs);
  process.stderr.write("== served: done\n");
  const max = (rows: Served[]) => rows.reduce((m, r) => Math.max(m, r.blockMs), 0);
  const p = (rows: Served[], q: number) => {
    const s = rows.map((r) => r.blockMs).sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  };
  const wall = (rows: Served[]) => median(rows.map((r) => r.wallMs));
  console.log(`Served ${off.rows.length} requests of ${(Math.min(...list.map((l) => l.body.length)) / MIB).toFixed(2)}-${(Math.max(...list.map((l) => l.body.length)) / MIB).toFixed(2)} MiB each way, one at a time\n`);
  console.log("| | offload off (--offload-threshold 0) | offload on (default) | on / off |\n|---|---:|---:|---:|");
  const line = (label: string, a: number, b: number) => console.log(`| ${label} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(b / a).toFixed(3)} |`);
  line("max event-loop block per request, ms (timer probe)", max(off.rows), max(on.rows));
  line("p90 of the per-request max block, ms", p(off.rows, 0.9), p(on.rows, 0.9));
  line("median of the per-request max block, ms", p(off.rows, 0.5), p(on.rows, 0.5));
  line("monitorEventLoopDelay max over the run, ms", off.loopMaxMs, on.loopMaxMs);
  line("median request latency, ms", wall(off.rows), wall(on.rows));
  console.log(`| requests blocking > ${BAR_MS} ms | ${off.rows.filter((r) => r.blockMs > BAR_MS).length} | ${on.rows.filter((r) => r.blockMs > BAR_MS).length} | |`);
  const statuses = (rows: Served[]) => [...new Set(rows.map((r) => r.status))].join(",");
  console.log(`| HTTP statuses | ${statuses(off.rows)} | ${statuses(on.rows)} | |`);
  console.log("\nWorst requests with offload off, and the same requests with offload on\n");
  console.log("| shape | webhook | body | off: block ms | on: block ms | off: latency ms | on: latency ms |\n|---|---|---:|---:|---:|---:|---:|");
  const byKey = new Map(on.rows.map((r) => [`${r.shape}/${r.webhook}`, r]));
  for (const r of [...off.rows].sort((a, b) => b.blockMs - a.blockMs).slice(0, 12)) {
    const o = byKey.get(`${r.shape}/${r.webhook}`)!;
    console.log(`| ${r.shape} | ${r.webhook} | ${(r.bytes / MIB).toFixed(2)} MiB | ${r.blockMs.toFixed(1)} | ${o.blockMs.toFixed(1)} | ${r.wallMs.toFixed(1)} | ${o.wallMs.toFixed(1)} |`);
  }
  const worstOn = [...on.rows].sort((a, b) => b.blockMs - a.blockMs).slice(0, 3);
  console.log(`\nWorst blocks with offload on: ${worstOn.map((r) => `${r.shape}/${r.webhook} ${r.blockMs.toFixed(1)} ms`).join(", ")}`);
}

if (import.meta.main) await main();
