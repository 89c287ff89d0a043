// The cpo dialect: Kubernetes CronJob validation = robfig/cron v3.0.1 ParseStandard (parser.go at
// ccba498c) + validateScheduleFormat in kubernetes pkg/apis/batch/validation/validation.go.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { analyzeIntervals, parseSchedule, K8S_TZ_MESSAGE } from "../../src/cron/index.ts";
import { parsed, parseError, DAY } from "./helpers.ts";

describe("cpo dialect (Kubernetes CronJob)", () => {
  it("reads 5 fields minute first, seconds fixed at 0, no warnings", () => {
    const r = parseSchedule("30 2 * * *", "kubernetes");
    assert.ok(r.ok);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual([r.schedule.fields!.seconds, r.schedule.fields!.minutes, r.schedule.fields!.hours], [[0], [30], [2]]);
    assert.equal(r.schedule.fieldCount, 5);
  });

  it("rejects 6 fields (no seconds field) with v3's message", () => {
    assert.equal(parseError("0 30 2 * * *", "kubernetes"), "expected exactly 5 fields, found 6: [0 30 2 * * *]");
    assert.equal(parseError("30 2 * *", "kubernetes"), "expected exactly 5 fields, found 4: [30 2 * *]");
    assert.equal(parseError("", "kubernetes"), "empty spec string");
  });

  it("refuses any TZ / CRON_TZ (Kubernetes validateScheduleFormat on create)", () => {
    assert.equal(parseError("TZ=UTC 30 2 * * *", "kubernetes"), K8S_TZ_MESSAGE);
    assert.equal(parseError("CRON_TZ=Europe/Berlin 30 2 * * *", "kubernetes"), K8S_TZ_MESSAGE);
    // Both errors when the rest is bad too, as the API server lists both.
    assert.equal(parseError("TZ=UTC 30 2 * *", "kubernetes"), `expected exactly 5 fields, found 4: [30 2 * *]; ${K8S_TZ_MESSAGE}`);
  });

  it("uses lower-case v3 messages", () => {
    assert.equal(parseError("60 * * * *", "kubernetes"), "end of range (60) above maximum (59): 60");
    assert.equal(parseError("0 0 * * 7", "kubernetes"), "end of range (7) above maximum (6): 7");
    assert.equal(parseError("0 0 L * *", "kubernetes"), 'failed to parse int from L: strconv.Atoi: parsing "L": invalid syntax');
    assert.equal(parseError("@often", "kubernetes"), "unrecognized descriptor: @often");
    assert.equal(parseError("@every 1y", "kubernetes"), 'failed to parse duration @every 1y: time: unknown unit "y" in duration "1y"');
  });

  it("accepts descriptors including @every (ParseStandard has the Descriptor option)", () => {
    assert.equal(analyzeIntervals(parsed("@daily", "kubernetes")).longestGapSeconds, DAY);
    assert.equal(parsed("@every 1h", "kubernetes").everySeconds, 3600);
    assert.equal(parsed("@weekly", "kubernetes").fieldCount, null);
  });

  it("v3: `*/n` with n > 1 drops the star bit, so dom and dow are ORed", () => {
    const s = parsed("0 0 */2 * 1", "kubernetes");
    assert.equal(s.fields!.domStar, false);
    assert.equal(analyzeIntervals(s).shortestGapSeconds, DAY); // e.g. Sunday the 31st, then Monday the 1st
    // ... while `*/1` keeps it (AND with Monday: weekly).
    const star1 = parsed("0 0 */1 * 1", "kubernetes");
    assert.equal(star1.fields!.domStar, true);
    assert.equal(analyzeIntervals(star1).longestGapSeconds, 7 * DAY);
  });

  it("accepts ? and names like v1", () => {
    assert.deepEqual(parsed("0 0 ? * SUN", "kubernetes").fields!.daysOfWeek, [0]);
  });
});
