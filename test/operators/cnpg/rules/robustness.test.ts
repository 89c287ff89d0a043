// Wrong types anywhere must never make a cnpg rule or defaulter throw.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Resource, RuleContext } from "../../../../src/engine/types.ts";
import { cnpgRules } from "../../../../src/operators/cnpg/rules/index.ts";
import { cnpgDefaulters } from "../../../../src/operators/cnpg/defaults.ts";
import { InventoryLookups } from "../../../../src/lookups/inventory.ts";
import { paramDefaults } from "../../../../src/policy/builtin.ts";
import { archiver, cluster, objectStore, snapshotClass, storageClass } from "./fixtures.ts";
import { applyDefaulter, checkRule } from "../../../../src/rules/define.ts";

const WEIRD: unknown[] = [null, 0, -1, 1.5, "", "x", true, [], [1, "a", null], {}, { a: { b: [] } }];

const PATHS: Record<string, string[]> = {
  Cluster: [
    "spec", "spec.instances", "spec.backup", "spec.backup.target", "spec.backup.volumeSnapshot", "spec.backup.volumeSnapshot.className",
    "spec.backup.volumeSnapshot.online", "spec.backup.volumeSnapshot.onlineConfiguration", "spec.backup.volumeSnapshot.tablespaceClassName",
    "spec.backup.barmanObjectStore", "spec.backup.retentionPolicy", "spec.plugins", "spec.externalClusters", "spec.postgresql",
    "spec.postgresql.parameters", "spec.postgresql.parameters.archive_timeout", "spec.walStorage", "spec.storage", "metadata.annotations",
  ],
  Backup: ["spec", "spec.method", "spec.cluster", "spec.cluster.name", "spec.online", "spec.onlineConfiguration", "spec.pluginConfiguration", "spec.target"],
  ScheduledBackup: ["spec", "spec.schedule", "spec.method", "spec.cluster", "spec.backupOwnerReference", "spec.pluginConfiguration", "metadata.name"],
  ObjectStore: ["spec", "spec.retentionPolicy", "spec.configuration"],
};

function base(kind: string): Resource {
  if (kind === "ObjectStore") return objectStore("pg-store");
  const r = cluster({
    instances: 1,
    plugins: [archiver],
    backup: { volumeSnapshot: { className: "c", online: false }, target: "primary" },
    postgresql: { parameters: { archive_timeout: "1h" } },
    storage: { storageClass: "sc" },
    walStorage: { storageClass: "sc2" },
  });
  if (kind === "Cluster") return r;
  return { apiVersion: "postgresql.cnpg.io/v1", kind, metadata: { name: "b", namespace: "db" }, spec: { cluster: { name: "pg" }, method: "volumeSnapshot", schedule: "0 1 * * *" } };
}

function setPath(root: Record<string, any>, path: string, value: unknown): void {
  const steps = path.split(".");
  let cur = root;
  for (const s of steps.slice(0, -1)) {
    if (typeof cur[s] !== "object" || cur[s] === null) cur[s] = {};
    cur = cur[s];
  }
  cur[steps[steps.length - 1]!] = value;
}

describe("cnpg rules and defaulters with wrong types", () => {
  const lookups = new InventoryLookups([base("Cluster"), objectStore("pg-store"), snapshotClass("c", true), storageClass("sc"), storageClass("sc2", "other")]);
  it("never throw", () => {
    let runs = 0;
    for (const [kind, paths] of Object.entries(PATHS)) {
      for (const path of paths) {
        for (const value of WEIRD) {
          const r = structuredClone(base(kind)) as Record<string, any>;
          setPath(r, path, value);
          for (const lk of [lookups, new InventoryLookups()]) {
            for (const rule of cnpgRules) {
              const ctx: RuleContext = { params: paramDefaults(rule.meta.params), policy: { rpoSeconds: 60 }, lookups: lk, now: new Date(), operation: "CREATE" };
              assert.doesNotThrow(() => checkRule(rule, r as Resource, ctx), `${rule.meta.id} ${kind} ${path}=${JSON.stringify(value)}`);
              runs++;
            }
            for (const d of cnpgDefaulters) {
              const ctx: RuleContext = { params: { ...paramDefaults(d.meta.params), objectStore: "{cluster}-s" }, policy: { rpoSeconds: 60 }, lookups: lk, now: new Date(), operation: "CREATE" };
              assert.doesNotThrow(() => applyDefaulter(d, structuredClone(r) as Resource, ctx), `${d.meta.id} ${kind} ${path}=${JSON.stringify(value)}`);
            }
          }
        }
      }
    }
    assert.ok(runs > 1000);
  });
});
