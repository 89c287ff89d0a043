// The same object must get the same verdict from `validate` and from kubectl -> API server -> webhooks.
// Each case runs both paths over one set of objects:
// - CLI: admit() with the simulated API-server stage (CRD pruning and defaults, our mutation, CRD defaults again);
// - API server: the CRD stage, CNPG's own mutating webhook (archive_timeout 5min, backup.target), our /mutate
//   handler with its JSONPatch applied, the CRD stage again, then our /validate handler on the result.
// The real-kube-apiserver suite (test/e2e) proves the API-server side; this pins the two paths to each other.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import jsonpatch from "fast-json-patch";
import type { Resource } from "../../src/engine/types.ts";
import { admit } from "../../src/engine/engine.ts";
import { recommendedPolicy } from "../../src/policy/builtin.ts";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import { mutateRequest, validate, type HandlerDeps } from "../../src/webhook/handler.ts";
import { fixedProvider } from "../../src/webhook/policy-holder.ts";
import { apiServerStage } from "../../src/crd/stage.ts";
import { builtinCrdSchemas } from "../../src/crd/schemas.ts";
import { parse } from "yaml";

const now = new Date("2026-11-22T12:00:00Z");
const stage = apiServerStage(builtinCrdSchemas());

/** What CNPG's own mutating webhook writes (api/v1/cluster_defaults.go), which runs before ours (name order). */
function cnpgWebhook(r: Resource): Resource {
  if (r.kind !== "Cluster" || r.apiVersion !== "postgresql.cnpg.io/v1") return r;
  const out = structuredClone(r) as any;
  out.spec ??= {};
  if (out.spec.backup && !out.spec.backup.target) out.spec.backup.target = "prefer-standby";
  out.spec.postgresql ??= {};
  out.spec.postgresql.parameters ??= {};
  out.spec.postgresql.parameters.archive_timeout ??= "5min";
  return out;
}

function review(obj: Resource) {
  const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
  return {
    uid: "u",
    kind: { group: group!, version: version!, kind: obj.kind },
    name: obj.metadata.name,
    namespace: obj.metadata.namespace,
    operation: "CREATE" as const,
    object: obj,
  };
}

interface Case {
  name: string;
  /** The object applied, then the others that already exist (lookups), as YAML documents. */
  yaml: string;
  rpo?: string;
  allowed: boolean;
}

function paths(c: Case) {
  const [subject, ...others] = parse(`[${c.yaml.split("\n---\n").map((d) => JSON.stringify(parse(d))).join(",")}]`) as Resource[];
  const policy = recommendedPolicy();
  if (c.rpo) policy.settings.rpoSeconds = Number(c.rpo);
  const lookups = new InventoryLookups([subject!, ...others].map((o) => stage.received(o).resource), {
    known: ["VolumeSnapshotClass", "StorageClass", "ObjectStore", "Cluster", "ScheduledBackup", "Namespace"],
  });
  const cli = admit(subject!, { policy, lookups, now }, { apiServer: stage });

  const deps: HandlerDeps = { policies: fixedProvider(policy), lookups, lookupFailure: "allow", now: () => now };
  let obj = cnpgWebhook(stage.received(subject!).resource);
  const m = mutateRequest(review(obj), deps);
  if (m.response.patch) {
    const ops = JSON.parse(Buffer.from(m.response.patch, "base64").toString("utf8"));
    obj = jsonpatch.applyPatch(structuredClone(obj), ops, true, false).newDocument as Resource;
  }
  // After a non-empty patch the API server defaults again (pruning waits until the object is stored).
  if (m.response.patch) obj = stage.afterMutation(obj).resource;
  const v = validate(review(obj), deps);
  return { cli, webhook: v };
}

const PLUGIN_CLUSTER = `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: {name: pg, namespace: db}
spec:
  instances: 3
  storage: {size: 1Gi}
  plugins:
  - {name: barman-cloud.cloudnative-pg.io, isWALArchiver: true, parameters: {barmanObjectName: pg-store}}`;
const STORE = `apiVersion: barmancloud.cnpg.io/v1
kind: ObjectStore
metadata: {name: pg-store, namespace: db}
spec: {retentionPolicy: 30d, configuration: {destinationPath: "s3://b/pg", s3Credentials: {inheritFromIAMRole: true}}}`;

const CASES: Case[] = [
  { name: "a plugin Cluster with its store", yaml: `${PLUGIN_CLUSTER}\n---\n${STORE}`, allowed: true },
  { name: "a Cluster with no backup at all", yaml: "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: pg, namespace: db}\nspec: {instances: 1, storage: {size: 1Gi}}", allowed: false },
  {
    name: "a 6-field ScheduledBackup without method on a plugin Cluster (the method is inferred on CREATE)",
    yaml: `apiVersion: postgresql.cnpg.io/v1\nkind: ScheduledBackup\nmetadata: {name: daily, namespace: db}\nspec: {schedule: "0 0 2 * * *", cluster: {name: pg}}\n---\n${PLUGIN_CLUSTER}\n---\n${STORE}`,
    allowed: true,
  },
  {
    name: "a ScheduledBackup without method, Cluster unknown (warns only)",
    yaml: `apiVersion: postgresql.cnpg.io/v1\nkind: ScheduledBackup\nmetadata: {name: daily, namespace: db}\nspec: {schedule: "0 0 2 * * *", cluster: {name: elsewhere}}`,
    allowed: true,
  },
  {
    name: "a 5-field ScheduledBackup schedule",
    yaml: `apiVersion: postgresql.cnpg.io/v1\nkind: ScheduledBackup\nmetadata: {name: daily, namespace: db}\nspec: {schedule: "0 2 * * *", cluster: {name: pg}, method: plugin, pluginConfiguration: {name: barman-cloud.cloudnative-pg.io}}\n---\n${PLUGIN_CLUSTER}`,
    allowed: false,
  },
  { name: "RPO 1m and archive_timeout unset (CNPG's webhook writes 5min; our default replaces it)", yaml: `${PLUGIN_CLUSTER}\n---\n${STORE}`, rpo: "60", allowed: true },
  {
    name: "RPO 1m and archive_timeout: 10min written by the user",
    yaml: `${PLUGIN_CLUSTER}\n  postgresql: {parameters: {archive_timeout: 10min}}\n---\n${STORE}`,
    rpo: "60",
    allowed: false,
  },
  {
    name: "a typo'd field is pruned in both paths (spec.backup.volumesnapshot): no base-backup method left",
    yaml: "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: pg, namespace: db}\nspec:\n  instances: 3\n  storage: {size: 1Gi}\n  backup:\n    volumesnapshot: {className: csi}",
    allowed: false,
  },
];

describe("CLI and API-server paths give the same verdict", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { cli, webhook } = paths(c);
      assert.equal(cli.evaluation.allowed, c.allowed, `CLI: ${JSON.stringify(cli.evaluation.findings, null, 1)}`);
      assert.equal(webhook.response.allowed, c.allowed, `webhook: ${JSON.stringify(webhook.response, null, 1)}`);
    });
  }
});
