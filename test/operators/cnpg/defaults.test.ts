import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Defaulter, Resource } from "../../../src/engine/types.ts";
import { admit, mutate, type EngineContext } from "../../../src/engine/engine.ts";
import { recommendedPolicy } from "../../../src/policy/builtin.ts";
import { InventoryLookups } from "../../../src/lookups/inventory.ts";
import { cnpgDefaulters } from "../../../src/operators/cnpg/defaults.ts";
import { PLUGIN, archiver, backup, cluster, objectStore, scheduled, snapshotClass, storageClass } from "./rules/fixtures.ts";

const now = new Date("2026-11-22T12:00:00Z");

function defaulter(id: string): Defaulter {
  const d = cnpgDefaulters.find((x) => x.meta.id === id);
  assert.ok(d, `defaulter ${id}`);
  return d;
}

interface Options {
  params?: Record<string, unknown>;
  rpoSeconds?: number;
  lookups?: Resource[];
}

function context(id: string, o: Options): EngineContext {
  const policy = recommendedPolicy([], cnpgDefaulters);
  policy.settings.rpoSeconds = o.rpoSeconds ?? 300;
  const setting = policy.defaults.get(id)!;
  setting.enabled = true;
  setting.params = { ...setting.params, ...(o.params ?? {}) };
  return { policy, lookups: new InventoryLookups(o.lookups ?? []), now };
}

/** Applies one defaulter through the engine; checks the input is untouched and a second pass changes nothing. */
function apply(id: string, input: Resource, o: Options = {}): { resource: Resource; notes: string[] } {
  const before = structuredClone(input);
  const ctx = context(id, o);
  const first = mutate(input, ctx, [defaulter(id)]);
  assert.deepEqual(first.errors, []);
  assert.deepEqual(input, before, "the input object must not be modified");
  const second = mutate(first.resource, ctx, [defaulter(id)]);
  assert.deepEqual(second.changes, [], "applying twice must change nothing more");
  assert.deepEqual(second.resource, first.resource);
  return { resource: first.resource, notes: first.changes.map((c) => c.note) };
}

function unchanged(id: string, input: Resource, o: Options = {}): void {
  const r = apply(id, input, o);
  assert.deepEqual(r.notes, []);
  assert.deepEqual(r.resource, input);
}

describe("cnpg defaulters: meta", () => {
  it("ids and enabled defaults match the design", () => {
    assert.deepEqual(
      cnpgDefaulters.map((d) => [d.meta.id, d.meta.enabledByDefault]),
      [
        ["cnpg-backup-target", true],
        ["cnpg-snapshot-class", true],
        ["cnpg-wal-archiver", true],
        ["cnpg-backup-method", true],
        ["cnpg-backup-owner-reference", true],
        ["cnpg-archive-timeout", true],
      ],
    );
  });
});

describe("cnpg-backup-target", () => {
  it("sets prefer-standby when spec.backup has no target", () => {
    const r = apply("cnpg-backup-target", cluster({ backup: { volumeSnapshot: {} } }));
    assert.equal((r.resource.spec as any).backup.target, "prefer-standby");
    assert.equal(r.notes.length, 1);
  });
  it("uses the target param", () => {
    const r = apply("cnpg-backup-target", cluster({ backup: {} }), { params: { target: "primary" } });
    assert.equal((r.resource.spec as any).backup.target, "primary");
  });
  it("leaves an explicit target, a missing or wrong-typed spec.backup alone", () => {
    unchanged("cnpg-backup-target", cluster({ backup: { target: "primary" } }));
    unchanged("cnpg-backup-target", cluster({ plugins: [archiver] }));
    unchanged("cnpg-backup-target", cluster({ backup: "x" }));
    unchanged("cnpg-backup-target", cluster("x"));
  });
});

describe("cnpg-snapshot-class", () => {
  const vs = (v: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
    cluster({ backup: { volumeSnapshot: v }, storage: { storageClass: "gp3" }, ...extra });
  const ebs = [storageClass("gp3", "ebs.csi.aws.com"), snapshotClass("ebs-snap", true, "ebs.csi.aws.com")];
  it("uses the default VolumeSnapshotClass of the data volume's CSI driver", () => {
    const r = apply("cnpg-snapshot-class", vs(), { lookups: [...ebs, snapshotClass("a", true, "hostpath.csi.k8s.io")] });
    assert.equal((r.resource.spec as any).backup.volumeSnapshot.className, "ebs-snap");
  });
  it("follows the cluster's default StorageClass when spec.storage names none", () => {
    const defaultSc = { ...storageClass("standard", "ebs.csi.aws.com"), metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } } };
    const r = apply("cnpg-snapshot-class", cluster({ backup: { volumeSnapshot: {} } }), { lookups: [defaultSc, ebs[1]!] });
    assert.equal((r.resource.spec as any).backup.volumeSnapshot.className, "ebs-snap");
  });
  it("never picks a default of another driver, nor without knowing the driver", () => {
    unchanged("cnpg-snapshot-class", vs(), { lookups: [storageClass("gp3", "ebs.csi.aws.com"), snapshotClass("a", true, "hostpath.csi.k8s.io")] });
    unchanged("cnpg-snapshot-class", vs(), { lookups: [snapshotClass("snap-default", true)] });
    unchanged("cnpg-snapshot-class", cluster({ backup: { volumeSnapshot: {} } }), { lookups: [snapshotClass("snap-default", true)] });
  });
  it("never changes the class of WAL or tablespace volumes on another driver (they fall back to className)", () => {
    const lookups = [...ebs, storageClass("local", "local.csi.io")];
    unchanged("cnpg-snapshot-class", vs({}, { walStorage: { storageClass: "local", size: "1Gi" } }), { lookups });
    unchanged("cnpg-snapshot-class", vs({}, { tablespaces: [{ name: "t1", storage: { storageClass: "local", size: "1Gi" } }] }), { lookups });
    // Their own class set, or the same driver: safe.
    const own = apply("cnpg-snapshot-class", vs({ walClassName: "local-snap" }, { walStorage: { storageClass: "local", size: "1Gi" } }), { lookups });
    assert.equal((own.resource.spec as any).backup.volumeSnapshot.className, "ebs-snap");
    const same = apply("cnpg-snapshot-class", vs({}, { walStorage: { storageClass: "gp3", size: "1Gi" } }), { lookups });
    assert.equal((same.resource.spec as any).backup.volumeSnapshot.className, "ebs-snap");
  });
  it("does not guess between several defaults of one driver, nor over a set className, nor on UPDATE", () => {
    unchanged("cnpg-snapshot-class", vs(), { lookups: [...ebs, snapshotClass("ebs-2", true, "ebs.csi.aws.com")] });
    unchanged("cnpg-snapshot-class", vs({ className: "mine" }), { lookups: ebs });
    unchanged("cnpg-snapshot-class", cluster({ backup: { volumeSnapshot: "x" } }), { lookups: ebs });
    const ctx = context("cnpg-snapshot-class", { lookups: ebs });
    assert.deepEqual(mutate(vs(), { ...ctx, operation: "UPDATE", oldResource: cluster({}) }, [defaulter("cnpg-snapshot-class")]).changes, []);
  });
  it("ignores a default class whose name is an unresolved placeholder", () => {
    unchanged("cnpg-snapshot-class", vs(), { lookups: [storageClass("gp3", "ebs.csi.aws.com"), snapshotClass("${SNAP_CLASS}", true, "ebs.csi.aws.com")] });
  });
});

describe("cnpg-wal-archiver", () => {
  const store = { objectStore: "{cluster}-store" };
  it("does nothing without a policy ObjectStore", () => {
    unchanged("cnpg-wal-archiver", cluster({ instances: 3 }), { lookups: [objectStore("pg-store")] });
  });
  it("adds a WAL-archiver entry naming a store known to exist, with the {cluster} placeholder", () => {
    const r = apply("cnpg-wal-archiver", cluster({ instances: 3 }), { params: store, lookups: [objectStore("pg-store")] });
    assert.deepEqual((r.resource.spec as any).plugins, [{ name: PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: "pg-store" } }]);
  });
  it("never names a store that is not known to exist (missing, or ObjectStores unknown)", () => {
    unchanged("cnpg-wal-archiver", cluster({}), { params: store, lookups: [objectStore("other")] });
    unchanged("cnpg-wal-archiver", cluster({}), { params: store });
    unchanged("cnpg-wal-archiver", cluster({}), { params: store, lookups: [objectStore("pg-store", undefined, "elsewhere")] });
  });
  it("finds the store when the Cluster's namespace is set at deploy time", () => {
    const r = apply("cnpg-wal-archiver", cluster({}, { namespace: undefined }), { params: store, lookups: [objectStore("pg-store")] });
    assert.equal((r.resource.spec as any).plugins.length, 1);
  });
  it("never next to in-tree barmanObjectStore, any plugin entry, or skipWalArchiving", () => {
    const lookups = [objectStore("pg-store")];
    unchanged("cnpg-wal-archiver", cluster({ backup: { barmanObjectStore: { destinationPath: "s3://b/" } } }), { params: store, lookups });
    unchanged("cnpg-wal-archiver", cluster({ plugins: [archiver] }), { params: store, lookups });
    unchanged("cnpg-wal-archiver", cluster({ plugins: [{ name: PLUGIN, parameters: { barmanObjectName: "x" } }] }), { params: store, lookups });
    unchanged("cnpg-wal-archiver", cluster({ plugins: [{ name: "pgbackrest.dalibo.com" }] }), { params: store, lookups });
    unchanged("cnpg-wal-archiver", cluster({}, { annotations: { "cnpg.io/skipWalArchiving": "enabled" } }), { params: store, lookups });
  });
  it("never on UPDATE: adding an archiver to a running Cluster restarts it", () => {
    const ctx = context("cnpg-wal-archiver", { params: store, lookups: [objectStore("pg-store")] });
    const old = cluster({ instances: 2 });
    assert.deepEqual(mutate(cluster({ instances: 3 }), { ...ctx, operation: "UPDATE", oldResource: old }, [defaulter("cnpg-wal-archiver")]).changes, []);
  });
  it("leaves wrong types, unnamed clusters and placeholder names alone", () => {
    const lookups = [objectStore("pg-store")];
    unchanged("cnpg-wal-archiver", cluster({ plugins: "x" }), { params: store, lookups });
    unchanged("cnpg-wal-archiver", cluster("x"), { params: store, lookups });
    unchanged("cnpg-wal-archiver", { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { generateName: "pg-" }, spec: {} }, { params: store, lookups });
    unchanged("cnpg-wal-archiver", cluster({}, { name: "${APP}" }), { params: store, lookups: [objectStore("${APP}-store")] });
  });
});

describe("cnpg-backup-method", () => {
  const pluginCluster = cluster({ plugins: [archiver] });
  it("plugin-only cluster: method plugin and the plugin name", () => {
    const r = apply("cnpg-backup-method", scheduled({ cluster: { name: "pg" }, schedule: "0 0 0 * * *" }), { lookups: [pluginCluster] });
    assert.equal((r.resource.spec as any).method, "plugin");
    assert.deepEqual((r.resource.spec as any).pluginConfiguration, { name: PLUGIN });
    assert.equal(r.notes.length, 2);
  });
  it("keeps pluginConfiguration parameters", () => {
    const r = apply("cnpg-backup-method", backup({ cluster: { name: "pg" }, pluginConfiguration: { parameters: { a: "b" } } }), { lookups: [pluginCluster] });
    assert.deepEqual((r.resource.spec as any).pluginConfiguration, { parameters: { a: "b" }, name: PLUGIN });
  });
  it("snapshot-only cluster: volumeSnapshot", () => {
    const r = apply("cnpg-backup-method", backup({ cluster: { name: "pg" } }), { lookups: [cluster({ backup: { volumeSnapshot: { className: "c" } } })] });
    assert.equal((r.resource.spec as any).method, "volumeSnapshot");
    assert.equal((r.resource.spec as any).pluginConfiguration, undefined);
  });
  it("both methods: no guess, unless the Backup says which", () => {
    const both = cluster({ plugins: [archiver], backup: { volumeSnapshot: { className: "c" } } });
    unchanged("cnpg-backup-method", backup({ cluster: { name: "pg" } }), { lookups: [both] });
    const p = apply("cnpg-backup-method", backup({ cluster: { name: "pg" }, pluginConfiguration: { name: PLUGIN } }), { lookups: [both] });
    assert.equal((p.resource.spec as any).method, "plugin");
    const s = apply("cnpg-backup-method", backup({ cluster: { name: "pg" }, online: false }), { lookups: [both] });
    assert.equal((s.resource.spec as any).method, "volumeSnapshot");
  });
  it("replaceUnusableDefault (default true): a CRD-defaulted barmanObjectStore on a plugin Cluster is replaced on CREATE only", () => {
    const defaulted = backup({ cluster: { name: "pg" }, method: "barmanObjectStore" });
    unchanged("cnpg-backup-method", defaulted, { lookups: [pluginCluster], params: { replaceUnusableDefault: false } });
    const r = apply("cnpg-backup-method", defaulted, { lookups: [pluginCluster] });
    assert.equal((r.resource.spec as any).method, "plugin");
    assert.match(r.notes[0]!, /replacing barmanObjectStore/);
    const bos = cluster({ plugins: [{ name: PLUGIN, parameters: { barmanObjectName: "s" } }], backup: { barmanObjectStore: { destinationPath: "s3://b/" } } });
    unchanged("cnpg-backup-method", defaulted, { lookups: [bos], params: { replaceUnusableDefault: true } });
    const d = defaulter("cnpg-backup-method");
    const ctx = context("cnpg-backup-method", { lookups: [pluginCluster], params: { replaceUnusableDefault: true } });
    assert.deepEqual(mutate(defaulted, { ...ctx, operation: "UPDATE" }, [d]).changes, []);
    unchanged("cnpg-backup-method", backup({ cluster: { name: "${APP}" } }), { lookups: [cluster({ plugins: [archiver] }, { name: "${APP}" })] });
    unchanged("cnpg-backup-method", backup({ cluster: { name: "pg" }, method: "volumeSnapshot" }), { lookups: [pluginCluster], params: { replaceUnusableDefault: true } });
  });
  it("nothing without the Cluster, with a method, or with wrong types", () => {
    unchanged("cnpg-backup-method", backup({ cluster: { name: "pg" } }));
    unchanged("cnpg-backup-method", backup({ cluster: { name: "pg" } }), { lookups: [cluster({}, { name: "other" })] });
    unchanged("cnpg-backup-method", backup({ cluster: { name: "pg" }, method: "volumeSnapshot" }), { lookups: [pluginCluster] });
    unchanged("cnpg-backup-method", backup({ cluster: { name: "pg" }, pluginConfiguration: "x" }), { lookups: [pluginCluster] });
    unchanged("cnpg-backup-method", backup({ cluster: { name: "pg" } }), { lookups: [cluster({ plugins: [{ name: "other.io" }] })] });
    unchanged("cnpg-backup-method", backup("x"), { lookups: [pluginCluster] });
  });
});

describe("cnpg-backup-owner-reference", () => {
  it("sets self when unset, and over the CRD default none on CREATE", () => {
    const r = apply("cnpg-backup-owner-reference", scheduled({ schedule: "0 0 0 * * *" }));
    assert.equal((r.resource.spec as any).backupOwnerReference, "self");
    const n = apply("cnpg-backup-owner-reference", scheduled({ backupOwnerReference: "none" }));
    assert.equal((n.resource.spec as any).backupOwnerReference, "self");
    assert.match(n.notes[0]!, /replacing none, the CRD default/);
    unchanged("cnpg-backup-owner-reference", scheduled({ backupOwnerReference: "none" }), { params: { replaceNone: false } });
  });
  it("uses the value param and keeps explicit values", () => {
    const r = apply("cnpg-backup-owner-reference", scheduled({}), { params: { value: "cluster" } });
    assert.equal((r.resource.spec as any).backupOwnerReference, "cluster");
    unchanged("cnpg-backup-owner-reference", scheduled({ backupOwnerReference: "cluster" }));
    unchanged("cnpg-backup-owner-reference", scheduled(7));
  });
  it("never when the Backups own volume snapshots (snapshotOwnerReference: backup), or that is unknown", () => {
    const owning = cluster({ backup: { volumeSnapshot: { className: "c", snapshotOwnerReference: "backup" } } });
    unchanged("cnpg-backup-owner-reference", scheduled({ cluster: { name: "pg" }, method: "volumeSnapshot" }), { lookups: [owning] });
    unchanged("cnpg-backup-owner-reference", scheduled({ cluster: { name: "pg" }, method: "volumeSnapshot" }));
    const plugin = apply("cnpg-backup-owner-reference", scheduled({ cluster: { name: "pg" }, method: "plugin" }), { lookups: [owning] });
    assert.equal((plugin.resource.spec as any).backupOwnerReference, "self");
  });
  it("never on UPDATE", () => {
    const ctx = context("cnpg-backup-owner-reference", {});
    const old = scheduled({ schedule: "0 0 0 * * *" });
    assert.deepEqual(mutate(scheduled({ schedule: "0 0 1 * * *" }), { ...ctx, operation: "UPDATE", oldResource: old }, [defaulter("cnpg-backup-owner-reference")]).changes, []);
  });
});

describe("cnpg-archive-timeout", () => {
  it("sets the RPO when shorter than 5min", () => {
    const r = apply("cnpg-archive-timeout", cluster({ plugins: [archiver] }), { rpoSeconds: 120 });
    assert.deepEqual((r.resource.spec as any).postgresql, { parameters: { archive_timeout: "120s" } });
  });
  it("keeps other parameters", () => {
    const r = apply("cnpg-archive-timeout", cluster({ postgresql: { parameters: { max_connections: "200" } } }), { rpoSeconds: 60 });
    assert.deepEqual((r.resource.spec as any).postgresql.parameters, { max_connections: "200", archive_timeout: "60s" });
  });
  it("treats archive_timeout: null as unset, like cnpg-archive-timeout-rpo does", () => {
    const r = apply("cnpg-archive-timeout", cluster({ postgresql: { parameters: { archive_timeout: null } } }), { rpoSeconds: 60 });
    assert.deepEqual((r.resource.spec as any).postgresql.parameters, { archive_timeout: "60s" });
  });
  it("replaces 5min, what CNPG's webhook writes for an unset value, on CREATE only", () => {
    const r = apply("cnpg-archive-timeout", cluster({ postgresql: { parameters: { archive_timeout: "5min" } } }), { rpoSeconds: 60 });
    assert.deepEqual((r.resource.spec as any).postgresql.parameters, { archive_timeout: "60s" });
    assert.match(r.notes[0]!, /CNPG's webhook writes/);
    const ctx = context("cnpg-archive-timeout", { rpoSeconds: 60 });
    const five = cluster({ instances: 3, postgresql: { parameters: { archive_timeout: "5min" } } });
    assert.deepEqual(mutate(five, { ...ctx, operation: "UPDATE", oldResource: cluster({ instances: 2 }) }, [defaulter("cnpg-archive-timeout")]).changes, []);
  });
  it("nothing when the RPO is 5min or more, when set, or on wrong types", () => {
    unchanged("cnpg-archive-timeout", cluster({}), { rpoSeconds: 300 });
    unchanged("cnpg-archive-timeout", cluster({ postgresql: { parameters: { archive_timeout: "10min" } } }), { rpoSeconds: 60 });
    unchanged("cnpg-archive-timeout", cluster({ postgresql: "x" }), { rpoSeconds: 60 });
    unchanged("cnpg-archive-timeout", cluster({ postgresql: { parameters: [] } }), { rpoSeconds: 60 });
  });
});

describe("cnpg defaulters through admit()", () => {
  it("a ScheduledBackup without method on a plugin Cluster passes after mutation", () => {
    const policy = recommendedPolicy();
    const ctx: EngineContext = { policy, lookups: new InventoryLookups([cluster({ plugins: [archiver] })]), now };
    const result = admit(scheduled({ cluster: { name: "pg" }, schedule: "0 0 0 * * *" }), ctx);
    const rules = result.evaluation.findings.map((f) => f.rule);
    assert.ok(!rules.includes("cnpg-backup-method-explicit"), JSON.stringify(result.evaluation.findings));
    assert.ok(!rules.includes("cnpg-backup-owner-reference"));
  });
  it("a Cluster named by a placeholder: no method is guessed, cnpg-backup-method-explicit answers not checked", () => {
    const policy = recommendedPolicy();
    for (const [ref, own] of [
      ["${CLUSTER}", "pg"],
      ["pg", "${APP:=pg}"],
    ]) {
      const ctx: EngineContext = { policy, lookups: new InventoryLookups([cluster({ plugins: [archiver] }, { name: own })]), now };
      const result = admit(scheduled({ cluster: { name: ref }, schedule: "0 0 0 * * *" }), ctx);
      assert.equal((result.resource.spec as any).method, undefined, "no method guessed");
      assert.ok(!result.evaluation.findings.some((f) => f.rule === "cnpg-backup-method-explicit"), JSON.stringify(result.evaluation.findings));
      assert.ok(result.evaluation.notChecked.some((n) => n.rule === "cnpg-backup-method-explicit" && n.cause === "placeholder"));
    }
  });
});
