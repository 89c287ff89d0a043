// The Gregorian calendar repeats every 400 years: 146,097 days, a whole number of weeks (20,871). So the
// days a cron schedule matches, taken over one 400-year cycle and wrapped around, give every gap it will
// ever have. This module holds one static table of that cycle (month, day of month, weekday per day).

export const CYCLE_DAYS = 146_097;
/** Days from 1970-01-01 to 2000-01-01, the first day of our cycle table (a Saturday). */
const CYCLE_START_EPOCH_DAY = 10_957;
export const SECONDS_PER_DAY = 86_400;

let dayKeys: Uint16Array | undefined;

/** `(month-1)*31*7 + (dom-1)*7 + weekday` for every day of the cycle, built once on first use. */
export function cycleDayKeys(): Uint16Array {
  if (dayKeys) return dayKeys;
  const keys = new Uint16Array(CYCLE_DAYS);
  let year = 2000;
  let month = 1;
  let dom = 1;
  let weekday = 6;
  for (let i = 0; i < CYCLE_DAYS; i++) {
    keys[i] = dayKey(month, dom, weekday);
    weekday = weekday === 6 ? 0 : weekday + 1;
    dom++;
    if (dom > daysInMonth(year, month)) {
      dom = 1;
      month++;
      if (month > 12) {
        month = 1;
        year++;
      }
    }
  }
  dayKeys = keys;
  return keys;
}

export const DAY_KEY_COUNT = 12 * 31 * 7;

export function dayKey(month: number, dom: number, weekday: number): number {
  return (month - 1) * 217 + (dom - 1) * 7 + weekday;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Position of a day (counted from 1970-01-01) in the cycle table. */
export function cycleIndex(epochDay: number): number {
  return (((epochDay - CYCLE_START_EPOCH_DAY) % CYCLE_DAYS) + CYCLE_DAYS) % CYCLE_DAYS;
}

/**
 * A month "type" decides which of its days match a schedule: the month, the weekday of its 1st and, for February,
 * whether it is a leap year. `monthType(month, weekdayOfFirst, leapFebruary)` numbers them 0..MONTH_TYPE_COUNT-1.
 */
export const MONTH_TYPE_COUNT = 12 * 7 * 2;

export function monthType(month: number, weekdayOfFirst: number, leapFebruary: boolean): number {
  return ((month - 1) * 7 + weekdayOfFirst) * 2 + (leapFebruary ? 1 : 0);
}

/** Months in the 400-year cycle (4,800). */
export const CYCLE_MONTHS = 4800;

export interface MonthTable {
  /** Cycle-day index of the 1st of each month, plus CYCLE_DAYS at the end. */
  starts: Int32Array;
  /** The month type of each month of the cycle. */
  types: Uint16Array;
}

let months: MonthTable | undefined;

/** The cycle's months (from January 2000), built once on first use. */
export function cycleMonths(): MonthTable {
  if (months) return months;
  const starts = new Int32Array(CYCLE_MONTHS + 1);
  const types = new Uint16Array(CYCLE_MONTHS);
  let day = 0;
  let weekday = 6; // 2000-01-01 was a Saturday
  for (let i = 0; i < CYCLE_MONTHS; i++) {
    const year = 2000 + Math.floor(i / 12);
    const month = (i % 12) + 1;
    const length = daysInMonth(year, month);
    starts[i] = day;
    types[i] = monthType(month, weekday, month === 2 && length === 29);
    day += length;
    weekday = (weekday + length) % 7;
  }
  starts[CYCLE_MONTHS] = day; // === CYCLE_DAYS
  months = { starts, types };
  return months;
}

/** The month (index into cycleMonths()) containing a cycle-day index. */
export function monthOfCycleDay(cycleDay: number): number {
  const { starts } = cycleMonths();
  let lo = 0;
  let hi = CYCLE_MONTHS - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= cycleDay) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A year "type": the weekday of its January 1st and whether it is a leap year (14 types). */
export const YEAR_TYPE_COUNT = 14;
export const CYCLE_YEARS = 400;

export interface YearTable {
  /** Cycle-day index of each January 1st, plus CYCLE_DAYS at the end. */
  starts: Int32Array;
  types: Uint8Array;
  /** For each year type: the month types of its 12 months and their first days (day of the year, 0-based). */
  monthTypes: Uint16Array;
  monthStarts: Int32Array;
}

let years: YearTable | undefined;

/** The cycle's years (from 2000), built once on first use. */
export function cycleYears(): YearTable {
  if (years) return years;
  const starts = new Int32Array(CYCLE_YEARS + 1);
  const types = new Uint8Array(CYCLE_YEARS);
  const monthTypes = new Uint16Array(YEAR_TYPE_COUNT * 12);
  const monthStarts = new Int32Array(YEAR_TYPE_COUNT * 12);
  for (let t = 0; t < YEAR_TYPE_COUNT; t++) {
    const leap = t % 2 === 1;
    let weekday = t >> 1;
    let day = 0;
    for (let m = 1; m <= 12; m++) {
      const length = m === 2 ? (leap ? 29 : 28) : daysInMonth(2001, m);
      monthTypes[t * 12 + m - 1] = monthType(m, weekday, m === 2 && leap);
      monthStarts[t * 12 + m - 1] = day;
      day += length;
      weekday = (weekday + length) % 7;
    }
  }
  let day = 0;
  let weekday = 6; // 2000-01-01 was a Saturday
  for (let i = 0; i < CYCLE_YEARS; i++) {
    const leap = isLeapYear(2000 + i);
    starts[i] = day;
    types[i] = weekday * 2 + (leap ? 1 : 0);
    const length = leap ? 366 : 365;
    day += length;
    weekday = (weekday + length) % 7;
  }
  starts[CYCLE_YEARS] = day;
  years = { starts, types, monthTypes, monthStarts };
  return years;
}
