// Prometheus metrics in the Kubernetes naming style, on a registry of their own (tests make several).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { LookupKind } from "../engine/types.ts";
import { COVERED_TYPES } from "../operators/index.ts";

export interface CacheStatus {
  kind: LookupKind;
  synced: boolean;
  /** Seconds since the cache was last known to match the API server; 0 while its watch is healthy. */
  ageSeconds: number;
}

export interface WebhookMetrics {
  registry: Registry;
  requests: Counter<"webhook" | "operation" | "kind" | "decision">;
  duration: Histogram<"webhook" | "operation" | "kind" | "decision">;
  findings: Counter<"rule" | "action">;
  notChecked: Counter<"rule">;
  /** Rules that threw on an object (the finding then has the policy's `ruleErrors` action). */
  ruleErrors: Counter<"rule" | "action">;
  /** Requests refused because too many were in flight (load shedding), by webhook. */
  shed: Counter<"webhook">;
  /** Admission requests being read or judged right now. */
  inFlight: Gauge;
  badRequests: Counter<"webhook" | "reason">;
  /** Admission requests whose body was judged in an offload worker (larger than --offload-threshold). */
  offloaded: Counter<"webhook">;
  /** Offload workers terminated and replaced: `deadline` (a job past --timeout) or `crash` (the worker died). */
  offloadReplaced: Counter<"reason">;
  policyReloads: Counter<"result">;
  /** Set by whoever owns the caches; read at scrape time. */
  setCacheStatus(fn: () => CacheStatus[]): void;
  setPolicyInfo(fn: () => { sources: string[]; loadedAt: number } | undefined): void;
}

const KNOWN_KINDS = new Set(COVERED_TYPES.map((t) => t.slice(t.lastIndexOf("/") + 1)));

/** Keeps label cardinality bounded whatever a client sends. */
export function kindLabel(kind: string): string {
  return KNOWN_KINDS.has(kind) ? kind : "other";
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): WebhookMetrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const labelNames = ["webhook", "operation", "kind", "decision"] as const;
  let cacheStatus: () => CacheStatus[] = () => [];
  let policyInfo: () => { sources: string[]; loadedAt: number } | undefined = () => undefined;

  const m: WebhookMetrics = {
    registry,
    requests: new Counter({
      name: "pgbackupguard_admission_requests_total",
      help: "Admission requests answered, by webhook (validate|mutate), operation, kind and decision.",
      labelNames,
      registers: [registry],
    }),
    duration: new Histogram({
      name: "pgbackupguard_admission_duration_seconds",
      help: "Time to answer an admission request (body parsed to response written), in seconds.",
      labelNames,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    findings: new Counter({
      name: "pgbackupguard_findings_total",
      help: "Findings reported by /validate, by rule and action.",
      labelNames: ["rule", "action"],
      registers: [registry],
    }),
    notChecked: new Counter({
      name: "pgbackupguard_not_checked_total",
      help: "Rules that could not be checked (lookup unavailable or rule error), by rule.",
      labelNames: ["rule"],
      registers: [registry],
    }),
    ruleErrors: new Counter({
      name: "pgbackupguard_rule_errors_total",
      help: "Rules that failed with an internal error on an object, by rule and the action the finding got (the policy's ruleErrors).",
      labelNames: ["rule", "action"],
      registers: [registry],
    }),
    shed: new Counter({
      name: "pgbackupguard_admission_shed_total",
      help: "Admission requests answered 503 at once because --max-in-flight requests were already being handled.",
      labelNames: ["webhook"],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: "pgbackupguard_admission_in_flight",
      help: "Admission requests being read or judged right now.",
      registers: [registry],
    }),
    badRequests: new Counter({
      name: "pgbackupguard_bad_requests_total",
      help: "Requests refused before judging (not JSON, not an AdmissionReview, too large, too deep, timeout).",
      labelNames: ["webhook", "reason"],
      registers: [registry],
    }),
    offloaded: new Counter({
      name: "pgbackupguard_admission_offloaded_total",
      help: "Admission requests whose body was larger than --offload-threshold and was parsed and judged in an offload worker thread.",
      labelNames: ["webhook"],
      registers: [registry],
    }),
    offloadReplaced: new Counter({
      name: "pgbackupguard_offload_workers_replaced_total",
      help: "Offload workers terminated and replaced, by reason: deadline (a job still running at --timeout: killed) or crash (the worker died).",
      labelNames: ["reason"],
      registers: [registry],
    }),
    policyReloads: new Counter({
      name: "pgbackupguard_policy_reloads_total",
      help: "BackupPolicy reloads, by result (success|failure). On failure the last good policy stays in force.",
      labelNames: ["result"],
      registers: [registry],
    }),
    setCacheStatus(fn) {
      cacheStatus = fn;
    },
    setPolicyInfo(fn) {
      policyInfo = fn;
    },
  };

  new Gauge({
    name: "pgbackupguard_lookup_cache_age_seconds",
    help: "Seconds since each lookup cache was last known to match the API server (0 while its watch is healthy).",
    labelNames: ["kind"],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of cacheStatus()) this.set({ kind: s.kind }, s.ageSeconds);
    },
  });
  new Gauge({
    name: "pgbackupguard_lookup_cache_synced",
    help: "1 when the lookup cache of a kind has synced with the API server, else 0.",
    labelNames: ["kind"],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of cacheStatus()) this.set({ kind: s.kind }, s.synced ? 1 : 0);
    },
  });
  new Gauge({
    name: "pgbackupguard_policy_last_reload_timestamp_seconds",
    help: "Unix time at which the policy in force was loaded.",
    registers: [registry],
    collect() {
      const info = policyInfo();
      if (info) this.set(info.loadedAt / 1000);
    },
  });
  return m;
}
