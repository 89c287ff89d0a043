// The webhook server of `pg-backup-guard serve` (its flags: cli/serve.ts): wiring (TLS, policy, lookups, metrics, logs)
// from parsed options, and graceful shutdown.
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { pino, type Logger } from "pino";
import type { Lookups } from "../engine/types.ts";
import type { PolicyDocument } from "../policy/document.ts";
import { InventoryLookups } from "../lookups/inventory.ts";
import type { InformerLike, LiveLookups } from "../lookups/live.ts";
import { createApp, DEFAULT_MAX_IN_FLIGHT, type Readiness } from "./app.ts";
import type { LookupFailureMode } from "./handler.ts";
import { createMetrics, type WebhookMetrics } from "./metrics.ts";
import { DEFAULT_OFFLOAD_WORKERS, OffloadPool } from "./offload.ts";
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

  // Large bodies: parsed and judged in worker threads (offload.ts). The pool's first worker is started before
  // listening, so that a build whose worker cannot load fails here, not on the first large request; it starts more
  // (up to --offload-workers) only when large requests find every worker busy.
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
  logger.info({ port, policy: options.policyFiles.length > 0 ? options.policyFiles : conn ? "cluster BackupPolicy objects" : "built-in", cluster: !!conn, lookupFailure: options.lookupFailure, lookupSecrets: options.lookupSecrets === true, offloadThresholdBytes: offload ? offloadThreshold : 0, offloadWorkers: offload?.maxWorkers ?? 0 }, "webhook listening");

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
