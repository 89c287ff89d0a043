// Shared fixtures for the webhook tests: realistic objects, AdmissionReview builders, an in-process app.
import { Writable } from "node:stream";
import { pino } from "pino";
import type { Lookups } from "../../src/engine/types.ts";
import type { EffectivePolicy } from "../../src/policy/types.ts";
import { recommendedPolicy } from "../../src/policy/builtin.ts";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import { createApp, type AppDeps } from "../../src/webhook/app.ts";
import { createMetrics } from "../../src/webhook/metrics.ts";
import { fixedProvider } from "../../src/webhook/policy-holder.ts";

export const NOW = new Date("2026-01-01T00:00:00Z");

export const objectStore = {
  apiVersion: "barmancloud.cnpg.io/v1",
  kind: "ObjectStore",
  metadata: { name: "pg-store", namespace: "db" },
  spec: { retentionPolicy: "30d", configuration: { destinationPath: "s3://bucket/pg" } },
};

export function goodCluster(): Record<string, any> {
  return {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: { name: "pg", namespace: "db" },
    spec: {
      instances: 3,
      backup: { target: "prefer-standby" },
      plugins: [{ name: "barman-cloud.cloudnative-pg.io", isWALArchiver: true, parameters: { barmanObjectName: "pg-store" } }],
    },
  };
}

/** A Cluster with neither base backup nor WAL archive: two deny findings. */
export function bareCluster(): Record<string, any> {
  return { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "pg", namespace: "db" }, spec: { instances: 1 } };
}

export function cpoCluster(): Record<string, any> {
  return {
    apiVersion: "cpo.opensource.cybertec.at/v1",
    kind: "postgresql",
    metadata: { name: "acid", namespace: "db" },
    spec: {
      postgresql: { parameters: { archive_timeout: "60" } },
      backup: {
        pgbackrest: {
          global: { "repo1-retention-full": "7", "repo2-retention-full": "7", "repo2-path": "/acid" },
          repos: [
            { name: "repo1", storage: "pvc", volume: { size: "10Gi" }, schedule: { full: "30 2 * * *" } },
            { name: "repo2", storage: "s3", resource: "b", endpoint: "e", region: "r", schedule: { full: "30 3 * * *" } },
          ],
        },
      },
    },
  };
}

export function scheduledBackup(): Record<string, any> {
  return {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "ScheduledBackup",
    metadata: { name: "daily", namespace: "db" },
    spec: { schedule: "0 0 2 * * *", cluster: { name: "pg" }, method: "plugin", pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" }, backupOwnerReference: "self" },
  };
}

/** All lookup kinds known; only the ObjectStore above (and the `db` namespace) exist. */
export function inventory(extra: unknown[] = []): InventoryLookups {
  return new InventoryLookups([objectStore, goodCluster(), { apiVersion: "v1", kind: "Namespace", metadata: { name: "db", labels: { team: "a" } } }, ...extra], {
    known: ["VolumeSnapshotClass", "StorageClass", "ObjectStore", "Cluster", "Namespace"],
  });
}

let uidCounter = 0;
export function reviewOf(object: Record<string, any> | undefined, options: { operation?: string; oldObject?: unknown; dryRun?: boolean; uid?: string; subResource?: string } = {}) {
  const obj = object ?? (options.oldObject as Record<string, any>);
  const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
  const request: Record<string, unknown> = {
    uid: options.uid ?? `uid-${++uidCounter}`,
    kind: { group, version, kind: obj.kind },
    resource: { group, version, resource: `${obj.kind.toLowerCase()}s` },
    name: obj.metadata?.name,
    namespace: obj.metadata?.namespace,
    operation: options.operation ?? "CREATE",
    userInfo: { username: "alice" },
    dryRun: options.dryRun ?? false,
  };
  if (object) request.object = object;
  if (options.oldObject) request.oldObject = options.oldObject;
  if (options.subResource) request.subResource = options.subResource;
  return { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request };
}

export function policyWith(actions: Record<string, "deny" | "warn" | "audit" | "off">): EffectivePolicy {
  const p = recommendedPolicy();
  for (const [rule, action] of Object.entries(actions)) {
    const s = p.rules.get(rule);
    if (!s) throw new Error(`no rule ${rule}`);
    p.rules.set(rule, { ...s, action });
  }
  return p;
}

/** Captures pino's JSON lines. */
export function logCapture() {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split("\n")) if (l.trim()) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { logger: pino({ level: "info" }, stream), lines };
}

export function makeApp(overrides: Partial<AppDeps> & { policy?: EffectivePolicy; lookups?: Lookups } = {}) {
  const { logger, lines } = logCapture();
  const metrics = createMetrics();
  const deps: AppDeps = {
    logger,
    metrics,
    readiness: () => ({ ready: true, reasons: [] }),
    policies: fixedProvider(overrides.policy ?? recommendedPolicy()),
    lookups: overrides.lookups ?? inventory(),
    lookupFailure: "allow",
    now: () => NOW,
    ...overrides,
  };
  return { app: createApp(deps), metrics, logs: lines };
}

export function decodePatch(b64: string): unknown {
  return JSON.parse(Buffer.from(b64, "base64").toString("utf8"));
}
