// The CPO rule catalog as a whole.
import { test } from "node:test";
import { assertRuleMeta } from "../../../helpers/rule-tester.ts";
import { cpoRules } from "../../../../src/operators/cpo/rules/index.ts";

test("every CPO rule documents itself", () => {
  for (const r of cpoRules) assertRuleMeta(r);
});
