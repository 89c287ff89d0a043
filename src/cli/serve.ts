// `pg-backup-guard serve`: its flags (on the shared parser, args.ts), their defaults and checks, and the command that
// starts the webhook (webhook/serve.ts) with them and stops it on SIGTERM/SIGINT.
import { parse, stringList, UsageError, type Options } from "./args.ts";
import type { Io } from "./io.ts";
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_IN_FLIGHT, DEFAULT_TIMEOUT_MS } from "../webhook/app.ts";
import { LIMITS } from "../webhook/admission.ts";
import { DEFAULT_OFFLOAD_THRESHOLD_BYTES, DEFAULT_OFFLOAD_WORKERS, IDLE_RETIRE_MS } from "../webhook/offload.ts";
import { DEFAULT_TLS_CIPHERS } from "../webhook/tls.ts";
import { DEFAULT_MAX_CONNECTIONS, StartError, startWebhook, type RunningWebhook, type ServeOptions } from "../webhook/serve.ts";

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
  --offload-workers N         most worker threads for those bodies (default ${DEFAULT_OFFLOAD_WORKERS}); one runs from the start,
                              more start while large requests wait and stop after ${IDLE_RETIRE_MS / 1000} s idle
  --tls-ciphers LIST          OpenSSL cipher list, e.g. a FIPS-approved one (default: TLS 1.3 suites and, for
                              TLS 1.2, ECDHE with AES-GCM or ChaCha20-Poly1305 only; see docs/webhook.md)
  --cache-sync-timeout S      turn ready after S seconds even when lookup caches have not synced (default 30)
  --max-cache-staleness S     trust a cache whose watch broke for S seconds (default 300)
  --shutdown-delay S          on SIGTERM, seconds to keep serving while not ready (default 5)
  --shutdown-timeout S        then seconds to wait for in-flight requests (default 20)
  --log-level LEVEL           trace|debug|info|warn|error (default info)
`;

const SERVE_OPTIONS: Options = {
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
};

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];

export type ParsedServeArgs = { ok: true; options: ServeOptions } | { ok: false; message: string } | { ok: true; help: true };

/** `128k`, `1m`, `4MiB`, `512`: bytes; undefined when it is not a size. */
function size(text: string): number | undefined {
  const m = /^(\d+)([kKmM]i?[bB]?)?$/.exec(text.trim());
  if (!m) return undefined;
  const unit = m[2]?.[0]?.toLowerCase();
  return Number(m[1]) * (unit === "k" ? 1024 : unit === "m" ? 1024 * 1024 : 1);
}

/** A string flag's value (the parser gives strings for `type: "string"`). */
function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A whole-number flag ≥ `min`, `def` when absent; a mistake is a UsageError. */
function int(name: string, value: unknown, def: number, min = 0): number {
  const t = text(value);
  if (t === undefined) return def;
  const n = Number(t);
  if (Number.isInteger(n) && n >= min) return n;
  throw new UsageError(`--${name} must be a whole number ≥ ${min} (got ${JSON.stringify(t)})`, "serve");
}

function fail(message: string): never {
  throw new UsageError(message, "serve");
}

/** The flags as ServeOptions; every mistake (unknown flag, bad value, missing TLS files) is a UsageError. */
function serveOptions(argv: readonly string[]): ServeOptions | "help" {
  const { values: v, positionals } = parse("serve", argv, SERVE_OPTIONS);
  if (v.help) return "help";
  // `--lookup a b c` and `--policy a b`: positionals after them belong to them (DESIGN: PATH...).
  const lookupPaths = stringList(v.lookup);
  const policyFiles = stringList(v.policy);
  if (positionals.length > 0) {
    const last = [...argv].reverse().find((a) => a === "--lookup" || a === "--policy");
    if (last === "--lookup") lookupPaths.push(...positionals);
    else if (last === "--policy") policyFiles.push(...positionals);
    else fail(`unexpected argument ${positionals[0]}`);
  }
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
  const thresholdText = text(v["offload-threshold"]);
  const offloadThreshold = thresholdText === undefined ? DEFAULT_OFFLOAD_THRESHOLD_BYTES : size(thresholdText);
  if (offloadThreshold === undefined) fail(`--offload-threshold must be a size like 128k or 1m, or 0 for never (got ${JSON.stringify(thresholdText)})`);
  const tlsCiphers = text(v["tls-ciphers"]) ?? DEFAULT_TLS_CIPHERS;
  if (tlsCiphers.trim() === "") fail("--tls-ciphers needs an OpenSSL cipher list");
  const bodyText = text(v["max-body"]);
  const maxBody = bodyText === undefined ? DEFAULT_MAX_BODY_BYTES : size(bodyText);
  if (maxBody === undefined || maxBody < 1024) fail(`--max-body must be a size ≥ 1024 like 4m or 512k (got ${bodyText})`);
  const lookupFailure = text(v["lookup-failure"]) ?? "allow";
  if (lookupFailure !== "allow" && lookupFailure !== "deny") fail(`--lookup-failure must be allow or deny (got ${JSON.stringify(lookupFailure)})`);
  const tlsCert = text(v["tls-cert"]);
  const tlsKey = text(v["tls-key"]);
  if (!tlsCert || !tlsKey) fail("--tls-cert and --tls-key are required (the API server only calls webhooks over HTTPS)");
  const kubeconfig = text(v.kubeconfig);
  const noCluster = v["no-cluster"] === true;
  if (noCluster && kubeconfig) fail("--kubeconfig and --no-cluster exclude each other");
  if (!noCluster && lookupPaths.length > 0) fail("--lookup needs --no-cluster (with a cluster, lookups come from informers)");
  const logLevel = text(v["log-level"]) ?? "info";
  if (!LOG_LEVELS.includes(logLevel)) fail(`--log-level must be one of ${LOG_LEVELS.join(", ")}`);

  const options: ServeOptions = {
    port,
    host: text(v.host) ?? "0.0.0.0",
    tlsCert,
    tlsKey,
    policyFiles,
    noCluster,
    lookupPaths,
    lookupFailure,
    lookupSecrets: v["lookup-secrets"] === true,
    maxBodyBytes: maxBody,
    maxDepth,
    timeoutMs,
    maxInFlight,
    maxConnections,
    offloadThresholdBytes: offloadThreshold,
    offloadWorkers,
    tlsCiphers,
    logLevel,
    cacheSyncTimeoutMs: syncS * 1000,
    maxCacheStalenessMs: staleS * 1000,
    shutdownDelayMs: delayS * 1000,
    shutdownTimeoutMs: graceS * 1000,
  };
  if (kubeconfig) options.kubeconfig = kubeconfig;
  return options;
}

/** The flags as ServeOptions, or the first mistake in them, or a request for help. */
export function parseServeArgs(argv: readonly string[]): ParsedServeArgs {
  try {
    const options = serveOptions(argv);
    return options === "help" ? { ok: true, help: true } : { ok: true, options };
  } catch (err) {
    if (err instanceof UsageError) return { ok: false, message: err.message };
    throw err;
  }
}

/** The `serve` command: returns the exit code once the server has stopped (SIGTERM/SIGINT). */
export async function serveCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parseServeArgs(args);
  if (!parsed.ok) {
    io.stderr(`pg-backup-guard serve: ${parsed.message}\n\n${SERVE_USAGE}`);
    return 2;
  }
  if ("help" in parsed) {
    io.stdout(SERVE_USAGE);
    return 0;
  }
  let running: RunningWebhook;
  try {
    running = await startWebhook(parsed.options);
  } catch (err) {
    io.stderr(`pg-backup-guard serve: ${(err as Error).message}\n`);
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
