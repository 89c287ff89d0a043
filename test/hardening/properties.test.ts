// Property-based checks (fast-check, seeded and bounded so every run is the same): whatever an AdmissionReview or
// a manifest holds, the webhook answers a well-formed response and the CLI exits 0, 1 or 2 with no stack trace.
// Shapes are generated around the covered kinds, so the rules' field readers see wrong types at every depth.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { stringify } from "yaml";
import { parseAdmissionReview } from "../../src/webhook/admission.ts";
import { mutateRequest, validate, type HandlerDeps } from "../../src/webhook/handler.ts";
import { recommendedPolicy } from "../../src/policy/builtin.ts";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import { run } from "../cli/run.ts";

const SEED = 20261202;
const KINDS: [string, string][] = [
  ["postgresql.cnpg.io/v1", "Cluster"],
  ["postgresql.cnpg.io/v1", "Backup"],
  ["postgresql.cnpg.io/v1", "ScheduledBackup"],
  ["barmancloud.cnpg.io/v1", "ObjectStore"],
  ["cpo.opensource.cybertec.at/v1", "postgresql"],
  ["pgbackupguard.io/v1alpha1", "BackupPolicy"],
  ["v1", "ConfigMap"],
];
// Field names the rules read, so generated objects reach deep into them.
const KEYS = [
  "spec", "backup", "plugins", "name", "enabled", "isWALArchiver", "parameters", "barmanObjectName", "serverName",
  "barmanObjectStore", "destinationPath", "volumeSnapshot", "className", "walClassName", "online", "schedule", "method",
  "cluster", "pluginConfiguration", "instances", "storage", "walStorage", "storageClass", "tablespaces", "bootstrap",
  "recovery", "source", "externalClusters", "postgresql", "archive_timeout", "pgbackrest", "repos", "storage", "full",
  "incr", "global", "configuration", "secret", "standby", "rpo", "rules", "action", "metadata", "annotations", "labels",
];

const leaf = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom("${APP}", "0 0 2 * * *", "30 2 * * 0", "plugin", "barman-cloud.cloudnative-pg.io", "5min", "-1", ""));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ maxDepth: 5, depthIdentifier: "v" }, leaf, tie("object"), tie("array")),
  object: fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { maxKeys: 5, depthIdentifier: "v" }),
  array: fc.array(tie("value"), { maxLength: 3, depthIdentifier: "v" }),
}));

const resource = fc.record({
  kind: fc.constantFrom(...KINDS),
  name: fc.oneof(fc.constant("pg"), fc.string({ maxLength: 8 }), value),
  namespace: fc.oneof(fc.constant(undefined), fc.constant("db"), value),
  spec: value,
  annotations: fc.oneof(fc.constant(undefined), value),
}).map(({ kind, name, namespace, spec, annotations }) => ({
  apiVersion: kind[0],
  kind: kind[1],
  metadata: { name, ...(namespace === undefined ? {} : { namespace }), ...(annotations === undefined ? {} : { annotations }) },
  spec,
}));

const deps: HandlerDeps = {
  policies: { forNamespace: () => recommendedPolicy() },
  lookups: new InventoryLookups([], { known: ["ObjectStore", "Cluster", "ScheduledBackup", "VolumeSnapshotClass", "StorageClass", "Namespace"] }),
  lookupFailure: "allow",
  now: () => new Date("2026-01-15T12:00:00Z"),
};

function body(object: unknown, old: unknown, operation: string) {
  const o = (object ?? {}) as { apiVersion?: unknown; kind?: unknown };
  const [group, version] = typeof o.apiVersion === "string" && o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", "v1"];
  return {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: { uid: "u-1", operation, kind: { group, version, kind: String(o.kind ?? "X") }, object, oldObject: old, userInfo: { username: "alice" } },
  };
}

test("the webhook answers every generated AdmissionReview with a well-formed response", () => {
  fc.assert(
    fc.property(resource, resource, fc.constantFrom("CREATE", "UPDATE"), (object, old, operation) => {
      const parsed = parseAdmissionReview(body(object, old, operation));
      if (!parsed.ok) return;
      for (const decide of [validate, mutateRequest]) {
        const d = decide(parsed.request, deps);
        assert.equal(d.response.uid, "u-1");
        assert.equal(typeof d.response.allowed, "boolean");
        if (!d.response.allowed) assert.ok((d.response.status?.message ?? "").length > 0, "a denial says why");
        for (const w of d.response.warnings ?? []) assert.ok(w.length <= 256, "warnings fit kubectl");
        if (d.response.patch) JSON.parse(Buffer.from(d.response.patch, "base64").toString("utf8"));
        // A rule that throws is a finding of that rule (policy ruleErrors), never a silent allow.
        for (const f of d.findings) assert.notEqual(f.message, "");
      }
    }),
    { seed: SEED, numRuns: 2000 },
  );
});

test("metadata-only UPDATEs are never denied, whatever the object", () => {
  fc.assert(
    fc.property(resource, fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }), (old, labels) => {
      if (old.kind === "BackupPolicy") return; // a policy is judged whole on every write
      const object = { ...old, metadata: { ...old.metadata, labels } };
      const parsed = parseAdmissionReview(body(object, old, "UPDATE"));
      if (!parsed.ok) return;
      const d = validate(parsed.request, deps);
      const shapeOnly = d.findings.every((f) => f.rule === "resource-shape");
      if (!shapeOnly) assert.equal(d.response.allowed, true, JSON.stringify(d.findings.slice(0, 2)));
    }),
    { seed: SEED, numRuns: 1000 },
  );
});

test("validate over generated manifests: exit 0, 1 or 2, never an internal error or a stack trace", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(resource, { minLength: 1, maxLength: 4 }), async (objects) => {
      const text = objects.map((o) => stringify(o)).join("---\n");
      const r = await run(["validate", "-", "--format", "json"], { stdin: text });
      assert.ok([0, 1, 2].includes(r.code), `exit ${r.code}`);
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
      if (r.code !== 2) JSON.parse(r.stdout);
    }),
    { seed: SEED, numRuns: 300 },
  );
});
