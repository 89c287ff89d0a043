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
