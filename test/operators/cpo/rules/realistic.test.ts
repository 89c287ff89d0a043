// The realistic manifests of manifests.ts through the whole engine with the recommended policy: no rule reports
// anything on them (a finding on a correct manifest is the worst bug). Secrets and other clusters are given, so the
// lookup rules are checked too; without them, only those two lookup rules are "not checked".
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import type { Resource } from "../../../../src/engine/types.ts";
import { evaluate } from "../../../../src/engine/engine.ts";
import { recommendedPolicy } from "../../../../src/policy/builtin.ts";
import { InventoryLookups } from "../../../../src/lookups/inventory.ts";
import { FIXED_NOW } from "../../../helpers/rule-tester.ts";
import { MANIFESTS } from "./manifests.ts";

const secret = (name: string): Resource => ({ apiVersion: "v1", kind: "Secret", metadata: { name }, data: { "s3.conf": "" } }) as Resource;

describe("realistic CPO manifests", () => {
  for (const [name, yaml] of Object.entries(MANIFESTS)) {
    it(`${name}: no finding from any rule`, () => {
      const r = parse(yaml) as Resource;
      const lookups = new InventoryLookups([r, secret("orders-db-pgbackrest"), secret("keycloak-pg-pgbackrest")]);
      const e = evaluate(r, { policy: recommendedPolicy(), lookups, now: FIXED_NOW });
      assert.deepEqual(e.findings, [], JSON.stringify(e.findings, null, 2));
      assert.deepEqual(e.notChecked, []);
    });
    it(`${name}: without lookups, only the lookup rules are not checked`, () => {
      const e = evaluate(parse(yaml) as Resource, { policy: recommendedPolicy(), lookups: new InventoryLookups(), now: FIXED_NOW });
      assert.deepEqual(e.findings, []);
      for (const n of e.notChecked) assert.match(n.rule, /^cpo-(credentials-exist|pvc-name-overlap)$/);
    });
  }
});
