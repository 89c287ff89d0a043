// Exact interval analysis over the 400-year Gregorian cycle, UTC.
import type { Dialect } from "../../src/cron/index.ts";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { analyzeIntervals, nextFireTimes, parseSchedule } from "../../src/cron/index.ts";
import { evaluatorNextFireTimes } from "../../src/cron/analysis.ts";
import { parsed, DAY } from "./helpers.ts";

function gaps(text: string, dialect: Dialect = "robfig-v1") {
  return analyzeIntervals(parsed(text, dialect));
}

describe("analyzeIntervals", () => {
  it("weekly: exactly 7 days", () => {
    assert.deepEqual(gaps("0 0 1 * * 0"), { fires: true, shortestGapSeconds: 604800, longestGapSeconds: 604800 });
    assert.deepEqual(gaps("0 1 * * 0", "kubernetes"), { fires: true, shortestGapSeconds: 604800, longestGapSeconds: 604800 });
  });

  it("Feb 29: every 4 years, 8 across 2100 (2096-02-29 to 2104-02-29 is 2921 days)", () => {
    const a = gaps("0 0 0 29 2 *");
    assert.deepEqual(a, { fires: true, shortestGapSeconds: 1461 * DAY, longestGapSeconds: 2921 * DAY });
    const next = nextFireTimes(parsed("0 0 0 29 2 *", "robfig-v1"), new Date("2097-01-01T00:00:00Z"), 2);
    assert.deepEqual(next.map((d) => d.toISOString()), ["2104-02-29T00:00:00.000Z", "2108-02-29T00:00:00.000Z"]);
  });

  it("Feb 30, Apr 31 and an empty list never fire", () => {
    for (const text of ["0 0 0 30 2 *", "0 0 0 31 4 *", "0 0 0 30,31 2 *", "0 0 0 , * *"]) {
      assert.deepEqual(gaps(text), { fires: false, shortestGapSeconds: Infinity, longestGapSeconds: Infinity }, text);
      assert.deepEqual(nextFireTimes(parsed(text, "robfig-v1"), new Date(), 3), [], text);
    }
  });

  it("monthly on the 31st skips short months: 31 to 61 days (Mar 31 -> May 31)", () => {
    assert.deepEqual(gaps("0 0 0 31 * *"), { fires: true, shortestGapSeconds: 31 * DAY, longestGapSeconds: 61 * DAY });
  });

  it("monthly on the 1st: 28 to 31 days; on the 30th: 30 days to 61 days? no: Jan 30 -> Mar 30 is 59/60", () => {
    assert.deepEqual(gaps("0 0 0 1 * *"), { fires: true, shortestGapSeconds: 28 * DAY, longestGapSeconds: 31 * DAY });
    assert.deepEqual(gaps("0 0 0 30 * *"), { fires: true, shortestGapSeconds: 30 * DAY, longestGapSeconds: 60 * DAY });
  });

  it("intra-day gaps combine with day gaps", () => {
    // 01:00 and 23:00 every day: 22h then 2h.
    assert.deepEqual(gaps("0 0 1,23 * * *"), { fires: true, shortestGapSeconds: 2 * 3600, longestGapSeconds: 22 * 3600 });
    // Every second of one minute a day.
    assert.deepEqual(gaps("* 5 3 * * *"), { fires: true, shortestGapSeconds: 1, longestGapSeconds: DAY - 59 });
    // Mon-Fri at 02:00: longest gap over the weekend.
    assert.deepEqual(gaps("0 0 2 * * 1-5"), { fires: true, shortestGapSeconds: DAY, longestGapSeconds: 3 * DAY });
  });

  it("once a year; the 13th OR a Friday (no star bit)", () => {
    assert.deepEqual(gaps("@yearly"), { fires: true, shortestGapSeconds: 365 * DAY, longestGapSeconds: 366 * DAY });
    assert.deepEqual(gaps("0 0 0 13 * 5"), { fires: true, shortestGapSeconds: DAY, longestGapSeconds: 7 * DAY });
  });

  it("* * * * * * has 1 s gaps", () => {
    assert.deepEqual(gaps("* * * * * *"), { fires: true, shortestGapSeconds: 1, longestGapSeconds: 1 });
  });

  it("agrees with brute-force enumeration over a few years for assorted schedules", () => {
    const texts = ["0 0 0 31 * *", "0 15 3 * * 1", "0 0 */6 1,15 * *", "30 */20 8-17 * * mon-fri", "0 0 0 */3 * 0", "0 0 12 29 2,3 *", "0 0 0 1 1,7 *", "0 0 0 */2 * 1"];
    for (const text of texts) {
      const s = parsed(text, "robfig-v1");
      const fires = evaluatorNextFireTimes(s, new Date("2000-01-01T00:00:00Z"), 1000).map((d) => d.getTime() / 1000);
      let min = Infinity;
      let max = 0;
      for (let i = 1; i < fires.length; i++) {
        min = Math.min(min, fires[i]! - fires[i - 1]!);
        max = Math.max(max, fires[i]! - fires[i - 1]!);
      }
      const a = analyzeIntervals(s);
      assert.ok(a.shortestGapSeconds <= min && a.longestGapSeconds >= max, text);
      if (fires.length === 1000 && (fires[999]! - fires[0]!) > 4 * 366 * DAY) {
        assert.equal(a.shortestGapSeconds, min, text);
        assert.equal(a.longestGapSeconds, max, text);
      }
    }
  });

  it("never throws on a hand-made schedule without fields", () => {
    assert.deepEqual(analyzeIntervals({ dialect: "robfig-v1", source: "x", fieldCount: 6 }), {
      fires: false,
      shortestGapSeconds: Infinity,
      longestGapSeconds: Infinity,
    });
    const r = parseSchedule("0 0 0 * * *", "robfig-v1");
    assert.ok(r.ok);
  });
});
