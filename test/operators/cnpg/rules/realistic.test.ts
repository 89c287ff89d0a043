// The realistic manifests of manifests.ts through the whole engine with the recommended policy: no rule reports a
// finding on them (a finding on a correct manifest is the worst bug). With the repository and the cluster's objects as
// lookups, only the answers an unresolved ${VAR} placeholder or a missing namespace makes impossible are not checked.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import type { Resource } from "../../../../src/engine/types.ts";
import { evaluate } from "../../../../src/engine/engine.ts";
import { recommendedPolicy } from "../../../../src/policy/builtin.ts";
import { InventoryLookups } from "../../../../src/lookups/inventory.ts";
import { FIXED_NOW } from "../../../helpers/rule-tester.ts";
import { MANIFESTS, lookupsAll } from "./manifests.ts";

describe("realistic CNPG manifests", () => {
  for (const [name, yaml] of Object.entries(MANIFESTS)) {
    it(`${name}: no finding from any rule`, () => {
      const e = evaluate(parse(yaml) as Resource, { policy: recommendedPolicy(), lookups: new InventoryLookups(lookupsAll()), now: FIXED_NOW });
      assert.deepEqual(e.findings, [], JSON.stringify(e.findings, null, 2));
      // Only a ${VAR} placeholder keeps a lookup from being checked (WIKI_* use ${APP} in object names).
      for (const n of e.notChecked) assert.match(n.reason, /unresolved placeholder \$\{APP\}/, JSON.stringify(n));
    });
    it(`${name}: no finding without lookups either`, () => {
      const e = evaluate(parse(yaml) as Resource, { policy: recommendedPolicy(), lookups: new InventoryLookups(), now: FIXED_NOW });
      assert.deepEqual(e.findings, [], JSON.stringify(e.findings, null, 2));
    });
  }
});
