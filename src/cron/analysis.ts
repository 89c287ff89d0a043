// Our exact evaluator: robfig's matching rules (star-bit AND/OR of day of month and day of week) over
// the 400-year calendar cycle. Fire times are {matching days} x {time-of-day set T = H x M x S}, so every
// gap is either between neighbours in T, or between two matching days: dayGap*86400 + first(T) - last(T).
//
// Which days of a month match depends only on the month's "type" (month, weekday of the 1st, leap February;
// calendar.ts), so a schedule's day part compiles to one 31-bit day-of-month mask per type; gaps are combined per
// year type and then over the 400 years of the cycle, and searches jump month by month (at most 4,800 steps)
// instead of walking day by day (146,097).
import type { CronSchedule, IntervalAnalysis } from "./types.ts";
import {
  CYCLE_DAYS,
  CYCLE_MONTHS,
  CYCLE_YEARS,
  MONTH_TYPE_COUNT,
  YEAR_TYPE_COUNT,
  SECONDS_PER_DAY,
  cycleDayKeys,
  cycleIndex,
  cycleMonths,
  cycleYears,
  daysInMonth,
  monthOfCycleDay,
  monthType,
} from "./calendar.ts";

export interface Compiled {
  seconds: number[];
  minutes: number[];
  hours: number[];
  /** For each month type (calendar.ts `monthType`): bit d-1 is set when day d of such a month matches. */
  masks: Int32Array;
}

const compiledCache = new WeakMap<CronSchedule, Compiled | null>();

/** Bit v-offset for every integer v in [min, max] of the list (anything else in a hand-made schedule is ignored). */
function bits(values: readonly number[], min: number, max: number, offset: number): number {
  let out = 0;
  for (const v of values) if (Number.isInteger(v) && v >= min && v <= max) out |= 1 << (v - offset);
  return out;
}

/**
 * A day part is decided by four small numbers (the month, day-of-month and day-of-week bits and AND vs OR), so its
 * masks, and the day gaps they give, are computed once per distinct day part: thousands of schedules share a few.
 * Pure functions of the key (nothing can make them stale); the masks are never modified. Bounded: emptied when full.
 */
interface DayPart {
  masks: Int32Array;
  gaps?: DayGaps;
  /** Another day part -> the days both match (null: none). */
  common?: Map<DayPart, Int32Array | null>;
}

const DAY_PART_LIMIT = 4096;
/** Other day parts remembered per day part (commonDays). */
const COMMON_ROW_LIMIT = 256;
const dayParts = new Map<number, DayPart>();

/** Forgets the day parts (resetScheduleCaches: a fresh process has none). */
export function resetDayParts(): void {
  dayParts.clear();
}

function dayPartOf(f: NonNullable<CronSchedule["fields"]>): DayPart {
  const monthBits = bits(f.months, 1, 12, 1);
  const domBits = bits(f.daysOfMonth, 1, 31, 1);
  const dowBits = bits(f.daysOfWeek, 0, 6, 0);
  const and = f.domStar || f.dowStar;
  // 12 + 31 + 7 + 1 bits (domBits uses bits 0-30): an exact integer below 2^51.
  const key = ((monthBits * 2 ** 31 + domBits) * 128 + dowBits) * 2 + (and ? 1 : 0);
  let part = dayParts.get(key);
  if (part === undefined) {
    part = { masks: computeDayMasks(monthBits, domBits, dowBits, and) };
    if (dayParts.size >= DAY_PART_LIMIT) dayParts.clear();
    dayParts.set(key, part);
  }
  return part;
}

/** Day-of-month masks, one per month type, for a day part (robfig spec.go dayMatches: AND when a star bit is set). */
export function dayMasks(f: NonNullable<CronSchedule["fields"]>): Int32Array {
  return dayPartOf(f).masks;
}

function computeDayMasks(monthBits: number, domBits: number, dowBits: number, and: boolean): Int32Array {
  // byWeekday[w]: the days of a month starting on weekday w whose weekday is in the list.
  const byWeekday: number[] = [];
  for (let w = 0; w < 7; w++) {
    let m = 0;
    for (let dom = 1; dom <= 31; dom++) if (dowBits & (1 << ((w + dom - 1) % 7))) m |= 1 << (dom - 1);
    byWeekday.push(m);
  }
  const masks = new Int32Array(MONTH_TYPE_COUNT);
  for (let month = 1; month <= 12; month++) {
    if (!(monthBits & (1 << (month - 1)))) continue;
    for (let w = 0; w < 7; w++) {
      const days = and ? domBits & byWeekday[w]! : domBits | byWeekday[w]!;
      for (const leap of [false, true]) {
        const length = month === 2 ? (leap ? 29 : 28) : daysInMonth(2001, month);
        masks[monthType(month, w, leap)] = days & (length === 31 ? 0x7fffffff : (1 << length) - 1);
      }
    }
  }
  return masks;
}

/** The cron part ready for evaluation; `null` for `@every` or a schedule without fields. */
export function compile(schedule: CronSchedule): Compiled | null {
  const hit = compiledCache.get(schedule);
  if (hit !== undefined) return hit;
  const f = schedule.fields;
  let out: Compiled | null = null;
  if (f && schedule.everySeconds === undefined) {
    const part = dayPartOf(f);
    out = { seconds: f.seconds, minutes: f.minutes, hours: f.hours, masks: part.masks };
    dayPartOfCompiled.set(out, part);
  }
  compiledCache.set(schedule, out);
  return out;
}

const dayPartOfCompiled = new WeakMap<Compiled, DayPart>();

/** `dayGaps` of a compiled schedule's masks, once per day part. */
function dayGapsOf(c: Compiled): DayGaps {
  const part = dayPartOfCompiled.get(c);
  if (part === undefined) return dayGaps(c.masks);
  return (part.gaps ??= dayGaps(part.masks));
}

/** Index of the lowest set bit (x !== 0). */
function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}

function highestBit(x: number): number {
  return 31 - Math.clz32(x);
}

interface DayGaps {
  count: number;
  minGap: number;
  maxGap: number;
}

/** Matching days of one span (a month or a year type): how many, first and last (0-based), gaps inside it. */
interface SpanStats {
  count: Int32Array;
  first: Int32Array;
  last: Int32Array;
  /** Shortest / longest gap between matching days inside the span (Infinity / 0 with fewer than two). */
  innerMin: Float64Array;
  innerMax: Int32Array;
}

function spanStats(n: number): SpanStats {
  return { count: new Int32Array(n), first: new Int32Array(n), last: new Int32Array(n), innerMin: new Float64Array(n), innerMax: new Int32Array(n) };
}

/** Scratch space, reset on every use (dayGaps is synchronous and not re-entrant). */
const monthScratch = spanStats(MONTH_TYPE_COUNT);
const yearScratch = spanStats(YEAR_TYPE_COUNT);

function reset(s: SpanStats): SpanStats {
  s.count.fill(0);
  s.first.fill(0);
  s.last.fill(0);
  s.innerMin.fill(Infinity);
  s.innerMax.fill(0);
  return s;
}

/**
 * Shortest and longest gap, in days, between matching days over the cycle (wrapping around). Exact: per month type
 * from its mask, per year type from its 12 months, then one pass over the 400 years of the cycle.
 */
function dayGaps(masks: Int32Array): DayGaps {
  const months = reset(monthScratch);
  for (let t = 0; t < MONTH_TYPE_COUNT; t++) {
    let m = masks[t]!;
    if (m === 0) continue;
    months.first[t] = lowestBit(m);
    months.last[t] = highestBit(m);
    let prev = -1;
    let n = 0;
    while (m !== 0) {
      const b = lowestBit(m);
      m &= m - 1;
      n++;
      if (prev >= 0) {
        const gap = b - prev;
        if (gap < months.innerMin[t]!) months.innerMin[t] = gap;
        if (gap > months.innerMax[t]!) months.innerMax[t] = gap;
      }
      prev = b;
    }
    months.count[t] = n;
  }
  const cal = cycleYears();
  const yearStats = reset(yearScratch);
  for (let y = 0; y < YEAR_TYPE_COUNT; y++) {
    let prev = -1;
    for (let i = y * 12; i < y * 12 + 12; i++) {
      const t = cal.monthTypes[i]!;
      const n = months.count[t]!;
      if (n === 0) continue;
      const start = cal.monthStarts[i]!;
      const f = start + months.first[t]!;
      if (prev >= 0) {
        const gap = f - prev;
        if (gap < yearStats.innerMin[y]!) yearStats.innerMin[y] = gap;
        if (gap > yearStats.innerMax[y]!) yearStats.innerMax[y] = gap;
      } else yearStats.first[y] = f;
      if (n > 1) {
        if (months.innerMin[t]! < yearStats.innerMin[y]!) yearStats.innerMin[y] = months.innerMin[t]!;
        if (months.innerMax[t]! > yearStats.innerMax[y]!) yearStats.innerMax[y] = months.innerMax[t]!;
      }
      prev = start + months.last[t]!;
      yearStats.last[y] = prev;
      yearStats.count[y] = yearStats.count[y]! + n;
    }
  }
  let first = -1;
  let prev = -1;
  let total = 0;
  let minGap = Infinity;
  let maxGap = 0;
  for (let i = 0; i < CYCLE_YEARS; i++) {
    const y = cal.types[i]!;
    const n = yearStats.count[y]!;
    if (n === 0) continue;
    const start = cal.starts[i]!;
    const f = start + yearStats.first[y]!;
    if (prev >= 0) {
      const gap = f - prev;
      if (gap < minGap) minGap = gap;
      if (gap > maxGap) maxGap = gap;
    } else first = f;
    if (n > 1) {
      if (yearStats.innerMin[y]! < minGap) minGap = yearStats.innerMin[y]!;
      if (yearStats.innerMax[y]! > maxGap) maxGap = yearStats.innerMax[y]!;
    }
    prev = start + yearStats.last[y]!;
    total += n;
  }
  if (total === 0) return { count: 0, minGap: Infinity, maxGap: Infinity };
  const wrap = first + CYCLE_DAYS - prev;
  return { count: total, minGap: Math.min(minGap, wrap), maxGap: Math.max(maxGap, wrap) };
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

/** Exact, UTC. Bounded: 168 month types, 14 year types, the 400 years of the cycle and the (at most 24+60+60) field values. */
export function computeIntervals(schedule: CronSchedule): IntervalAnalysis {
  if (schedule.everySeconds !== undefined) {
    return { fires: true, shortestGapSeconds: schedule.everySeconds, longestGapSeconds: schedule.everySeconds };
  }
  const c = compile(schedule);
  if (!c || c.seconds.length === 0 || c.minutes.length === 0 || c.hours.length === 0) return NEVER;
  const days = dayGapsOf(c);
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

/** Whether a day (counted from 1970-01-01) matches the day part. */
function dayMatches(c: Compiled, epochDay: number): boolean {
  const key = cycleDayKeys()[cycleIndex(epochDay)]!; // (month-1)*217 + (dom-1)*7 + weekday
  const month = Math.floor(key / 217) + 1;
  const dom0 = Math.floor((key % 217) / 7);
  const weekdayOfFirst = (((key % 7) - dom0) % 7 + 7) % 7;
  // Day 29 of February exists only in a leap year; below it the leap and common types have the same bits.
  return (c.masks[monthType(month, weekdayOfFirst, month === 2 && dom0 === 28)]! & (1 << dom0)) !== 0;
}

/**
 * The first day (counted from 1970-01-01) at or after `epochDay` that matches `masks`, or NaN when no day of the
 * cycle does. Bounded: at most one cycle of months (4,801 steps).
 */
export function nextMatchingDay(masks: Int32Array, epochDay: number): number {
  const { starts, types } = cycleMonths();
  const ci = cycleIndex(epochDay);
  let base = epochDay - ci;
  let month = monthOfCycleDay(ci);
  let offset = ci - starts[month]!;
  for (let n = 0; n <= CYCLE_MONTHS; n++) {
    const m = masks[types[month]!]! & (-1 << offset);
    if (m !== 0) return base + starts[month]! + lowestBit(m);
    offset = 0;
    if (++month === CYCLE_MONTHS) {
      month = 0;
      base += CYCLE_DAYS;
    }
  }
  return NaN;
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
 * The first `count` times (epoch seconds) strictly after `fromSeconds` on days matching `masks` at a time of
 * day in hours x minutes x seconds. Bounded: jumps from one matching day to the next (each jump at most one
 * cycle of months) and stops at the end of the Date range.
 */
export function nextMatches(
  masks: Int32Array,
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
  while (out.length < count) {
    const next = nextMatchingDay(masks, day);
    if (Number.isNaN(next)) break;
    if (next !== day) {
      day = next;
      tod = 0;
    }
    if (day * SECONDS_PER_DAY * 1000 >= MAX_MS) break;
    const x = nextTimeOfDay(hours, minutes, seconds, tod);
    if (x >= 0) {
      out.push(day * SECONDS_PER_DAY + x);
      t = day * SECONDS_PER_DAY + x + 1;
      day = Math.floor(t / SECONDS_PER_DAY);
      tod = t - day * SECONDS_PER_DAY;
    } else {
      day++;
      tod = 0;
    }
  }
  return out;
}

/** Our evaluator for next fire times of a cron (non-`@every`) schedule. */
export function evaluatorNextFireTimes(schedule: CronSchedule, from: Date, count: number): Date[] {
  const c = compile(schedule);
  const fromMs = from.getTime();
  if (!c || !Number.isFinite(fromMs)) return [];
  return nextMatches(c.masks, c.hours, c.minutes, c.seconds, Math.floor(fromMs / 1000), count).map((s) => new Date(s * 1000));
}

/** The days both match. */
export function bothDays(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(MONTH_TYPE_COUNT);
  for (let t = 0; t < MONTH_TYPE_COUNT; t++) out[t] = a[t]! & b[t]!;
  return out;
}

/** Scratch table for `intersect`: mark[v] is set for the values of `b` (all cron values are small integers). */
const mark = new Uint8Array(64);

/** The values of `a` that are in `b`, in `a`'s order. */
export function intersect(a: number[], b: number[]): number[] {
  let small = true;
  for (const v of b) if (!(Number.isInteger(v) && v >= 0 && v < 64)) small = false;
  if (!small) {
    const set = new Set(b);
    return a.filter((v) => set.has(v));
  }
  for (const v of b) mark[v] = 1;
  // b holds only integers in [0, 64): anything else in `a` is not in b.
  const out = a.filter((v) => Number.isInteger(v) && v >= 0 && v < 64 && mark[v] === 1);
  for (const v of b) mark[v] = 0;
  return out;
}

/**
 * The days both compiled schedules match (`bothDays` of their masks), or null when they share none; once per pair of
 * day parts (a schedule's day part is shared by every schedule with the same one, see dayPartOf).
 */
export function commonDays(a: Compiled, b: Compiled): Int32Array | null {
  const pa = dayPartOfCompiled.get(a);
  const pb = dayPartOfCompiled.get(b);
  if (pa === undefined || pb === undefined || pa.masks !== a.masks || pb.masks !== b.masks) return someDay(bothDays(a.masks, b.masks));
  let row = pa.common;
  if (row === undefined) pa.common = row = new Map();
  let hit = row.get(pb);
  if (hit === undefined) {
    hit = someDay(bothDays(pa.masks, pb.masks));
    if (row.size >= COMMON_ROW_LIMIT) row.clear();
    row.set(pb, hit);
  }
  return hit;
}

const someDay = (masks: Int32Array): Int32Array | null => (masks.every((m) => m === 0) ? null : masks);

/** Whether the cron schedule fires at some second within the minute starting at `minuteStart` (epoch s). */
export function firesInMinute(c: Compiled, minuteStart: number): boolean {
  const day = Math.floor(minuteStart / SECONDS_PER_DAY);
  const tod = minuteStart - day * SECONDS_PER_DAY;
  return (
    c.seconds.length > 0 &&
    c.hours.includes(Math.floor(tod / 3600)) &&
    c.minutes.includes(Math.floor((tod % 3600) / 60)) &&
    dayMatches(c, day)
  );
}

export { dayMatches };
