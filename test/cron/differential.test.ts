// cron-parser answers "next fire times" for the schedules cronparser.ts routes to it; this proves it
// agrees with our exact evaluator on them, and that the unroutable ones (a true AND of dom and dow) are
// kept away from it.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { nextFireTimes, type Dialect } from "../../src/cron/index.ts";
import { evaluatorNextFireTimes } from "../../src/cron/analysis.ts";
import { cronParserExpression } from "../../src/cron/cronparser.ts";
import { parsed } from "./helpers.ts";

const ROUTED: [string, Dialect][] = [
  ["0 0 0 * * *", "robfig-v1"],
  ["0 0 * * *", "robfig-v1"],
  ["* * * * * *", "robfig-v1"],
  ["*/15 */7 * * * *", "robfig-v1"],
  ["0 30 2 * * 1-5", "robfig-v1"],
  ["0 0 0 1 * 1", "robfig-v1"], // OR
  ["0 0 0 13 * 5", "robfig-v1"], // OR
  ["0 0 0 1-31 * 1", "robfig-v1"], // OR with a full dom: every day
  ["0 0 0 31 * *", "robfig-v1"],
  ["0 0 0 29 2 *", "robfig-v1"],
  ["0 0 12 30 1-12 ?", "robfig-v1"],
  ["0 5 4 ? jan,jul sun", "robfig-v1"],
  ["@weekly", "robfig-v1"],
  ["@monthly", "kubernetes"],
  ["30 2 * * *", "kubernetes"],
  ["0 0 */2 * 1", "kubernetes"], // v3: OR
  ["*/30 * * * *", "kubernetes"],
  ["0 0 1,15 * 3", "kubernetes"],
];

const FROMS = ["2026-11-22T12:34:56.789Z", "2027-12-31T23:59:59Z", "2096-02-29T00:00:00Z", "2024-02-28T23:00:00Z"];

describe("cron-parser agrees with our evaluator on routed schedules", () => {
  for (const [text, dialect] of ROUTED) {
    it(`${dialect} ${JSON.stringify(text)}`, () => {
      const s = parsed(text, dialect);
      assert.ok(cronParserExpression(s) !== undefined, "should be routed to cron-parser");
      for (const from of FROMS) {
        const viaCronParser = nextFireTimes(s, new Date(from), 6).map((d) => d.toISOString());
        const viaEvaluator = evaluatorNextFireTimes(s, new Date(from), 6).map((d) => d.toISOString());
        assert.deepEqual(viaCronParser, viaEvaluator, `from ${from}`);
        assert.equal(viaCronParser.length, 6);
      }
    });
  }
});

describe("routing", () => {
  it("keeps a true AND of dom and dow (robfig v1 `*/2` star bit) away from cron-parser", () => {
    const s = parsed("0 0 0 */2 * 1", "robfig-v1");
    assert.equal(cronParserExpression(s), undefined);
    // Odd days that are Mondays; cron-parser would OR them.
    const next = nextFireTimes(s, new Date("2026-11-22T00:00:00Z"), 3).map((d) => d.toISOString().slice(0, 10));
    assert.deepEqual(next, ["2026-11-23", "2026-12-07", "2026-12-21"]);
  });

  it("writes only explicit numbers, so cron-parser's own defaults never apply", () => {
    assert.equal(cronParserExpression(parsed("0 0 * * *", "robfig-v1")), "0 0 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23 * 1,2,3,4,5,6,7,8,9,10,11,12 *");
    assert.equal(cronParserExpression(parsed("0 0 1 * * sun", "robfig-v1")), "0 0 1 * 1,2,3,4,5,6,7,8,9,10,11,12 0");
    assert.equal(cronParserExpression(parsed("@every 1h", "robfig-v1")), undefined);
  });
});
