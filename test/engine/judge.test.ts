// judge(): the one entry per object of the webhook, the CLI and audit.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { judge, PRE_EXISTING } from "../../src/engine/judge.ts";
import { sameSpec } from "../../src/engine/engine.ts";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import { recommendedPolicy } from "../../src/policy/builtin.ts";
import type { Resource } from "../../src/engine/types.ts";
import type { EffectivePolicy } from "../../src/policy/types.ts";

const NOW = new Date("2026-06-01T00:00:00Z");
const bare = (ns?: string): Resource =>
  ({ apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: ns === undefined ? { name: "pg" } : { name: "pg", namespace: ns }, spec: { instances: 1, storage: { size: "1Gi" } } }) as Resource;

function chooser(seen: { ns?: string; labels?: Record<string, string> }[], answer: EffectivePolicy | null = recommendedPolicy()) {
  return { forNamespace: (ns: string | undefined, labels?: Record<string, string>) => (seen.push({ ns, labels } as never), answer ?? undefined) };
}

test("the namespace that chooses the policy: the object's, else the subject's; never a placeholder; with its labels", () => {
  const seen: { ns?: string; labels?: Record<string, string> }[] = [];
  const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "db", labels: { tier: "prod" } } } as Resource;
  const lookups = new InventoryLookups([ns]);
  const ctx = { policies: chooser(seen), lookups, now: NOW };
  const a = judge({ object: bare(), namespace: "db" }, ctx, "validate");
  assert.ok(a.applies);
  assert.equal(a.resource.metadata.namespace, "db");
  assert.deepEqual(seen[0], { ns: "db", labels: { tier: "prod" } });
  const b = judge({ object: bare("${NS}") }, ctx, "validate");
  assert.ok(b.applies);
  assert.equal(b.namespace, undefined);
  assert.deepEqual(seen[1], { ns: undefined, labels: undefined });
});

test("no policy for the namespace: not judged, and says why", () => {
  const j = judge({ object: bare("db") }, { policies: chooser([], null), lookups: new InventoryLookups(), now: NOW }, "validate");
  assert.equal(j.applies, false);
  assert.ok(!j.applies && /no policy/.test(j.reason));
});

test("a metadata-only UPDATE: denies the object already had become warnings with cause pre-existing; a spec change is judged", () => {
  const ctx = { policies: chooser([]), lookups: new InventoryLookups(), now: NOW };
  const old = bare("db");
  const relabelled = { ...old, metadata: { ...old.metadata, labels: { a: "b" } } } as Resource;
  const created = judge({ object: relabelled }, ctx, "validate");
  assert.ok(created.applies && created.evaluation.findings.some((f) => f.action === "deny"), "the bare Cluster is denied on CREATE");
  const j = judge({ object: relabelled, operation: "UPDATE", oldObject: old }, ctx, "validate");
  assert.ok(j.applies && j.metadataOnly);
  assert.ok(j.evaluation.allowed);
  assert.ok(j.evaluation.findings.length > 0);
  for (const f of j.evaluation.findings.filter((f) => f.cause === "pre-existing")) {
    assert.equal(f.action, "warn");
    assert.ok(f.message.startsWith(PRE_EXISTING));
  }
  const changed = { ...relabelled, spec: { ...(relabelled.spec as object), instances: 2 } } as Resource;
  const k = judge({ object: changed, operation: "UPDATE", oldObject: old }, ctx, "validate");
  assert.ok(k.applies && !k.metadataOnly && !k.evaluation.allowed);
  // mutate never touches a metadata-only update
  const m = judge({ object: relabelled, operation: "UPDATE", oldObject: old }, ctx, "mutate");
  assert.ok(m.applies && m.mutation.changes.length === 0);
});

test("sameSpec agrees with comparing the JSON without metadata and status", () => {
  const json = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 3 }), fc.array(tie("v"), { maxLength: 3 }), fc.dictionary(fc.constantFrom("a", "b", "spec", "metadata"), tie("v"), { maxKeys: 3 })),
  })).v;
  const obj = fc.record({ apiVersion: fc.constant("v1"), kind: fc.constant("X"), metadata: fc.dictionary(fc.string({ maxLength: 2 }), fc.string({ maxLength: 2 })), spec: json, status: json }, { requiredKeys: ["apiVersion", "kind", "metadata"] });
  const specJson = (r: Record<string, unknown>) => {
    const { metadata: _m, status: _s, ...rest } = r;
    return JSON.stringify(rest);
  };
  fc.assert(
    fc.property(obj, obj, fc.boolean(), (a, b, same) => {
      const x = a as unknown as Resource;
      const y = (same ? { ...structuredClone(a), metadata: b.metadata, status: b.status } : b) as unknown as Resource;
      assert.equal(sameSpec(x, y), specJson(x as never) === specJson(y as never));
    }),
    { numRuns: 500 },
  );
});
