import type { Dialect } from "../../src/cron/index.ts";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { firstCommonMinute } from "../../src/cron/index.ts";
import { parsed } from "./helpers.ts";

const FROM = new Date("2026-11-22T12:00:00Z"); // a Sunday

function common(a: string, b: string, from = FROM, dialect: Dialect = "kubernetes"): string | null {
  return firstCommonMinute(parsed(a, dialect), parsed(b, dialect), from)?.toISOString() ?? null;
}

describe("firstCommonMinute", () => {
  it("daily 02:30 and every 30 minutes collide at 02:30", () => {
    assert.equal(common("30 2 * * *", "*/30 * * * *"), "2026-11-23T02:30:00.000Z");
  });

  it("Mondays and the 1st collide only on a Monday the 1st", () => {
    assert.equal(common("0 1 * * 1", "0 1 1 * *"), "2027-02-01T01:00:00.000Z");
  });

  it("different hours never collide; neither do Feb 30 schedules", () => {
    assert.equal(common("0 1 * * 1", "0 2 1 * *"), null);
    assert.equal(common("0 1 30 2 *", "0 1 * * *"), null);
  });

  it("is strictly after `from`", () => {
    assert.equal(common("30 2 * * *", "30 2 * * *", new Date("2026-11-23T02:30:00Z")), "2026-11-24T02:30:00.000Z");
    assert.equal(common("30 2 * * *", "30 2 * * *", new Date("2026-11-23T02:29:59Z")), "2026-11-23T02:30:00.000Z");
  });

  it("cnpg: different seconds in the same minute still share the minute", () => {
    assert.equal(common("0 30 2 * * *", "45 30 2 * * *", FROM, "robfig-v1"), "2026-11-23T02:30:00.000Z");
  });

  it("finds rare coincidences: Feb 29 on a Monday", () => {
    assert.equal(common("0 0 29 2 *", "0 0 * * 1"), "2044-02-29T00:00:00.000Z");
  });

  it("@every: up to 60 s fires every minute; longer ones are counted from `from`", () => {
    assert.equal(common("@every 30s", "30 2 * * *"), "2026-11-23T02:30:00.000Z");
    assert.equal(common("@every 1h", "0 * * * *"), "2026-11-22T13:00:00.000Z");
    assert.equal(common("@every 2h", "@every 3h"), "2026-11-22T18:00:00.000Z");
  });
});
