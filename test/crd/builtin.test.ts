// The built-in schema table: up to date with the upstream CRDs, and what the API server really does to
// the covered operators' resources with it (defaults and pruning asserted against the CRDs).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { Resource } from "../../src/engine/types.ts";
import { applyStructural, type ApiServerChange, type StructuralSchema } from "../../src/crd/structural.ts";
import { builtinCrdSchemas, builtinCrdTable, crdSchemasFromDocuments, overlay } from "../../src/crd/schemas.ts";
import { generateTableText, inputs, outputFile } from "../../scripts/gen-crd-schemas.ts";
import { hasShared, repoRoot, sharedPath, SKIP_NO_SHARED } from "../helpers/shared.ts";

const schemas = builtinCrdSchemas();

function schemaFor(apiVersion: string, kind: string): StructuralSchema {
  const s = schemas.forType(apiVersion, kind);
  assert.ok(s, `builtin schema for ${apiVersion} ${kind}`);
  return s;
}

function apply(r: Resource): { resource: Resource; changes: ApiServerChange[] } {
  const before = structuredClone(r);
  const out = applyStructural(r, schemaFor(r.apiVersion, r.kind));
  assert.deepEqual(r, before, "input must not be modified");
  return out;
}

const defaults = (changes: ApiServerChange[], prefix: string) =>
  Object.fromEntries(changes.filter((c) => c.kind === "default" && c.path.startsWith(prefix)).map((c) => [c.path, c.value]));

function cluster(spec: Record<string, unknown>): Resource {
  return { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "pg", namespace: "db" }, spec: { instances: 3, storage: { size: "1Gi" }, ...spec } };
}

function upstreamDocs(file: string): { source: string; line: number; object: unknown }[] {
  const text = readFileSync(sharedPath("upstream", file), "utf8");
  return parseAllDocuments(text, { keepSourceTokens: false }).map((d) => ({
    source: file,
    line: d.range ? text.slice(0, d.range[0]).split("\n").length : 1,
    object: d.toJS() as unknown,
  }));
}

describe("builtin-schemas.json", () => {
  it("is up to date with the upstream CRDs (regenerated in memory)", (t) => {
    if (!hasShared) {
      t.skip(SKIP_NO_SHARED);
      return;
    }
    const current = readFileSync(outputFile, "utf8");
    assert.ok(current === generateTableText(), "src/crd/builtin-schemas.json is stale: run node scripts/gen-crd-schemas.ts");
  });

  it("has every served version of the covered CRDs, each with its source", () => {
    assert.deepEqual([...builtinCrdTable().keys()], [
      "postgresql.cnpg.io/v1/Cluster",
      "postgresql.cnpg.io/v1/Backup",
      "postgresql.cnpg.io/v1/ScheduledBackup",
      "barmancloud.cnpg.io/v1/ObjectStore",
      "snapshot.storage.k8s.io/v1/VolumeSnapshotClass", // v1beta1 is in the CRD with served: false
      "cpo.opensource.cybertec.at/v1/postgresql",
      "postgres-operator.crunchydata.com/v1/PostgresCluster",
      "postgres-operator.crunchydata.com/v1beta1/PostgresCluster",
    ]);
    for (const [key, e] of builtinCrdTable()) assert.match(e.source, /\.yaml; .*version v1/, key);
    assert.match(builtinCrdTable().get("postgresql.cnpg.io/v1/Cluster")!.source, /controller-gen v0\.21\.0/);
    assert.equal(schemas.forType("postgresql.cnpg.io/v2", "Cluster"), undefined);
    assert.equal(schemas.forType("v1", "ConfigMap"), undefined);
  });

  it("is small, and holds no descriptions or validation keywords", () => {
    const text = readFileSync(join(repoRoot, "src", "crd", "builtin-schemas.json"), "utf8");
    assert.ok(text.length < 80_000, `size ${text.length}`);
    const allowed = new Set(["type", "properties", "items", "additionalProperties", "default", "nullable", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource"]);
    const seen = new Set<StructuralSchema>();
    const walk = (s: StructuralSchema, path: string): void => {
      if (seen.has(s)) return;
      seen.add(s);
      for (const k of Object.keys(s)) assert.ok(allowed.has(k), `${path}: ${k}`);
      for (const [k, p] of Object.entries(s.properties ?? {})) walk(p, `${path}.${k}`);
      if (s.items) walk(s.items, `${path}[]`);
      if (typeof s.additionalProperties === "object") walk(s.additionalProperties, `${path}.*`);
    };
    for (const [key, e] of builtinCrdTable()) walk(e.schema, key);
  });
});

describe("CNPG Cluster", () => {
  it("spec.backup: {} gets target prefer-standby and nothing else under backup", () => {
    const { resource, changes } = apply(cluster({ backup: {} }));
    assert.deepEqual((resource.spec as Record<string, unknown>).backup, { target: "prefer-standby" });
    assert.deepEqual(defaults(changes, "spec.backup"), { "spec.backup.target": "prefer-standby" });
  });

  it("a Cluster without spec.backup gets no backup defaults", () => {
    const { resource, changes } = apply(cluster({}));
    assert.equal("backup" in (resource.spec as object), false);
    assert.deepEqual(defaults(changes, "spec.backup"), {});
  });

  it("an explicit target is kept", () => {
    const { changes } = apply(cluster({ backup: { target: "primary" } }));
    assert.deepEqual(defaults(changes, "spec.backup"), {});
  });

  it("volumeSnapshot: online, onlineConfiguration and snapshotOwnerReference exactly as the CRD says", () => {
    const { resource, changes } = apply(cluster({ backup: { volumeSnapshot: { className: "csi" } } }));
    assert.deepEqual((resource.spec as { backup: unknown }).backup, {
      target: "prefer-standby",
      volumeSnapshot: {
        className: "csi",
        online: true,
        onlineConfiguration: { immediateCheckpoint: false, waitForArchive: true },
        snapshotOwnerReference: "none",
      },
    });
    assert.deepEqual(defaults(changes, "spec.backup"), {
      "spec.backup.target": "prefer-standby",
      "spec.backup.volumeSnapshot.online": true,
      "spec.backup.volumeSnapshot.onlineConfiguration": { immediateCheckpoint: false, waitForArchive: true },
      "spec.backup.volumeSnapshot.snapshotOwnerReference": "none",
    });
  });

  it("a partial onlineConfiguration gets waitForArchive only (immediateCheckpoint has no field default)", () => {
    const { resource } = apply(cluster({ backup: { volumeSnapshot: { online: false, onlineConfiguration: {} } } }));
    assert.deepEqual((resource.spec as { backup: { volumeSnapshot: unknown } }).backup.volumeSnapshot, {
      online: false,
      onlineConfiguration: { waitForArchive: true },
      snapshotOwnerReference: "none",
    });
  });

  it("online: null is replaced by the default (non-nullable with a default)", () => {
    const { resource, changes } = apply(cluster({ backup: { volumeSnapshot: { online: null } } }));
    assert.equal((resource.spec as { backup: { volumeSnapshot: { online: unknown } } }).backup.volumeSnapshot.online, true);
    assert.ok(changes.some((c) => c.kind === "default" && c.path === "spec.backup.volumeSnapshot.online" && c.value === true));
  });

  it("plugin entries get enabled: true and isWALArchiver: false (both are CRD defaults)", () => {
    const plugin = { name: "barman-cloud.cloudnative-pg.io", parameters: { barmanObjectName: "store", "some.key": "v" } };
    const { resource, changes } = apply(cluster({ plugins: [plugin, { name: "other", enabled: false, isWALArchiver: true }] }));
    assert.deepEqual((resource.spec as { plugins: unknown }).plugins, [
      { ...plugin, enabled: true, isWALArchiver: false },
      { name: "other", enabled: false, isWALArchiver: true },
    ]);
    assert.deepEqual(defaults(changes, "spec.plugins"), { "spec.plugins[0].enabled": true, "spec.plugins[0].isWALArchiver": false });
  });

  it("...and those plugin defaults are what the upstream Cluster CRD declares", (t) => {
    if (!hasShared) {
      t.skip(SKIP_NO_SHARED);
      return;
    }
    // ...and that is what the upstream CRD says, not an assumption of ours.
    const crd = upstreamDocs("cnpg/postgresql.cnpg.io_clusters.yaml")[0]!.object as {
      spec: { versions: { schema: { openAPIV3Schema: { properties: { spec: { properties: { plugins: { items: { properties: Record<string, { default?: unknown }> } } } } } } } }[] };
    };
    const items = crd.spec.versions[0]!.schema.openAPIV3Schema.properties.spec.properties.plugins.items.properties;
    assert.equal(items.enabled!.default, true);
    assert.equal(items.isWALArchiver!.default, false);
  });

  it("prunes a volumesnapshot typo and reports it; keeps postgresql.parameters and plugin parameters keys", () => {
    const { resource, changes } = apply(
      cluster({
        backup: { volumesnapshot: { className: "csi" } },
        postgresql: { parameters: { archive_timeout: "5min", "pg_stat_statements.max": "10000" } },
        plugins: [{ name: "barman-cloud.cloudnative-pg.io", parameters: { barmanObjectName: "store", serverName: "pg-1" } }],
      }),
    );
    const spec = resource.spec as { backup: unknown; postgresql: { parameters: unknown }; plugins: { parameters: unknown }[] };
    assert.deepEqual(spec.backup, { target: "prefer-standby" });
    assert.deepEqual(spec.postgresql.parameters, { archive_timeout: "5min", "pg_stat_statements.max": "10000" });
    assert.deepEqual(spec.plugins[0]!.parameters, { barmanObjectName: "store", serverName: "pg-1" });
    assert.deepEqual(changes.filter((c) => c.kind === "prune"), [{ kind: "prune", path: "spec.backup.volumesnapshot", value: { className: "csi" } }]);
  });

  it("keeps annotation keys with dots and slashes; unknown metadata fields are pruned", () => {
    const r = cluster({});
    r.metadata = { name: "pg", annotations: { "cnpg.io/skipEmptyWalArchiveCheck": "enabled" }, labelz: { a: "b" } };
    const { resource, changes } = apply(r);
    assert.deepEqual(resource.metadata, { name: "pg", annotations: { "cnpg.io/skipEmptyWalArchiveCheck": "enabled" } });
    assert.deepEqual(changes.filter((c) => c.kind === "prune"), [{ kind: "prune", path: "metadata.labelz", value: { a: "b" } }]);
  });

  it("also fills the Cluster-wide defaults the CRD declares (instances, replicationSlots, ...)", () => {
    const { resource, changes } = apply({ apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "pg" }, spec: {} });
    const spec = resource.spec as Record<string, unknown>;
    assert.equal(spec.instances, 1);
    assert.deepEqual(spec.replicationSlots, { highAvailability: { enabled: true, slotPrefix: "_cnpg_" }, updateInterval: 30 });
    assert.equal(spec.enableSuperuserAccess, false);
    // defaults nested in an inserted default object are reported too
    assert.ok(changes.some((c) => c.path === "spec.replicationSlots.highAvailability.slotPrefix" && c.value === "_cnpg_"));
  });
});

describe("CNPG Backup, ScheduledBackup, ObjectStore", () => {
  it("ScheduledBackup gets method barmanObjectStore and backupOwnerReference none", () => {
    const { resource, changes } = apply({
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "ScheduledBackup",
      metadata: { name: "daily" },
      spec: { schedule: "0 0 0 * * *", cluster: { name: "pg" } },
    });
    assert.deepEqual(resource.spec, { schedule: "0 0 0 * * *", cluster: { name: "pg" }, backupOwnerReference: "none", method: "barmanObjectStore" });
    assert.deepEqual(defaults(changes, "spec"), { "spec.backupOwnerReference": "none", "spec.method": "barmanObjectStore" });
  });

  it("Backup gets method barmanObjectStore; online has no default, onlineConfiguration.waitForArchive does", () => {
    const plain = apply({ apiVersion: "postgresql.cnpg.io/v1", kind: "Backup", metadata: { name: "b" }, spec: { cluster: { name: "pg" } } });
    assert.deepEqual(plain.resource.spec, { cluster: { name: "pg" }, method: "barmanObjectStore" });
    assert.deepEqual(plain.changes, [{ kind: "default", path: "spec.method", value: "barmanObjectStore" }]);
    const snap = apply({
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "Backup",
      metadata: { name: "b" },
      spec: { cluster: { name: "pg" }, method: "volumeSnapshot", onlineConfiguration: {} },
    });
    assert.deepEqual(snap.resource.spec, { cluster: { name: "pg" }, method: "volumeSnapshot", onlineConfiguration: { waitForArchive: true } });
  });

  it("a Backup's pluginConfiguration.parameters keys are kept", () => {
    const { resource, changes } = apply({
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "Backup",
      metadata: { name: "b" },
      spec: { cluster: { name: "pg" }, method: "plugin", pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io", parameters: { anything: "x" } } },
    });
    assert.deepEqual((resource.spec as { pluginConfiguration: unknown }).pluginConfiguration, { name: "barman-cloud.cloudnative-pg.io", parameters: { anything: "x" } });
    assert.deepEqual(changes, []);
  });

  it("ObjectStore: no retentionPolicy or configuration default; only instanceSidecarConfiguration has some", () => {
    const { resource, changes } = apply({
      apiVersion: "barmancloud.cnpg.io/v1",
      kind: "ObjectStore",
      metadata: { name: "store" },
      spec: { configuration: { destinationPath: "s3://b/", wal: { compresion: "gzip" } }, instanceSidecarConfiguration: {} },
    });
    assert.deepEqual(resource.spec, {
      configuration: { destinationPath: "s3://b/", wal: {} },
      instanceSidecarConfiguration: { logLevel: "info", retentionPolicyIntervalSeconds: 1800 },
    });
    assert.deepEqual(changes, [
      { kind: "prune", path: "spec.configuration.wal.compresion", value: "gzip" },
      { kind: "default", path: "spec.instanceSidecarConfiguration.logLevel", value: "info" },
      { kind: "default", path: "spec.instanceSidecarConfiguration.retentionPolicyIntervalSeconds", value: 1800 },
    ]);
  });

  it("VolumeSnapshotClass: parameters are a map, unknown top-level fields are pruned, nothing is defaulted", () => {
    const { resource, changes } = apply({
      apiVersion: "snapshot.storage.k8s.io/v1",
      kind: "VolumeSnapshotClass",
      metadata: { name: "csi", annotations: { "snapshot.storage.kubernetes.io/is-default-class": "true" } },
      driver: "d",
      deletionPolicy: "Delete",
      parameters: { "a/b": "c" },
      spec: {},
    });
    assert.deepEqual(resource.parameters, { "a/b": "c" });
    assert.deepEqual(changes, [{ kind: "prune", path: "spec", value: {} }]);
  });
});

describe("CPO postgresql", () => {
  const pg = (backup: unknown): Resource => ({
    apiVersion: "cpo.opensource.cybertec.at/v1",
    kind: "postgresql",
    metadata: { name: "cluster-1" },
    spec: { numberOfInstances: 1, teamId: "acid", postgresql: { version: "17", parameters: { archive_timeout: "60", "a.b": "c" } }, volume: { size: "5Gi" }, backup },
  });

  it("prunes an unknown key under a repo schedule (the CRD lists only full, incr, diff) and has no backup defaults", () => {
    const backup = {
      pgbackrest: {
        image: "img",
        repos: [{ name: "repo1", storage: "s3", resource: "b", schedule: { full: "30 2 * * *", weekly: "0 3 * * 0" } }],
        global: { "repo1-retention-full": "7", "repo1-path": "/x" },
        restore: { id: "1", repo: "repo1", options: { type: "immediate" } },
      },
    };
    const { resource, changes } = apply(pg(backup));
    const spec = resource.spec as { backup: { pgbackrest: { repos: unknown[]; global: unknown } }; postgresql: { parameters: unknown } };
    assert.deepEqual(spec.backup.pgbackrest.repos, [{ name: "repo1", storage: "s3", resource: "b", schedule: { full: "30 2 * * *" } }]);
    assert.deepEqual(spec.backup.pgbackrest.global, { "repo1-retention-full": "7", "repo1-path": "/x" });
    assert.deepEqual(spec.postgresql.parameters, { archive_timeout: "60", "a.b": "c" });
    assert.deepEqual(changes, [{ kind: "prune", path: "spec.backup.pgbackrest.repos[0].schedule.weekly", value: "0 3 * * 0" }]);
  });

  it("keeps the GCS/Azure repo fields of the Go CRD the operator registers (key, keyType, account)", () => {
    const repos = [
      { name: "repo1", storage: "gcs", resource: "b", key: "gcs.json", keyType: "service" },
      { name: "repo2", storage: "azure", resource: "c", account: "acct", key: "secret", pvcsize: "1Gi" },
    ];
    const { resource, changes } = apply(pg({ pgbackrest: { image: "img", repos } }));
    const got = (resource.spec as { backup: { pgbackrest: { repos: unknown[] } } }).backup.pgbackrest.repos;
    assert.deepEqual(got, [repos[0], { name: "repo2", storage: "azure", resource: "c", account: "acct", key: "secret" }]);
    assert.deepEqual(changes, [{ kind: "prune", path: "spec.backup.pgbackrest.repos[1].pvcsize", value: "1Gi" }]);
  });

  it("repos: null is kept (nullable in the Go CRD); the only default anywhere is tde.keybits", () => {
    const { resource, changes } = apply(pg({ pgbackrest: { image: "img", repos: null } }));
    assert.equal((resource.spec as { backup: { pgbackrest: { repos: unknown } } }).backup.pgbackrest.repos, null);
    assert.deepEqual(changes, []);
    const tde = apply({ ...pg(undefined), spec: { tde: { enable: true } } });
    assert.deepEqual(tde.changes, [{ kind: "default", path: "spec.tde.keybits", value: 128 }]);
  });
});

describe("PGO PostgresCluster", () => {
  for (const version of ["v1", "v1beta1"]) {
    it(`${version}: pgbackrest repo schedules keys are fixed; restore.enabled defaults to false`, () => {
      const { resource, changes } = apply({
        apiVersion: `postgres-operator.crunchydata.com/${version}`,
        kind: "PostgresCluster",
        metadata: { name: "hippo" },
        spec: {
          postgresVersion: 17,
          instances: [{ dataVolumeClaimSpec: { accessModes: ["ReadWriteOnce"] } }],
          backups: { pgbackrest: { repos: [{ name: "repo1", schedules: { full: "0 1 * * 0", weekly: "x" } }], restore: { repoName: "repo1" }, global: { "repo1-retention-full": "14" } } },
        },
      });
      const pgbackrest = (resource.spec as { backups: { pgbackrest: Record<string, unknown> } }).backups.pgbackrest;
      assert.deepEqual(pgbackrest.repos, [{ name: "repo1", schedules: { full: "0 1 * * 0" } }]);
      assert.deepEqual(pgbackrest.restore, { repoName: "repo1", enabled: false });
      assert.deepEqual(pgbackrest.global, { "repo1-retention-full": "14" });
      assert.ok(changes.some((c) => c.kind === "prune" && c.path === "spec.backups.pgbackrest.repos[0].schedules.weekly"));
      assert.ok(changes.some((c) => c.kind === "default" && c.path === "spec.instances[0].replicas" && c.value === 1));
    });
  }
});

describe("crdSchemasFromDocuments", () => {
  it("gives the same schemas as the builtin table for the upstream CRDs (CPO: except the Go-CRD patch)", (t) => {
    if (!hasShared) {
      t.skip(SKIP_NO_SHARED);
      return;
    }
    for (const input of inputs) {
      const docs = upstreamDocs(input.file);
      const out = crdSchemasFromDocuments([{ source: "x.yaml", line: 1, object: { apiVersion: "v1", kind: "ConfigMap" } }, ...docs]);
      assert.ok(out.ok, input.file);
      for (const key of out.kinds) {
        const [group, version, kind] = [key.split("/").slice(0, -2).join("/"), key.split("/").at(-2)!, key.split("/").at(-1)!];
        const builtin = schemas.forType(`${group}/${version}`, kind);
        assert.ok(builtin, key);
        if (input.patch) {
          // The user's YAML CRD prunes the Go-only fields: that is what they would get with enable_crd_registration: false.
          const fromYaml: StructuralSchema = out.schemas.get(key)!;
          const repo = (s: StructuralSchema) => s.properties!.spec!.properties!.backup!.properties!.pgbackrest!.properties!.repos!.items!.properties!;
          assert.equal("key" in repo(fromYaml), false);
          assert.equal("key" in repo(builtin), true);
        } else assert.deepEqual(out.schemas.get(key), builtin, key);
      }
    }
  });

  it("ignores non-CRD documents and unserved versions; lists the served kinds", (t) => {
    if (!hasShared) {
      t.skip(SKIP_NO_SHARED);
      return;
    }
    const out = crdSchemasFromDocuments([{ source: "a.yaml", line: 1, object: "junk" }, ...upstreamDocs("snapshot/snapshot.storage.k8s.io_volumesnapshotclasses.yaml")]);
    assert.ok(out.ok);
    assert.deepEqual(out.kinds, ["snapshot.storage.k8s.io/v1/VolumeSnapshotClass"]);
  });

  const crd = (schema: unknown, extra: Record<string, unknown> = {}) => ({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "things.example.com" },
    spec: { group: "example.com", names: { kind: "Thing", plural: "things" }, scope: "Namespaced", versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: schema } }], ...extra },
  });
  const err = (object: unknown) => {
    const out = crdSchemasFromDocuments([{ source: "crds.yaml", line: 12, object }]);
    assert.equal(out.ok, false);
    return (out as { ok: false; error: { source: string; line?: number; message: string } }).error;
  };

  it("converts a small CRD, pruning its defaults like the API server (PruneDefaults)", () => {
    const out = crdSchemasFromDocuments([
      {
        source: "crds.yaml",
        line: 1,
        object: crd({
          type: "object",
          properties: { spec: { type: "object", default: { a: "x", junk: 1 }, properties: { a: { type: "string", description: "d", enum: ["x"] } } } },
        }),
      },
    ]);
    assert.ok(out.ok);
    assert.deepEqual(out.kinds, ["example.com/v1/Thing"]);
    assert.deepEqual(out.schemas.get("example.com/v1/Thing"), { type: "object", properties: { spec: { type: "object", properties: { a: { type: "string" } }, default: { a: "x" } } } });
  });

  it("refuses non-structural schemas naming source, line and field", () => {
    const e = err(crd({ type: "object", properties: { spec: { properties: { a: { type: "string" } } } } }));
    assert.equal(e.source, "crds.yaml");
    assert.equal(e.line, 12);
    assert.equal(e.message, "CustomResourceDefinition things.example.com: spec.versions[0].schema.openAPIV3Schema.properties.spec.type: must not be empty for specified object fields");
    assert.match(err(crd({ type: "object", properties: { l: { type: "array" } } })).message, /properties\.l\.items: must be specified/);
    assert.match(err(crd({ type: "object", properties: { l: { type: "array", items: [{ type: "string" }] } } })).message, /items: must be a schema, but is an array/);
    assert.match(err(crd({ type: "object", properties: { r: { $ref: "#/x" } } })).message, /properties\.r\["\$ref"\]: must not be set/);
    assert.match(err(crd({ type: "object", additionalProperties: { type: "string" } })).message, /openAPIV3Schema\.additionalProperties: must not be used at the root/);
    assert.match(err(crd({ type: "object", properties: { m: { type: "object", properties: { a: { type: "string" } }, additionalProperties: { type: "string" } } } })).message, /mutual exclusive/);
    assert.match(err(crd({ type: "object", properties: { metadata: { type: "object", properties: { labels: { type: "object" } } } } })).message, /must not specify anything other than name and generateName/);
    assert.match(err(crd({ type: "object", properties: { s: { type: "object", anyOf: [{ properties: { b: { type: "string" } } }] } } })).message, /properties\.s\.properties\.b: Required value: because it is defined in/);
    assert.match(err(crd({ type: "object", properties: { e: { type: "string", "x-kubernetes-embedded-resource": true } } })).message, /must be object if x-kubernetes-embedded-resource is true/);
  });

  it("refuses v1beta1 CRDs, missing schemas and malformed CRDs", () => {
    assert.match(err({ ...crd({ type: "object" }), apiVersion: "apiextensions.k8s.io/v1beta1" }).message, /not served since Kubernetes 1\.22/);
    const noSchema = crd({});
    (noSchema.spec.versions[0] as Record<string, unknown>).schema = undefined;
    assert.match(err(noSchema).message, /spec\.versions\[0\]\.schema\.openAPIV3Schema: Required value/);
    assert.match(err({ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", spec: "x" }).message, /CustomResourceDefinition \(unnamed\): spec: must be an object/);
    assert.match(err(crd({ type: "object" }, { preserveUnknownFields: true })).message, /spec\.preserveUnknownFields: must be false/);
  });

  it("accepts int-or-string and x-kubernetes-preserve-unknown-fields without a type", () => {
    const out = crdSchemasFromDocuments([
      {
        source: "c.yaml",
        line: 1,
        object: crd({
          type: "object",
          properties: {
            q: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
            free: { "x-kubernetes-preserve-unknown-fields": true },
          },
        }),
      },
    ]);
    assert.ok(out.ok);
    assert.deepEqual(out.schemas.get("example.com/v1/Thing"), { type: "object", properties: { q: {}, free: { "x-kubernetes-preserve-unknown-fields": true } } });
  });

  it("overlay: user CRDs win per group/version/Kind", () => {
    const mine: StructuralSchema = { type: "object", properties: { spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } };
    const merged = overlay(schemas, new Map([["postgresql.cnpg.io/v1/Cluster", mine]]));
    assert.equal(merged.forType("postgresql.cnpg.io/v1", "Cluster"), mine);
    assert.equal(merged.forType("postgresql.cnpg.io/v1", "Backup"), schemas.forType("postgresql.cnpg.io/v1", "Backup"));
    const { changes } = applyStructural(cluster({ backup: { volumesnapshot: {} } }), merged.forType("postgresql.cnpg.io/v1", "Cluster")!);
    assert.deepEqual(changes, []);
  });
});
