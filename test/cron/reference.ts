// The day-by-day evaluator this project used before the month masks (analysis.ts before issue 13), kept verbatim
// as an oracle: the new code must give exactly the same answers. Slow (walks the 146,097-day cycle).
import type { CronSchedule, IntervalAnalysis } from "../../src/cron/types.ts";
import { CYCLE_DAYS, DAY_KEY_COUNT, SECONDS_PER_DAY, cycleDayKeys, cycleIndex, dayKey } from "../../src/cron/calendar.ts";

interface Compiled {
  seconds: number[];
  minutes: number[];
  hours: number[];
  /** Whether a day with key `dayKey(month, dom, weekday)` matches the day part of the schedule. */
  dayTable: Uint8Array;
}

const compiledCache = new WeakMap<CronSchedule, Compiled | null>();

/** The cron part ready for evaluation; `null` for `@every` or a schedule without fields. */
function compile(schedule: CronSchedule): Compiled | null {
  const hit = compiledCache.get(schedule);
  if (hit !== undefined) return hit;
  const f = schedule.fields;
  let out: Compiled | null = null;
  if (f && schedule.everySeconds === undefined) {
    const months = new Set(f.months);
    const doms = new Set(f.daysOfMonth);
    const dows = new Set(f.daysOfWeek);
    const and = f.domStar || f.dowStar; // robfig spec.go dayMatches
    const dayTable = new Uint8Array(DAY_KEY_COUNT);
    for (let month = 1; month <= 12; month++) {
      if (!months.has(month)) continue;
      for (let dom = 1; dom <= 31; dom++) {
        for (let weekday = 0; weekday < 7; weekday++) {
          const domMatch = doms.has(dom);
          const dowMatch = dows.has(weekday);
          if (and ? domMatch && dowMatch : domMatch || dowMatch) dayTable[dayKey(month, dom, weekday)] = 1;
        }
      }
    }
    out = { seconds: f.seconds, minutes: f.minutes, hours: f.hours, dayTable };
  }
  compiledCache.set(schedule, out);
  return out;
}

interface DayGaps {
  count: number;
  minGap: number;
  maxGap: number;
}

/** Shortest and longest gap, in days, between matching days over the cycle (wrapping around). */
function dayGaps(dayTable: Uint8Array): DayGaps {
  // Fast path: every (month, day, weekday) matches, i.e. every day of the year.
  if (dayTable.every((v) => v === 1)) return { count: CYCLE_DAYS, minGap: 1, maxGap: 1 };
  const keys = cycleDayKeys();
  let first = -1;
  let prev = -1;
  let count = 0;
  let minGap = Infinity;
  let maxGap = 0;
  for (let i = 0; i < CYCLE_DAYS; i++) {
    if (dayTable[keys[i]!] === 0) continue;
    count++;
    if (prev >= 0) {
      const gap = i - prev;
      if (gap < minGap) minGap = gap;
      if (gap > maxGap) maxGap = gap;
    } else first = i;
    prev = i;
  }
  if (count === 0) return { count, minGap: Infinity, maxGap: Infinity };
  const wrap = first + CYCLE_DAYS - prev;
  return { count, minGap: Math.min(minGap, wrap), maxGap: Math.max(maxGap, wrap) };
}

/** Gaps between neighbouring times of day in T = hours x minutes x seconds (lexicographic). */
function timeOfDayGaps(c: Compiled): { min: number; max: number; first: number; last: number } {
  const { seconds: S, minutes: M, hours: H } = c;
  let min = Infinity;
  let max = -Infinity;
  const note = (gap: number) => {
    if (gap < min) min = gap;
    if (gap > max) max = gap;
  };
  for (let i = 1; i < S.length; i++) note(S[i]! - S[i - 1]!);
  const s0 = S[0]!;
  const sLast = S[S.length - 1]!;
  for (let i = 1; i < M.length; i++) note((M[i]! - M[i - 1]!) * 60 + s0 - sLast);
  const m0 = M[0]! * 60 + s0;
  const mLast = M[M.length - 1]! * 60 + sLast;
  for (let i = 1; i < H.length; i++) note((H[i]! - H[i - 1]!) * 3600 + m0 - mLast);
  return { min, max, first: H[0]! * 3600 + m0, last: H[H.length - 1]! * 3600 + mLast };
}

const NEVER: IntervalAnalysis = Object.freeze({ fires: false, shortestGapSeconds: Infinity, longestGapSeconds: Infinity });

/** Exact, UTC. Bounded: one pass over the 146,097-day cycle plus the (at most 24+60+60) field values. */
function computeIntervals(schedule: CronSchedule): IntervalAnalysis {
  if (schedule.everySeconds !== undefined) {
    return { fires: true, shortestGapSeconds: schedule.everySeconds, longestGapSeconds: schedule.everySeconds };
  }
  const c = compile(schedule);
  if (!c || c.seconds.length === 0 || c.minutes.length === 0 || c.hours.length === 0) return NEVER;
  const days = dayGaps(c.dayTable);
  if (days.count === 0) return NEVER;
  const t = timeOfDayGaps(c);
  const across = (gapDays: number) => gapDays * SECONDS_PER_DAY + t.first - t.last;
  return {
    fires: true,
    shortestGapSeconds: Math.min(t.min, across(days.minGap)),
    longestGapSeconds: Math.max(t.max, across(days.maxGap)),
  };
}

const MAX_MS = 8.64e15;

function dayMatches(c: Compiled, epochDay: number): boolean {
  return c.dayTable[cycleDayDayKey(epochDay)] === 1;
}

function cycleDayDayKey(epochDay: number): number {
  return cycleDayKeys()[cycleIndex(epochDay)]!;
}

/** First second-of-day in T at or after `from` (0..86399), or -1. */
function nextTimeOfDay(hours: number[], minutes: number[], seconds: number[], from: number): number {
  const fh = Math.floor(from / 3600);
  const fm = Math.floor((from % 3600) / 60);
  const fs = from % 60;
  for (const h of hours) {
    if (h < fh) continue;
    for (const m of minutes) {
      if (h === fh && m < fm) continue;
      for (const s of seconds) {
        if (h === fh && m === fm && s < fs) continue;
        return h * 3600 + m * 60 + s;
      }
    }
  }
  return -1;
}

/**
 * The first `count` times (epoch seconds) strictly after `fromSeconds` matching the day predicate and
 * T. Bounded: gives up after one full calendar cycle without a match.
 */
function nextMatches(
  isDay: (epochDay: number) => boolean,
  hours: number[],
  minutes: number[],
  seconds: number[],
  fromSeconds: number,
  count: number,
): number[] {
  const out: number[] = [];
  if (hours.length === 0 || minutes.length === 0 || seconds.length === 0) return out;
  let t = fromSeconds + 1;
  let day = Math.floor(t / SECONDS_PER_DAY);
  let tod = t - day * SECONDS_PER_DAY;
  let daysWithout = 0;
  while (out.length < count && daysWithout <= CYCLE_DAYS + 1 && day * SECONDS_PER_DAY * 1000 < MAX_MS) {
    const x = isDay(day) ? nextTimeOfDay(hours, minutes, seconds, tod) : -1;
    if (x >= 0) {
      out.push(day * SECONDS_PER_DAY + x);
      daysWithout = 0;
      t = day * SECONDS_PER_DAY + x + 1;
      day = Math.floor(t / SECONDS_PER_DAY);
      tod = t - day * SECONDS_PER_DAY;
    } else {
      day++;
      tod = 0;
      daysWithout++;
    }
  }
  return out;
}

/** Our evaluator for next fire times of a cron (non-`@every`) schedule. */
function evaluatorNextFireTimes(schedule: CronSchedule, from: Date, count: number): Date[] {
  const c = compile(schedule);
  const fromMs = from.getTime();
  if (!c || !Number.isFinite(fromMs)) return [];
  return nextMatches((d) => dayMatches(c, d), c.hours, c.minutes, c.seconds, Math.floor(fromMs / 1000), count).map(
    (s) => new Date(s * 1000),
  );
}

function intersect(a: number[], b: number[]): number[] {
  const set = new Set(b);
  return a.filter((v) => set.has(v));
}

/** Whether the cron schedule fires at some second within the minute starting at `minuteStart` (epoch s). */
function firesInMinute(c: Compiled, minuteStart: number): boolean {
  const day = Math.floor(minuteStart / SECONDS_PER_DAY);
  const tod = minuteStart - day * SECONDS_PER_DAY;
  return (
    c.seconds.length > 0 &&
    c.hours.includes(Math.floor(tod / 3600)) &&
    c.minutes.includes(Math.floor((tod % 3600) / 60)) &&
    dayMatches(c, day)
  );
}

{ dayMatches };

/** How many fires of an `@every` schedule we try before giving up (it is anchored at `from`, see below). */
const EVERY_SEARCH_LIMIT = 100_000;

function cronFirstCommon(a: Compiled, b: Compiled, fromSeconds: number): number | null {
  if (a.seconds.length === 0 || b.seconds.length === 0) return null;
  const hours = intersect(a.hours, b.hours);
  const minutes = intersect(a.minutes, b.minutes);
  // Minute starts strictly after `from`: search whole minutes with a single "second 0".
  const [t] = nextMatches((d) => dayMatches(a, d) && dayMatches(b, d), hours, minutes, [0], fromSeconds, 1);
  return t ?? null;
}

/** Whether an `@every d` schedule started at `anchor` fires in [minuteStart, minuteStart+60). */
function everyFiresInMinute(d: number, anchor: number, minuteStart: number): boolean {
  const j = Math.max(1, Math.ceil((minuteStart - anchor) / d));
  return anchor + j * d < minuteStart + 60;
}

/**
 * The first minute (its start, strictly after `from`) in which both schedules fire, or null.
 * Cron schedules: exact, through the 400-year day cycle. `@every d`: robfig counts it from when the
 * schedule was started, which we cannot know, so it is anchored at `from`; d <= 60s fires every minute.
 */
function firstCommonMinute(a: CronSchedule, b: CronSchedule, from: Date): Date | null {
  const fromMs = from.getTime();
  if (!Number.isFinite(fromMs)) return null;
  const fromSeconds = Math.floor(fromMs / 1000);
  const ca = compile(a);
  const cb = compile(b);
  const everyA = a.everySeconds;
  const everyB = b.everySeconds;
  const minuteAfter = (Math.floor(fromSeconds / 60) + 1) * 60;
  if (ca && cb) {
    const t = cronFirstCommon(ca, cb, fromSeconds);
    return t === null ? null : new Date(t * 1000);
  }
  // One or both are `@every`.
  const everyMinute = (d: number | undefined) => d !== undefined && d <= 60;
  if (everyMinute(everyA) && everyMinute(everyB)) return new Date(minuteAfter * 1000);
  const cron = ca ?? cb;
  if (cron && (everyMinute(everyA) || everyMinute(everyB))) {
    const t = cronFirstCommon(cron, cron, fromSeconds);
    return t === null ? null : new Date(t * 1000);
  }
  const step = everyA ?? everyB;
  const other = everyA !== undefined ? b : a;
  if (step === undefined) return null;
  const otherCompiled = compile(other);
  for (let k = 1; k <= EVERY_SEARCH_LIMIT; k++) {
    const fire = fromSeconds + k * step;
    const minuteStart = Math.floor(fire / 60) * 60;
    if (minuteStart <= fromSeconds) continue;
    const match = otherCompiled
      ? firesInMinute(otherCompiled, minuteStart)
      : other.everySeconds !== undefined && everyFiresInMinute(other.everySeconds, fromSeconds, minuteStart);
    if (match) return new Date(minuteStart * 1000);
  }
  return null;
}

export {
  compile as referenceCompile,
  computeIntervals as referenceIntervals,
  evaluatorNextFireTimes as referenceNextFireTimes,
  firstCommonMinute as referenceFirstCommonMinute,
};
