// What the operator corpus tests (test/corpus/cpo-samples, pgo-samples) check on every upstream sample: admit() with
// the recommended policy gives no defaulter error and no rule crash, and the mutation neither makes the object less
// valid for its CRD nor adds fields the CRD would prune.
import assert from "node:assert/strict";
import { admit, type Admission } from "../../src/engine/engine.ts";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import type { EffectivePolicy } from "../../src/policy/types.ts";
import type { Resource } from "../../src/engine/types.ts";
import { FIXED_NOW } from "./rule-tester.ts";
import { unknownFields } from "./crd-schema.ts";

/** One CRD version's validator and schema (crdValidator, crdSchema). */
export interface CrdCheck {
  validate: (obj: unknown) => string[];
  schema: Record<string, unknown>;
}

export interface SampleVerdict {
  result: Admission;
  /** Rules that deny, and that warn, sorted, each once. */
  denied: string[];
  warned: string[];
  /** For t.diagnostic: allowed or denied by which rules, the warnings and the defaulters that changed it. */
  summary: string;
}

function rulesWith(result: Admission, action: string): string[] {
  return [...new Set(result.evaluation.findings.filter((f) => f.action === action).map((f) => f.rule))].sort();
}

/** Admits the sample `resource` (from `file`) and asserts what holds for every sample; `crd` is its version's CRD. */
export function admitSample(file: string, resource: Resource, crd: CrdCheck, policy: EffectivePolicy): SampleVerdict {
  const result = admit(resource, { policy, lookups: new InventoryLookups(), now: FIXED_NOW });
  assert.deepEqual(result.errors, [], `${file}: defaulter errors`);
  assert.deepEqual(
    result.evaluation.findings.filter((f) => f.cause === "rule-error"),
    [],
    `${file}: a rule crashed`,
  );
  const before = new Set(crd.validate(resource));
  const added = crd.validate(result.resource).filter((e) => !before.has(e));
  assert.deepEqual(added, [], `${file}: mutation broke the CRD schema`);
  const unknownBefore = new Set(unknownFields(crd.schema, resource));
  assert.deepEqual(unknownFields(crd.schema, result.resource).filter((f) => !unknownBefore.has(f)), [], `${file}: mutation added pruned fields`);
  const denied = rulesWith(result, "deny");
  const warned = rulesWith(result, "warn");
  const summary =
    `${file}: ${denied.length ? `denied by ${denied.join(", ")}` : "allowed"}${warned.length ? `; warnings ${warned.join(", ")}` : ""}; ` +
    `changes: ${[...new Set(result.changes.map((c) => c.defaulter))].join(", ") || "none"}`;
  return { result, denied, warned, summary };
}
