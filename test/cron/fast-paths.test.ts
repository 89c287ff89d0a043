// Seeded random differential tests for the month-mask evaluator (issue 13): gaps, next fire times and the first
// common minute must be exactly what the old day-by-day evaluator (reference.ts) gives, and the common minute
// what a brute-force minute walk with Date's own UTC calendar finds over a bounded horizon. Memoisation must
// never return an answer for another schedule, pair or minute.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { analyzeIntervals, firstCommonMinute, parseSchedule, resetScheduleCaches, type CronSchedule, type Dialect } from "../../src/cron/index.ts";
import { computeIntervals, evaluatorNextFireTimes } from "../../src/cron/analysis.ts";
import { commonMinuteCacheSize, PAIR_CACHE_LIMIT } from "../../src/cron/common.ts";
import { referenceFirstCommonMinute, referenceIntervals, referenceNextFireTimes } from "./reference.ts";
import { parsed } from "./helpers.ts";

/** mulberry32: the same cases on every run; a failure message names the schedules. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** One cron field from small pieces, biased towards values that meet (and days that rarely exist). */
function field(r: () => number, min: number, max: number, favourites: number[], names?: string[]): string {
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const value = () => (r() < 0.6 ? favourites[Math.floor(r() * favourites.length)]! : int(min, max));
  const name = (v: number) => (names && r() < 0.3 ? names[v - min]! : String(v));
  const item = (): string => {
    const x = r();
    if (x < 0.25) return "*";
    if (x < 0.3) return "?";
    if (x < 0.55) return name(value());
    if (x < 0.7) {
      const a = value();
      const b = Math.min(max, a + int(0, max - min));
      return `${name(a)}-${name(b)}`;
    }
    if (x < 0.8) return `*/${int(1, 12)}`;
    if (x < 0.9) return `${value()}/${int(2, 11)}`;
    const a = int(min, max);
    return `${a}-${Math.min(max, a + int(1, max - min))}/${int(2, 7)}`;
  };
  const n = r() < 0.75 ? 1 : int(2, 3);
  return Array.from({ length: n }, item).join(",");
}

function randomText(r: () => number, dialect: Dialect): string {
  if (r() < 0.04) return ["@daily", "@hourly", "@weekly", "@monthly", "@yearly"][Math.floor(r() * 5)]!;
  const minute = field(r, 0, 59, [0, 15, 30, 45, 5]);
  const hour = field(r, 0, 23, [0, 1, 2, 3, 12]);
  const dom = field(r, 1, 31, [1, 13, 15, 28, 29, 30, 31]);
  const month = field(r, 1, 12, [1, 2, 4, 12], MONTHS);
  const dow = field(r, 0, 6, [0, 1, 5, 6], DAYS);
  if (dialect === "kubernetes") return `${minute} ${hour} ${dom} ${month} ${dow}`;
  return `${field(r, 0, 59, [0, 30])} ${minute} ${hour} ${dom} ${month} ${dow}`;
}

function randomSchedules(seed: number, count: number, dialect: Dialect): CronSchedule[] {
  const r = rng(seed);
  const out: CronSchedule[] = [];
  while (out.length < count) {
    const p = parseSchedule(randomText(r, dialect), dialect);
    if (p.ok) out.push(p.schedule);
  }
  return out;
}

function randomFrom(r: () => number): Date {
  const x = r();
  if (x < 0.1) return new Date(8.64e15 - Math.floor(r() * 400 * 86_400_000)); // near the end of the Date range
  if (x < 0.2) return new Date(-Math.floor(r() * 1e13)); // before 1970
  if (x < 0.3) return new Date(Math.floor(r() * 146_097 * 86_400_000 * 3)); // far future
  return new Date(Date.UTC(2026, 0, 1) + Math.floor(r() * 30 * 365 * 86_400_000)); // whole seconds and not
}

describe("month-mask evaluator = the old day-by-day evaluator", () => {
  for (const dialect of ["robfig-v1", "kubernetes"] as const) {
    it(`gaps of 400 random ${dialect} schedules`, () => {
      for (const s of randomSchedules(dialect === "robfig-v1" ? 1 : 2, 400, dialect)) {
        assert.deepEqual(computeIntervals(s), referenceIntervals(s), s.source);
      }
    });

    it(`next fire times of 300 random ${dialect} schedules from random instants`, () => {
      const r = rng(dialect === "robfig-v1" ? 3 : 4);
      for (const s of randomSchedules(dialect === "robfig-v1" ? 5 : 6, 300, dialect)) {
        const from = randomFrom(r);
        const got = evaluatorNextFireTimes(s, from, 7).map((d) => d.getTime());
        assert.deepEqual(got, referenceNextFireTimes(s, from, 7).map((d) => d.getTime()), `${s.source} from ${from.getTime()}`);
      }
    });
  }

  it("first common minute of 600 random pairs (cpo and cnpg) from random instants, identical", () => {
    const r = rng(7);
    for (const dialect of ["kubernetes", "robfig-v1"] as const) {
      const xs = randomSchedules(dialect === "kubernetes" ? 8 : 9, 600, dialect);
      for (let i = 0; i + 1 < xs.length; i += 2) {
        const from = randomFrom(r);
        const got = firstCommonMinute(xs[i]!, xs[i + 1]!, from)?.getTime() ?? null;
        const want = referenceFirstCommonMinute(xs[i]!, xs[i + 1]!, from)?.getTime() ?? null;
        assert.equal(got, want, `${xs[i]!.source} vs ${xs[i + 1]!.source} from ${from.getTime()}`);
      }
    }
  });

  it("rare and never-meeting pairs, and @every, identical", () => {
    const cases: [string, string][] = [
      ["0 0 29 2 *", "0 0 * * 1"],
      ["0 0 29 2 *", "0 0 * 2 1"],
      ["30 2 * * 0", "30 2 * * 1-6"],
      ["0 1 31 1,3 *", "0 1 30 * *"],
      ["0 1 31 2,4 *", "0 1 * * *"],
      ["3/7 5 * * *", "5/11 5 * * *"],
      ["0 */7 13 * 5", "0 */11 * * 5"],
      ["0 0 1-31/3 * *", "0 0 2-31/3 * *"],
      ["0 0 */2 * 1", "0 0 2-30/2 * 0"],
      ["@every 30s", "0 0 29 2 *"],
      ["@every 1h", "0 * 29 2 *"],
      ["@every 7m", "*/5 * * * *"],
      ["@every 2h", "@every 3h"],
    ];
    const r = rng(11);
    for (const [x, y] of cases) {
      for (let k = 0; k < 20; k++) {
        const from = randomFrom(r);
        const a = parsed(x, "kubernetes");
        const b = parsed(y, "kubernetes");
        assert.equal(firstCommonMinute(a, b, from)?.getTime() ?? null, referenceFirstCommonMinute(a, b, from)?.getTime() ?? null, `${x} vs ${y} from ${from.getTime()}`);
      }
    }
  });
});

/** robfig's day rule, from the expanded fields and Date's own calendar (independent of calendar.ts). */
function firesAt(s: CronSchedule, t: number): boolean {
  const f = s.fields!;
  const d = new Date(t * 1000);
  const dom = f.daysOfMonth.includes(d.getUTCDate());
  const dow = f.daysOfWeek.includes(d.getUTCDay());
  const day = f.domStar || f.dowStar ? dom && dow : dom || dow;
  return day && f.months.includes(d.getUTCMonth() + 1) && f.hours.includes(d.getUTCHours()) && f.minutes.includes(d.getUTCMinutes());
}

/** The first minute start after `from` in which both fire, walking day by day and, on days both match, minute by minute. */
function bruteForce(a: CronSchedule, b: CronSchedule, fromSeconds: number, horizonDays: number): number | null {
  const firstDay = Math.floor(fromSeconds / 86_400);
  for (let day = firstDay; day <= firstDay + horizonDays; day++) {
    const noon = day * 86_400 + 43_200;
    const d = new Date(noon * 1000);
    const dayOk = (s: CronSchedule) => {
      const f = s.fields!;
      const dom = f.daysOfMonth.includes(d.getUTCDate());
      const dow = f.daysOfWeek.includes(d.getUTCDay());
      return (f.domStar || f.dowStar ? dom && dow : dom || dow) && f.months.includes(d.getUTCMonth() + 1);
    };
    if (!dayOk(a) || !dayOk(b)) continue;
    for (let m = 0; m < 1440; m++) {
      const t = day * 86_400 + m * 60;
      if (t > fromSeconds && firesAt(a, t) && firesAt(b, t)) return t;
    }
  }
  return null;
}

describe("first common minute = a brute-force minute walk (Date's calendar, 3-year horizon)", () => {
  for (const dialect of ["kubernetes", "robfig-v1"] as const) {
    it(`${dialect}: 300 random pairs`, () => {
      const r = rng(dialect === "kubernetes" ? 21 : 22);
      const xs = randomSchedules(dialect === "kubernetes" ? 23 : 24, 600, dialect).filter((s) => s.fields && s.everySeconds === undefined);
      const horizon = 3 * 366;
      let met = 0;
      for (let i = 0; i + 1 < xs.length; i += 2) {
        const from = Date.UTC(2020, 0, 1) / 1000 + Math.floor(r() * 40 * 365 * 86_400);
        const got = firstCommonMinute(xs[i]!, xs[i + 1]!, new Date(from * 1000));
        const want = bruteForce(xs[i]!, xs[i + 1]!, from, horizon);
        const label = `${xs[i]!.source} vs ${xs[i + 1]!.source} from ${from}`;
        if (want !== null) {
          met++;
          assert.equal(got?.getTime(), want * 1000, label);
        } else assert.ok(got === null || got.getTime() / 1000 > from + horizon * 86_400, `${label}: got ${got?.toISOString()}`);
      }
      assert.ok(met > 30, `only ${met} pairs met: the generator no longer exercises the search`);
    });
  }
});

describe("memoisation", () => {
  it("answers per minute of `from`, not once per pair", () => {
    const a = parsed("30 2 * * *", "kubernetes");
    const b = parsed("*/30 * * * *", "kubernetes");
    const at = (iso: string) => firstCommonMinute(a, b, new Date(iso))?.toISOString();
    assert.equal(at("2026-11-23T02:29:59Z"), "2026-11-23T02:30:00.000Z");
    assert.equal(at("2026-11-23T02:29:00Z"), "2026-11-23T02:30:00.000Z");
    assert.equal(at("2026-11-23T02:30:00Z"), "2026-11-24T02:30:00.000Z");
    assert.equal(at("2026-11-23T02:29:30Z"), "2026-11-23T02:30:00.000Z");
  });

  it("never answers for a hand-made schedule with the same text as a parsed one", () => {
    const real = parsed("0 1 * * 0", "kubernetes");
    const incr = parsed("0 1 * * 1-6", "kubernetes");
    const from = new Date("2026-11-22T12:00:00Z");
    assert.equal(firstCommonMinute(real, incr, from), null);
    // Same source text, different fields (a caller's own object): must be computed, not taken from the cache.
    const fake: CronSchedule = { ...real, fields: { ...real.fields!, daysOfWeek: [1] } };
    assert.equal(firstCommonMinute(fake, incr, from)?.toISOString(), "2026-11-23T01:00:00.000Z");
    assert.equal(firstCommonMinute(real, incr, from), null);
  });

  it("is bounded", () => {
    resetScheduleCaches();
    const from = new Date("2026-11-22T12:00:00Z");
    const base = parsed("0 1 * * *", "kubernetes");
    for (let i = 0; i < PAIR_CACHE_LIMIT + 500; i++) {
      const other = parsed(`${i % 60} ${Math.floor(i / 60) % 24} ${1 + (Math.floor(i / 1440) % 28)} * *`, "kubernetes");
      firstCommonMinute(base, other, from);
    }
    assert.ok(commonMinuteCacheSize() <= PAIR_CACHE_LIMIT, String(commonMinuteCacheSize()));
  });

  it("gaps are computed once per parsed schedule and agree after the caches are reset", () => {
    const s1 = parsed("0 0 0 29 2 *", "robfig-v1");
    const g1 = analyzeIntervals(s1);
    assert.equal(analyzeIntervals(s1), g1);
    resetScheduleCaches();
    const s2 = parsed("0 0 0 29 2 *", "robfig-v1");
    assert.notEqual(s2, s1);
    assert.deepEqual(analyzeIntervals(s2), g1);
  });
});
