import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { scheduleReport, suggestSixFieldSchedule } from "../../src/cron/report.ts";
import { describeSchedule, type Dialect } from "../../src/cron/index.ts";
import { CNPG_FIELD_COUNT_WARNING } from "../../src/cron/index.ts";
import { parsed } from "./helpers.ts";

const NOW = new Date("2026-11-22T12:00:00Z");

describe("suggestSixFieldSchedule", () => {
  it("turns a standard 5-field crontab into CNPG's seconds-first form", () => {
    assert.equal(suggestSixFieldSchedule("0 1 * * *"), "0 0 1 * * *");
    assert.equal(suggestSixFieldSchedule("30 2 * * 0"), "0 30 2 * * 0");
    assert.equal(suggestSixFieldSchedule("0 1 * * 7"), "0 0 1 * * 0"); // crontab's Sunday=7
    assert.equal(suggestSixFieldSchedule("0 1 * * 5-7"), "0 0 1 * * 5-6,0");
  });

  it("keeps the crontab meaning of a stepped star in dom/dow (v1 would AND it)", () => {
    assert.equal(suggestSixFieldSchedule("0 1 */2 * 1"), "0 0 1 1-31/2 * 1");
  });

  it("gives the explicit form of a descriptor, and nothing for other inputs", () => {
    assert.equal(suggestSixFieldSchedule("@daily"), "0 0 0 * * *");
    assert.equal(suggestSixFieldSchedule("@every 1h"), undefined);
    assert.equal(suggestSixFieldSchedule("0 0 1 * * *"), undefined);
    assert.equal(suggestSixFieldSchedule("0 1 * * x"), undefined);
  });
});

describe("scheduleReport", () => {
  it("reports a valid CNPG schedule", () => {
    const r = scheduleReport("0 30 2 * * *", "robfig-v1", NOW, 3);
    assert.equal(r.ok, true);
    assert.equal(r.fieldCount, 6);
    assert.equal(r.description, "at 02:30:00 UTC (daily)");
    assert.deepEqual(r.nextFireTimes, ["2026-11-23T02:30:00.000Z", "2026-11-24T02:30:00.000Z", "2026-11-25T02:30:00.000Z"]);
    assert.deepEqual(r.shortestGap, { seconds: 86400, human: "1d" });
    assert.deepEqual(r.longestGap, { seconds: 86400, human: "1d" });
    assert.equal(r.fires, true);
    assert.equal(r.suggestion, undefined);
    assert.deepEqual(r.warnings, []);
  });

  it("explains a 5-field CNPG schedule and suggests the 6-field one", () => {
    const r = scheduleReport("0 1 * * *", "robfig-v1", NOW);
    assert.equal(r.ok, true);
    assert.deepEqual(r.warnings, [CNPG_FIELD_COUNT_WARNING]);
    assert.equal(r.description, "second 0, minute 1 of every hour (hourly)");
    assert.equal(r.suggestion, "0 0 1 * * *");
    assert.equal(r.suggestionDescription, "at 01:00:00 UTC (daily)");
    assert.equal(r.nextFireTimes.length, 5);
  });

  it("reports the operator's error, still with a suggestion", () => {
    const r = scheduleReport("0 1 * * 0", "robfig-v1", NOW);
    assert.equal(r.ok, false);
    assert.equal(r.error, "Beginning of range (0) below minimum (1): 0");
    assert.equal(r.suggestion, "0 0 1 * * 0");
    assert.deepEqual(r.nextFireTimes, []);
  });

  it("reports a schedule that never fires with JSON-safe gaps", () => {
    const r = scheduleReport("0 0 0 30 2 *", "robfig-v1", NOW);
    assert.equal(r.ok, true);
    assert.equal(r.fires, false);
    assert.deepEqual(r.longestGap, { seconds: null, human: "never" });
    assert.deepEqual(JSON.parse(JSON.stringify(r)).nextFireTimes, []);
  });

  it("reports cpo schedules and descriptors", () => {
    const r = scheduleReport("@every 90m", "kubernetes", NOW, 2);
    assert.equal(r.fieldCount, null);
    assert.deepEqual(r.nextFireTimes, ["2026-11-22T13:30:00.000Z", "2026-11-22T15:00:00.000Z"]);
    assert.deepEqual(r.shortestGap, { seconds: 5400, human: "1h30m" });
    assert.equal(scheduleReport("TZ=UTC 0 1 * * *", "kubernetes", NOW).ok, false);
  });
});

describe("describeSchedule", () => {
  it("says how the operator reads it", () => {
    const cases: [string, Dialect, string][] = [
      ["0 0 * * *", "robfig-v1", "second 0, minute 0 of every hour (hourly)"],
      ["0 0 1 * * 0", "robfig-v1", "at 01:00:00 UTC, on Sunday (weekly)"],
      ["30 2 * * *", "kubernetes", "at 02:30 UTC (daily)"],
      ["*/15 * * * *", "kubernetes", "every 15 minutes from minute 0 (minutes 0,15,30,45) of every hour, every day"],
      ["0 0 0 1 * *", "robfig-v1", "at 00:00:00 UTC, on day-of-month 1 (monthly)"],
      ["0 0 0 1 * 1", "robfig-v1", "at 00:00:00 UTC, on day-of-month 1 or on any Monday (either matches: neither field was written as * or ?)"],
      ["@every 1h30m", "robfig-v1", "every 1h30m0s, counted from when the schedule starts (not aligned to the clock)"],
      ["0 0 0 * 1-3,6 *", "robfig-v1", "at 00:00:00 UTC, every day in Jan-Mar,Jun"],
    ];
    for (const [text, dialect, words] of cases) assert.equal(describeSchedule(parsed(text, dialect)), words, text);
  });
});
