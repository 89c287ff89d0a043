// The cnpg dialect against robfig/cron v1.2.0 cron.Parse (parser.go/spec.go at b41be1df) and
// research/cnpg.md (b).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { analyzeIntervals, describeSchedule, nextFireTimes, parseSchedule, CNPG_FIELD_COUNT_WARNING } from "../../src/cron/index.ts";
import { parsed, parseError, DAY } from "./helpers.ts";

const FROM = new Date("2026-11-22T12:34:56Z");

describe("cnpg dialect: field layout", () => {
  it("reads 6 fields seconds first", () => {
    const s = parsed("0 30 2 * * *", "robfig-v1");
    assert.deepEqual([s.fields!.seconds, s.fields!.minutes, s.fields!.hours], [[0], [30], [2]]);
    assert.equal(s.fieldCount, 6);
    const r = parseSchedule("0 30 2 * * *", "robfig-v1");
    assert.ok(r.ok && r.warnings.length === 0);
  });

  it("reads 5 fields as second minute hour dom month: `0 0 * * *` is hourly, with CNPG's warning", () => {
    const r = parseSchedule("0 0 * * *", "robfig-v1");
    assert.ok(r.ok);
    assert.deepEqual(r.warnings, [CNPG_FIELD_COUNT_WARNING]);
    assert.equal(r.schedule.fieldCount, 5);
    assert.deepEqual(r.schedule.fields!.hours.length, 24);
    assert.deepEqual(analyzeIntervals(r.schedule), { fires: true, shortestGapSeconds: 3600, longestGapSeconds: 3600 });
    assert.equal(describeSchedule(r.schedule), "second 0, minute 0 of every hour (hourly)");
    assert.deepEqual(nextFireTimes(r.schedule, FROM, 2).map((d) => d.toISOString()), ["2026-11-22T13:00:00.000Z", "2026-11-22T14:00:00.000Z"]);
  });

  it("rejects `0 1 * * 0`: the 0 lands in the month field", () => {
    assert.equal(parseError("0 1 * * 0", "robfig-v1"), "Beginning of range (0) below minimum (1): 0");
  });

  it("rejects other field counts with robfig's message (the whole spec is echoed)", () => {
    assert.equal(parseError("0 0 0 * * * 2026", "robfig-v1"), "Expected 5 to 6 fields, found 7: 0 0 0 * * * 2026");
    assert.equal(parseError("0 0 0 *", "robfig-v1"), "Expected 5 to 6 fields, found 4: 0 0 0 *");
    assert.equal(parseError("   ", "robfig-v1"), "Expected 5 to 6 fields, found 0:    ");
    assert.equal(parseError("", "robfig-v1"), "Empty spec string");
  });

  it("splits on Go's unicode.IsSpace (tabs, newlines, NBSP) but not on U+FEFF", () => {
    assert.equal(parsed("0\t0\n1 *\u00a0* *", "robfig-v1").fields!.hours[0], 1);
    assert.match(parseError("0 0 1 * * *\ufeff", "robfig-v1"), /Failed to parse int from/);
  });
});

describe("cnpg dialect: values", () => {
  it("day of week is 0-6: 7 is invalid", () => {
    assert.equal(parseError("0 0 0 * * 7", "robfig-v1"), "End of range (7) above maximum (6): 7");
    assert.equal(parseError("0 0 0 * * 5-7", "robfig-v1"), "End of range (7) above maximum (6): 5-7");
  });

  it("accepts month and weekday names in any case", () => {
    const s = parsed("0 0 0 * jAn,DEC Mon-fri", "robfig-v1");
    assert.deepEqual(s.fields!.months, [1, 12]);
    assert.deepEqual(s.fields!.daysOfWeek, [1, 2, 3, 4, 5]);
    assert.equal(parseError("0 0 0 jan * *", "robfig-v1"), 'Failed to parse int from jan: strconv.Atoi: parsing "jan": invalid syntax');
  });

  it("treats ? like *", () => {
    const s = parsed("0 0 0 ? * MON", "robfig-v1");
    assert.equal(s.fields!.domStar, true);
    assert.equal(analyzeIntervals(s).longestGapSeconds, 7 * DAY);
  });

  it("N/step means N-max/step; ranges with steps; lists drop empty items", () => {
    assert.deepEqual(parsed("0 5/20 * * * *", "robfig-v1").fields!.minutes, [5, 25, 45]);
    assert.deepEqual(parsed("0 10-40/15 * * * *", "robfig-v1").fields!.minutes, [10, 25, 40]);
    assert.deepEqual(parsed("0 1,,2, * * * *", "robfig-v1").fields!.minutes, [1, 2]);
  });

  it("quirks copied from upstream: `*-5` is `*`, a leading + is accepted by strconv.Atoi", () => {
    assert.equal(parsed("0 *-5 * * * *", "robfig-v1").fields!.minutes.length, 60);
    assert.deepEqual(parsed("0 0 +5 * * *", "robfig-v1").fields!.hours, [5]);
  });

  it("reproduces robfig's error messages", () => {
    const cases: [string, string][] = [
      ["x 0 0 * * *", 'Failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
      ["60 0 0 * * *", "End of range (60) above maximum (59): 60"],
      ["0 0 0 0 * *", "Beginning of range (0) below minimum (1): 0"],
      ["0 0 0 1-2-3 * *", "Too many hyphens: 1-2-3"],
      ["0 0 0 1/2/3 * *", "Too many slashes: 1/2/3"],
      ["0 0 0 */0 * *", "Step of range should be a positive number: */0"],
      ["0 0 5-1 * * *", "Beginning of range (5) beyond end of range (1): 5-1"],
      ["*/-5 * * * * *", "Negative number (-5) not allowed: -5"],
      ["-1 * * * * *", 'Failed to parse int from : strconv.Atoi: parsing "": invalid syntax'],
      ["0 0 0 L * *", 'Failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax'],
      ["0 0 0 * * 1#2", 'Failed to parse int from 1#2: strconv.Atoi: parsing "1#2": invalid syntax'],
      ["H 0 0 * * *", 'Failed to parse int from H: strconv.Atoi: parsing "H": invalid syntax'],
      ["99999999999999999999 * * * * *", 'Failed to parse int from 99999999999999999999: strconv.Atoi: parsing "99999999999999999999": value out of range'],
      ["9223372036854775807 * * * * *", "End of range (9223372036854775807) above maximum (59): 9223372036854775807"],
      ["TZ=UTC 0 0 * * *", 'Failed to parse int from TZ=UTC: strconv.Atoi: parsing "TZ=UTC": invalid syntax'],
    ];
    for (const [text, message] of cases) assert.equal(parseError(text, "robfig-v1"), message, text);
  });

  it("checks fields in order and stops at the first error", () => {
    assert.equal(parseError("61 0 99 * * *", "robfig-v1"), "End of range (61) above maximum (59): 61");
  });
});

describe("cnpg dialect: star bit (dom/dow AND vs OR)", () => {
  it("`*/n` sets the star bit in v1, so dom and dow are ANDed", () => {
    const s = parsed("0 0 0 */2 * 1", "robfig-v1");
    assert.equal(s.fields!.domStar, true);
    // Odd days that are Mondays: never two days in a row.
    assert.ok(analyzeIntervals(s).shortestGapSeconds >= 7 * DAY);
  });

  it("two restricted fields without a star are ORed", () => {
    const s = parsed("0 0 0 1 * 1", "robfig-v1");
    assert.equal(s.fields!.domStar || s.fields!.dowStar, false);
    assert.ok(analyzeIntervals(s).shortestGapSeconds <= 7 * DAY);
    // Mondays and the 1st: 2026-11-23 (Mon), 2026-11-30 (Mon), 2026-12-01 (1st).
    assert.deepEqual(nextFireTimes(s, FROM, 3).map((d) => d.toISOString().slice(0, 10)), ["2026-11-23", "2026-11-30", "2026-12-01"]);
  });

  it("`1-31` has no star bit: with a weekday it means every day", () => {
    assert.equal(analyzeIntervals(parsed("0 0 0 1-31 * 1", "robfig-v1")).longestGapSeconds, DAY);
  });
});

describe("cnpg dialect: descriptors", () => {
  it("accepts the robfig v1 descriptors, exact and case-sensitive, always with CNPG's warning", () => {
    const gaps: [string, number, number][] = [
      ["@yearly", 365 * DAY, 366 * DAY],
      ["@annually", 365 * DAY, 366 * DAY],
      ["@monthly", 28 * DAY, 31 * DAY],
      ["@weekly", 7 * DAY, 7 * DAY],
      ["@daily", DAY, DAY],
      ["@midnight", DAY, DAY],
      ["@hourly", 3600, 3600],
    ];
    for (const [text, shortest, longest] of gaps) {
      const r = parseSchedule(text, "robfig-v1");
      assert.ok(r.ok, text);
      assert.deepEqual(r.warnings, [CNPG_FIELD_COUNT_WARNING], text);
      assert.equal(r.schedule.fieldCount, null);
      assert.deepEqual(analyzeIntervals(r.schedule), { fires: true, shortestGapSeconds: shortest, longestGapSeconds: longest }, text);
    }
    assert.equal(parseError("@Daily", "robfig-v1"), "Unrecognized descriptor: @Daily");
    assert.equal(parseError("@reboot", "robfig-v1"), "Unrecognized descriptor: @reboot");
    assert.equal(parseError("@daily ", "robfig-v1"), "Unrecognized descriptor: @daily ");
  });

  it("a leading space stops a descriptor from being one", () => {
    assert.equal(parseError(" @daily", "robfig-v1"), "Expected 5 to 6 fields, found 1:  @daily");
  });

  it("@every takes a Go duration; below 1s becomes 1s, sub-seconds are truncated", () => {
    const cases: [string, number][] = [
      ["@every 1h30m", 5400],
      ["@every 500ms", 1],
      ["@every 0", 1],
      ["@every -5m", 1],
      ["@every 1.5s", 1],
      ["@every 90.9s", 90],
      ["@every 1.5h", 5400],
      ["@every 2h45m30.25s", 9930],
    ];
    for (const [text, seconds] of cases) {
      const s = parsed(text, "robfig-v1");
      assert.equal(s.descriptor, "@every");
      assert.equal(s.everySeconds, seconds, text);
      assert.deepEqual(analyzeIntervals(s), { fires: true, shortestGapSeconds: seconds, longestGapSeconds: seconds });
    }
    assert.equal(parseError("@every 1d", "robfig-v1"), 'Failed to parse duration @every 1d: time: unknown unit "d" in duration "1d"');
    assert.equal(parseError("@every 5", "robfig-v1"), 'Failed to parse duration @every 5: time: missing unit in duration "5"');
    assert.equal(parseError("@every", "robfig-v1"), "Unrecognized descriptor: @every");
    assert.equal(parseError("@every ", "robfig-v1"), 'Failed to parse duration @every : time: invalid duration ""');
  });
});
