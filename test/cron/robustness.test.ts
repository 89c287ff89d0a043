// Bounded time and no exceptions for any input.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { analyzeIntervals, describeSchedule, firstCommonMinute, MAX_SCHEDULE_LENGTH, nextFireTimes, parseSchedule } from "../../src/cron/index.ts";
import { computeIntervals } from "../../src/cron/analysis.ts";
import { parsed } from "./helpers.ts";

function timed<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const out = fn();
  return [out, performance.now() - t0];
}

describe("bounded for pathological input", () => {
  it("refuses strings over the limit quickly, with a clear message", () => {
    for (const dialect of ["robfig-v1", "kubernetes"] as const) {
      const [r, ms] = timed(() => parseSchedule("1,".repeat(500_000) + " * * * * *", dialect));
      assert.ok(!r.ok && r.error.includes(`at most ${MAX_SCHEDULE_LENGTH} characters`));
      assert.ok(ms < 200, `${ms} ms`);
    }
  });

  it("analyses dense, sparse and never-firing schedules quickly, uncached", () => {
    computeIntervals(parsed("0 0 0 * * *", "robfig-v1")); // build the static calendar table once
    for (const text of ["* * * * * *", "0 0 0 29 2 *", "0 0 0 30 2 *", "* * * 29 2 *", "0 0 0 */2 * 1", "0-59 0-59 0-23 1-31 1-12 0-6"]) {
      const s = parsed(text, "robfig-v1");
      const [, ms] = timed(() => computeIntervals(s));
      assert.ok(ms < 200, `${text}: ${ms} ms`);
      const [, nextMs] = timed(() => nextFireTimes(s, new Date("2097-03-01T00:00:00Z"), 5));
      assert.ok(nextMs < 200, `${text} next: ${nextMs} ms`);
    }
  });

  it("firstCommonMinute gives up after one calendar cycle", () => {
    const [r, ms] = timed(() => firstCommonMinute(parsed("0 0 29 2 *", "kubernetes"), parsed("0 0 30 * *", "kubernetes"), new Date()));
    assert.equal(r, null);
    assert.ok(ms < 500, `${ms} ms`);
  });

  it("never throws on garbage", () => {
    const inputs: unknown[] = [null, undefined, 5, {}, [], "\u0000", "@", "@every 99999999999999999999h", "@every 1e3s", "*/99999999999999999999 * * * * *",
      "0 0 0 * * \u0130", "TZ=", "CRON_TZ=x", "\ud800 * * * * *", "/ / / / / /", "- - - - - -", ", , , , , ,", "? ? ? ? ? ?", "@every -9223372036854775808ns"];
    for (const input of inputs) {
      for (const dialect of ["robfig-v1", "kubernetes", "bogus"] as const) {
        const r = parseSchedule(input as string, dialect as "robfig-v1");
        if (r.ok) {
          analyzeIntervals(r.schedule);
          describeSchedule(r.schedule);
          nextFireTimes(r.schedule, new Date(), 3);
          nextFireTimes(r.schedule, new Date(NaN), 3);
        } else assert.equal(typeof r.error, "string");
      }
    }
    assert.equal(parseSchedule(5 as unknown as string, "robfig-v1").ok, false);
  });

  it("memoizes parse results per (dialect, text)", () => {
    assert.equal(parseSchedule("0 0 0 * * *", "robfig-v1"), parseSchedule("0 0 0 * * *", "robfig-v1"));
    assert.notEqual(parseSchedule("0 0 * * *", "robfig-v1"), parseSchedule("0 0 * * *", "kubernetes"));
  });

  it("validates 10,000 schedules (parse + analysis, mostly cached) well within a second", () => {
    const texts = Array.from({ length: 100 }, (_, i) => `0 ${i % 60} ${i % 24} * * *`);
    const [, ms] = timed(() => {
      for (let i = 0; i < 10_000; i++) {
        const r = parseSchedule(texts[i % 100]!, "robfig-v1");
        if (r.ok) analyzeIntervals(r.schedule);
      }
    });
    assert.ok(ms < 1000, `${ms} ms`);
  });
});
