// `pg-backup-guard serve`: flags, wiring (TLS, policy, lookups, metrics, logs) and graceful shutdown.
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { pino, type Logger } from "pino";
import type { Lookups } from "../engine/types.ts";
import type { PolicyDocument } from "../policy/document.ts";
import { InventoryLookups } from "../lookups/inventory.ts";
import type { InformerLike, LiveLookups } from "../lookups/live.ts";
import { createApp, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_IN_FLIGHT, DEFAULT_TIMEOUT_MS, type Readiness } from "./app.ts";
import { LIMITS } from "./admission.ts";
import type { LookupFailureMode } from "./handler.ts";
import { createMetrics, type WebhookMetrics } from "./metrics.ts";
import { DEFAULT_OFFLOAD_THRESHOLD_BYTES, DEFAULT_OFFLOAD_WORKERS, OffloadPool } from "./offload.ts";
import type { PolicyHolder } from "./policy-holder.ts";
import { ClusterPolicyWatch, FilePolicyWatch, newPolicyHolder } from "./policies.ts";
import { CertReloader, DEFAULT_TLS_CIPHERS, readTls } from "./tls.ts";

export interface ServeOptions {
  port: number;
  host: string;
  tlsCert: string;
  tlsKey: string;
  policyFiles: string[];
  kubeconfig?: string;
  noCluster: boolean;
  lookupPaths: string[];
  lookupFailure: LookupFailureMode;
  /** Watch Secrets by name (metadata only) for the credentials rules; off by default (needs list/watch secrets). */
  lookupSecrets?: boolean;
  maxBodyBytes: number;
  maxDepth: number;
  timeoutMs: number;
  /** Admission requests read or judged at once; beyond it, 503 at once (load shedding). */
  maxInFlight?: number;
  /** Open connections accepted (server.maxConnections); beyond it new connections are closed at once. */
  maxConnections?: number;
  /** Bodies larger than this are parsed and judged in a worker thread (0: never). */
  offloadThresholdBytes?: number;
  /** Worker threads for large bodies. */
  offloadWorkers?: number;
  /** OpenSSL cipher list; default TLS 1.3 suites plus ECDHE AEAD suites for TLS 1.2 (tls.ts). */
  tlsCiphers?: string;
  logLevel: string;
  /** After this long the webhook turns ready even if some lookup caches have not synced (their rules: not checked). */
  cacheSyncTimeoutMs: number;
  /** A cache whose watch broke is trusted this long. */
  maxCacheStalenessMs: number;
  /** On SIGTERM: stay up (not ready) this long so endpoints drop the pod, then stop accepting. */
  shutdownDelayMs: number;
  /** Then wait at most this long for in-flight requests. */
  shutdownTimeoutMs: number;
}

export const DEFAULT_MAX_CONNECTIONS = 1000;
/** How often Node checks the header and request timeouts of open connections. */
export const CONNECTIONS_CHECK_MS = 1000;
/** Request headers must arrive within this (or --timeout + 1 s, whichever is shorter). */
export const HEADERS_TIMEOUT_MS = 5000;
/** An idle keep-alive connection is closed after this long. */
export const KEEP_ALIVE_TIMEOUT_MS = 60_000;

export const SERVE_USAGE = `pg-backup-guard serve [flags]

Runs the admission webhook over HTTPS: POST /validate, POST /mutate, GET /healthz, /readyz, /metrics.

  --tls-cert FILE             serving certificate (PEM); reloaded when it changes      (required)
  --tls-key FILE              its private key (PEM)                                    (required)
  --port N                    HTTPS port (default 8443)
  --host ADDR                 listen address (default 0.0.0.0)
  --policy FILE...            BackupPolicy files instead of BackupPolicy objects from the cluster
                              (reloaded when they change; an invalid edit keeps the last good policy)
  --kubeconfig FILE           kubeconfig (default: in-cluster config, else ~/.kube/config)
  --no-cluster                no API server: lookups only from --lookup, policy from --policy or built in
  --lookup PATH...            objects for lookups (VolumeSnapshotClass, ObjectStore, ...) with --no-cluster
  --lookup-failure allow|deny what a rule that needs an unavailable lookup does (default allow: warn)
  --lookup-secrets            look Secrets up by name (metadata only) for the credentials rules; needs
                              list/watch on secrets (deploy/overlays/secret-lookups). Default off: not checked
  --max-body BYTES            largest request body (default ${DEFAULT_MAX_BODY_BYTES}; suffixes k, m)
  --max-depth N               deepest JSON nesting accepted (default ${LIMITS.maxDepth})
  --timeout MS                answer 503 after this long so failurePolicy applies (default ${DEFAULT_TIMEOUT_MS})
  --max-in-flight N           admission requests read or judged at once; more get 503 at once (default ${DEFAULT_MAX_IN_FLIGHT})
  --max-connections N         open connections accepted; more are closed at once (default ${DEFAULT_MAX_CONNECTIONS})
  --offload-threshold BYTES   parse and judge larger bodies in a worker thread, never on the event loop; a job
                              past --timeout is killed (default ${DEFAULT_OFFLOAD_THRESHOLD_BYTES / 1024}k; suffixes k, m; 0: never)
  --offload-workers N         worker threads for those bodies (default ${DEFAULT_OFFLOAD_WORKERS})
  --tls-ciphers LIST          OpenSSL cipher list, e.g. a FIPS-approved one (default: TLS 1.3 suites and, for
                              TLS 1.2, ECDHE with AES-GCM or ChaCha20-Poly1305 only; see docs/webhook.md)
  --cache-sync-timeout S      turn ready after S seconds even when lookup caches have not synced (default 30)
  --max-cache-staleness S     trust a cache whose watch broke for S seconds (default 300)
  --shutdown-delay S          on SIGTERM, seconds to keep serving while not ready (default 5)
  --shutdown-timeout S        then seconds to wait for in-flight requests (default 20)
  --log-level LEVEL           trace|debug|info|warn|error (default info)
`;

export type ParsedServeArgs = { ok: true; options: ServeOptions } | { ok: false; message: string } | { ok: true; help: true };

function size(text: string): number | undefined {
  const m = /^(\d+)([kKmM]i?[bB]?)?$/.exec(text.trim());
  if (!m) return undefined;
  const unit = m[2]?.[0]?.toLowerCase();
  return Number(m[1]) * (unit === "k" ? 1024 : unit === "m" ? 1024 * 1024 : 1);
}

export function parseServeArgs(argv: readonly string[]): ParsedServeArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        help: { type: "boolean", short: "h" },
        "tls-cert": { type: "string" },
        "tls-key": { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        policy: { type: "string", multiple: true },
        kubeconfig: { type: "string" },
        "no-cluster": { type: "boolean" },
        lookup: { type: "string", multiple: true },
        "lookup-failure": { type: "string" },
        "lookup-secrets": { type: "boolean" },
        "max-body": { type: "string" },
        "max-depth": { type: "string" },
        timeout: { type: "string" },
        "max-in-flight": { type: "string" },
        "max-connections": { type: "string" },
        "offload-threshold": { type: "string" },
        "offload-workers": { type: "string" },
        "tls-ciphers": { type: "string" },
        "cache-sync-timeout": { type: "string" },
        "max-cache-staleness": { type: "string" },
        "shutdown-delay": { type: "string" },
        "shutdown-timeout": { type: "string" },
        "log-level": { type: "string" },
      },
    });
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
  const v = parsed.values;
  if (v.help) return { ok: true, help: true };
  // `--lookup a b c` and `--policy a b`: positionals after them belong to them (DESIGN: PATH...).
  const positionals = parsed.positionals;
  const lookupPaths = [...(v.lookup ?? [])];
  const policyFiles = [...(v.policy ?? [])];
  if (positionals.length > 0) {
    const last = [...argv].reverse().find((a) => a === "--lookup" || a === "--policy");
    if (last === "--lookup") lookupPaths.push(...positionals);
    else if (last === "--policy") policyFiles.push(...positionals);
    else return { ok: false, message: `unexpected argument ${positionals[0]}` };
  }
  const int = (name: string, text: string | undefined, def: number, min = 0): number | string => {
    if (text === undefined) return def;
    const n = Number(text);
    return Number.isInteger(n) && n >= min ? n : `--${name} must be a whole number ≥ ${min} (got ${JSON.stringify(text)})`;
  };
  const port = int("port", v.port, 8443, 0);
  const maxDepth = int("max-depth", v["max-depth"], LIMITS.maxDepth, 2);
  const timeoutMs = int("timeout", v.timeout, DEFAULT_TIMEOUT_MS, 1);
  const syncS = int("cache-sync-timeout", v["cache-sync-timeout"], 30);
  const staleS = int("max-cache-staleness", v["max-cache-staleness"], 300);
  const delayS = int("shutdown-delay", v["shutdown-delay"], 5);
  const graceS = int("shutdown-timeout", v["shutdown-timeout"], 20);
  const maxInFlight = int("max-in-flight", v["max-in-flight"], DEFAULT_MAX_IN_FLIGHT, 1);
  const maxConnections = int("max-connections", v["max-connections"], DEFAULT_MAX_CONNECTIONS, 1);
  const offloadWorkers = int("offload-workers", v["offload-workers"], DEFAULT_OFFLOAD_WORKERS, 1);
  for (const x of [port, maxDepth, timeoutMs, syncS, staleS, delayS, graceS, maxInFlight, maxConnections, offloadWorkers]) if (typeof x === "string") return { ok: false, message: x };
  const offloadThreshold = v["offload-threshold"] === undefined ? DEFAULT_OFFLOAD_THRESHOLD_BYTES : size(v["offload-threshold"]);
  if (offloadThreshold === undefined)
    return { ok: false, message: `--offload-threshold must be a size like 128k or 1m, or 0 for never (got ${JSON.stringify(v["offload-threshold"])})` };
  const tlsCiphers = v["tls-ciphers"] ?? DEFAULT_TLS_CIPHERS;
  if (tlsCiphers.trim() === "") return { ok: false, message: "--tls-ciphers needs an OpenSSL cipher list" };
  const maxBody = v["max-body"] === undefined ? DEFAULT_MAX_BODY_BYTES : size(v["max-body"]);
  if (maxBody === undefined || maxBody < 1024) return { ok: false, message: `--max-body must be a size ≥ 1024 like 4m or 512k (got ${v["max-body"]})` };
  const lookupFailure = v["lookup-failure"] ?? "allow";
  if (lookupFailure !== "allow" && lookupFailure !== "deny")
    return { ok: false, message: `--lookup-failure must be allow or deny (got ${JSON.stringify(lookupFailure)})` };
  if (!v["tls-cert"] || !v["tls-key"]) return { ok: false, message: "--tls-cert and --tls-key are required (the API server only calls webhooks over HTTPS)" };
  if (v["no-cluster"] && v.kubeconfig) return { ok: false, message: "--kubeconfig and --no-cluster exclude each other" };
  if (!v["no-cluster"] && lookupPaths.length > 0) return { ok: false, message: "--lookup needs --no-cluster (with a cluster, lookups come from informers)" };
  const levels = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];
  const logLevel = v["log-level"] ?? "info";
  if (!levels.includes(logLevel)) return { ok: false, message: `--log-level must be one of ${levels.join(", ")}` };

  const options: ServeOptions = {
    port: port as number,
    host: v.host ?? "0.0.0.0",
    tlsCert: v["tls-cert"],
    tlsKey: v["tls-key"],
    policyFiles,
    noCluster: v["no-cluster"] === true,
    lookupPaths,
    lookupFailure,
    lookupSecrets: v["lookup-secrets"] === true,
    maxBodyBytes: maxBody,
    maxDepth: maxDepth as number,
    timeoutMs: timeoutMs as number,
    maxInFlight: maxInFlight as number,
    maxConnections: maxConnections as number,
    offloadThresholdBytes: offloadThreshold,
    offloadWorkers: offloadWorkers as number,
    tlsCiphers,
    logLevel,
    cacheSyncTimeoutMs: (syncS as number) * 1000,
    maxCacheStalenessMs: (staleS as number) * 1000,
    shutdownDelayMs: (delayS as number) * 1000,
    shutdownTimeoutMs: (graceS as number) * 1000,
  };
  if (v.kubeconfig) options.kubeconfig = v.kubeconfig;
  return { ok: true, options };
}

/** Test seams: a logger, lookups, and a BackupPolicy informer instead of a real API server. */
export interface StartOverrides {
  logger?: Logger;
  lookups?: Lookups & { synced?: boolean; notSynced?(): string[]; status?(): ReturnType<LiveLookups["status"]>; stop?(): Promise<void> };
  policyInformer?: InformerLike;
  metrics?: WebhookMetrics;
}

export interface RunningWebhook {
  server: Server;
  port: number;
  metrics: WebhookMetrics;
  policies: PolicyHolder<PolicyDocument[]>;
  readiness(): Readiness;
  /** Not ready at once, keep serving `shutdownDelayMs`, stop accepting, finish in-flight requests, release everything. */
  shutdown(): Promise<void>;
}

export class StartError extends Error {}

async function loadLookupFiles(paths: string[], secrets = false): Promise<InventoryLookups> {
  const { loadSources } = await import("../input/read.ts");
  const r = await loadSources(paths, async () => ({ ok: false, error: { source: "-", message: "stdin is not read by serve" } }));
  if (!r.ok) throw new StartError(`--lookup: ${r.error.source}${r.error.line ? `:${r.error.line}` : ""}: ${r.error.message}`);
  return new InventoryLookups(
    r.value.flatMap((s) => s.objects.map((o) => o.object)),
    { disabled: secrets ? [] : ["Secret"] },
  );
}

export async function startWebhook(options: ServeOptions, overrides: StartOverrides = {}): Promise<RunningWebhook> {
  const logger =
    overrides.logger ?? pino({ level: options.logLevel, base: { component: "pg-backup-guard-webhook" } }, pino.destination({ dest: 1, sync: false }));
  const metrics = overrides.metrics ?? createMetrics({ defaultMetrics: true });
  const cleanups: (() => unknown)[] = [];
  const fail = async (message: string): Promise<never> => {
    for (const c of cleanups.reverse()) await c();
    throw new StartError(message);
  };

  let tls;
  try {
    tls = readTls({ certFile: options.tlsCert, keyFile: options.tlsKey, ciphers: options.tlsCiphers ?? DEFAULT_TLS_CIPHERS });
  } catch (err) {
    return fail(`cannot load the TLS key pair or --tls-ciphers: ${(err as Error).message}`);
  }

  // Policy.
  const holder = newPolicyHolder(logger, (result) => metrics.policyReloads.inc({ result }));
  metrics.setPolicyInfo(() => (holder.loadedAt === undefined ? undefined : { sources: holder.sources, loadedAt: holder.loadedAt }));

  // Lookups.
  let lookups = overrides.lookups;
  let conn: import("../lookups/live-informers.ts").ClusterConnection | undefined;
  if (!lookups) {
    if (options.noCluster) {
      try {
        lookups = await loadLookupFiles(options.lookupPaths, options.lookupSecrets === true);
      } catch (err) {
        return fail((err as Error).message);
      }
    } else {
      const live = await import("../lookups/live-informers.ts");
      try {
        conn = await live.connect(options.kubeconfig);
      } catch (err) {
        return fail(`cannot load the Kubernetes configuration: ${(err as Error).message}`);
      }
      const onError = (kind: string, message: string) => logger.warn({ kind, error: message }, "lookup informer failed; retrying");
      const ll = live.liveLookups(conn, { maxStaleMs: options.maxCacheStalenessMs, onError, secrets: options.lookupSecrets === true });
      lookups = ll;
      void ll.start().then(() => logger.info({ notSynced: ll.notSynced() }, "lookup informers started"));
    }
  }
  const lk = lookups;
  cleanups.push(() => lk.stop?.());
  if (lk.status) {
    const status = lk.status.bind(lk);
    metrics.setCacheStatus(status);
  }

  if (options.policyFiles.length > 0) {
    const fw = new FilePolicyWatch(options.policyFiles, holder, logger);
    cleanups.push(() => fw.close());
    const refused = fw.start();
    if (refused.length > 0 || !holder.loaded) return fail(`invalid policy:\n  ${holder.lastErrors.join("\n  ") || refused.join("\n  ")}`);
  } else if (overrides.policyInformer || conn) {
    let informer = overrides.policyInformer;
    if (!informer && conn) {
      const live = await import("../lookups/live-informers.ts");
      informer = live.informerFor(conn, live.BACKUP_POLICY_GVR);
    }
    const cw = new ClusterPolicyWatch(informer!, holder, {
      maxStaleMs: Number.POSITIVE_INFINITY,
      onError: (_k, message) => logger.warn({ error: message }, "BackupPolicy informer failed; the last good policy stays in force"),
    });
    cleanups.push(() => cw.stop());
    void cw.start();
  } else {
    holder.replaceAll(new Map());
  }

  let shuttingDown = false;
  const syncDeadline = Date.now() + options.cacheSyncTimeoutMs;
  const readiness = (): Readiness => {
    const reasons: string[] = [];
    if (shuttingDown) reasons.push("shutting down");
    if (!holder.loaded) reasons.push("policy not loaded");
    const notSynced = lk.notSynced?.() ?? [];
    if (notSynced.length > 0 && Date.now() < syncDeadline) reasons.push(`lookup caches not synced: ${notSynced.join(", ")}`);
    return { ready: reasons.length === 0, reasons };
  };

  // Large bodies: parsed and judged in worker threads (offload.ts). Started before listening, so that a build whose
  // worker cannot load fails here, not on the first large request.
  let offload: OffloadPool | undefined;
  const offloadThreshold = options.offloadThresholdBytes ?? 0;
  if (offloadThreshold > 0) {
    const pool = new OffloadPool({
      workers: options.offloadWorkers ?? DEFAULT_OFFLOAD_WORKERS,
      lookups: lk,
      policies: holder,
      onReplaced: (reason) => metrics.offloadReplaced.inc({ reason }),
      onError: (message) => logger.error({ error: message.slice(0, 2000) }, "offload worker failed; replacing it"),
    });
    cleanups.push(() => pool.close());
    try {
      await pool.ready();
    } catch (err) {
      return fail(`the offload workers could not start (--offload-threshold 0 judges every body on the main thread): ${(err as Error).message}`);
    }
    offload = pool;
  }

  const app = createApp({
    logger,
    metrics,
    readiness,
    policies: holder,
    lookups: lk,
    lookupFailure: options.lookupFailure,
    maxBodyBytes: options.maxBodyBytes,
    maxDepth: options.maxDepth,
    timeoutMs: options.timeoutMs,
    maxInFlight: options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
    ...(offload ? { offload, offloadThresholdBytes: offloadThreshold } : {}),
  });

  // connectionsCheckingInterval: Node enforces headersTimeout/requestTimeout only when it checks, every 30 s by
  // default, so a slow-headers client would hold its socket that long whatever the timeouts say.
  const server = createServer({ ...tls, minVersion: "TLSv1.2", connectionsCheckingInterval: CONNECTIONS_CHECK_MS }, app);
  // Slow clients cannot hold a socket forever; the API server itself sends the body at once.
  server.requestTimeout = options.timeoutMs + 1000;
  server.headersTimeout = Math.min(server.requestTimeout, HEADERS_TIMEOUT_MS);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  server.on("tlsClientError", (err) => logger.debug({ err: err.message }, "TLS handshake failed"));
  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once("error", reject);
      server.listen(options.port, options.host, () => {
        server.off("error", reject);
        resolveListen();
      });
    });
  } catch (err) {
    return fail(`cannot listen on ${options.host}:${options.port}: ${(err as Error).message}`);
  }
  const reloader = new CertReloader(server, { certFile: options.tlsCert, keyFile: options.tlsKey, ciphers: options.tlsCiphers ?? DEFAULT_TLS_CIPHERS }, logger, { initial: tls });
  cleanups.push(() => reloader.close());
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, policy: options.policyFiles.length > 0 ? options.policyFiles : conn ? "cluster BackupPolicy objects" : "built-in", cluster: !!conn, lookupFailure: options.lookupFailure, lookupSecrets: options.lookupSecrets === true, offloadThresholdBytes: offload ? offloadThreshold : 0, offloadWorkers: offload?.size ?? 0 }, "webhook listening");

  let shutdownPromise: Promise<void> | undefined;
  const shutdown = () =>
    (shutdownPromise ??= (async () => {
      shuttingDown = true;
      logger.info({ delayMs: options.shutdownDelayMs }, "shutting down: not ready, finishing in-flight requests");
      if (options.shutdownDelayMs > 0) await new Promise((r) => setTimeout(r, options.shutdownDelayMs));
      const closed = new Promise<void>((r) => server.close(() => r()));
      // Keep-alive connections whose last request finishes after close() would otherwise linger.
      server.closeIdleConnections();
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      const force = setTimeout(() => {
        logger.warn("in-flight requests did not finish in time; closing their connections");
        server.closeAllConnections();
      }, options.shutdownTimeoutMs);
      await closed;
      clearTimeout(force);
      clearInterval(idle);
      for (const c of cleanups.reverse()) await c();
      logger.info("webhook stopped");
      logger.flush?.();
    })());

  return { server, port, metrics, policies: holder, readiness, shutdown };
}

/** The `serve` command: returns the exit code once the server has stopped (SIGTERM/SIGINT). */
export async function serve(argv: string[]): Promise<number> {
  const parsed = parseServeArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`pg-backup-guard serve: ${parsed.message}\n\n${SERVE_USAGE}`);
    return 2;
  }
  if ("help" in parsed) {
    process.stdout.write(SERVE_USAGE);
    return 0;
  }
  let running: RunningWebhook;
  try {
    running = await startWebhook(parsed.options);
  } catch (err) {
    process.stderr.write(`pg-backup-guard serve: ${(err as Error).message}\n`);
    return err instanceof StartError ? 2 : 1;
  }
  await new Promise<void>((resolveSignal) => {
    const onSignal = () => {
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
      resolveSignal();
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  });
  await running.shutdown();
  return 0;
}
