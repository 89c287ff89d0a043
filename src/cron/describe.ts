// How the operator reads a schedule, in words: "second 0, minute 0 of every hour (hourly)".
import type { CronSchedule } from "./types.ts";
import { goDurationString } from "./goduration.ts";

const MONTHS = ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** `[0,1,2,5,10,20,30]` -> "0-2,5,10,20,30"; also spots an even step: `[0,15,30,45]` -> "every 15th from 0". */
export function compactList(values: number[], name: (v: number) => string = String): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; ) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
    parts.push(j - i >= 2 ? `${name(values[i]!)}-${name(values[j]!)}` : values.slice(i, j + 1).map(name).join(","));
    i = j + 1;
  }
  return parts.join(",");
}

function stepOf(values: number[]): number | undefined {
  if (values.length < 3) return undefined;
  const step = values[1]! - values[0]!;
  for (let i = 2; i < values.length; i++) if (values[i]! - values[i - 1]! !== step) return undefined;
  return step > 1 ? step : undefined;
}

function unitPhrase(values: number[], unit: string, full: number, every: string): string {
  if (values.length === 0) return `no ${unit} at all (an empty list)`;
  if (values.length === full) return every;
  if (values.length === 1) return `${unit} ${values[0]}`;
  const step = stepOf(values);
  if (step !== undefined) return `every ${step} ${unit}s from ${unit} ${values[0]} (${unit}s ${values.join(",")})`;
  return `${unit}s ${compactList(values)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function timePhrase(s: CronSchedule, withSeconds: boolean): string {
  const f = s.fields!;
  if (f.hours.length === 1 && f.minutes.length === 1 && f.seconds.length === 1) {
    const hhmm = `${pad(f.hours[0]!)}:${pad(f.minutes[0]!)}`;
    return `at ${withSeconds ? `${hhmm}:${pad(f.seconds[0]!)}` : hhmm} UTC`;
  }
  const minutes = unitPhrase(f.minutes, "minute", 60, "every minute");
  const hours = unitPhrase(f.hours, "hour", 24, "every hour");
  const minuteOfHour = `${minutes} of ${hours === "every hour" ? "every hour" : hours}`;
  if (!withSeconds) return minuteOfHour;
  return `${unitPhrase(f.seconds, "second", 60, "every second")}, ${minuteOfHour}`;
}

function dayPhrase(s: CronSchedule): string {
  const f = s.fields!;
  const allDom = f.daysOfMonth.length === 31;
  const allDow = f.daysOfWeek.length === 7;
  const allMonths = f.months.length === 12;
  const and = f.domStar || f.dowStar;
  const dom = `day-of-month ${compactList(f.daysOfMonth)}`;
  const dow = f.daysOfWeek.length === 0 ? "no weekday" : f.daysOfWeek.map((d) => WEEKDAYS[d]).join(", ");
  let days: string;
  if (and) {
    if (allDom && allDow) days = "every day";
    else if (allDom) days = `on ${dow}`;
    else if (allDow) days = `on ${dom}`;
    else days = `on ${dom} when it is also a ${dow} (both must match: one field was written as * or ?)`;
  } else if (allDom || allDow) {
    days = "every day (day of month and day of week are combined with OR, and one of them matches every day)";
  } else days = `on ${dom} or on any ${dow} (either matches: neither field was written as * or ?)`;
  const months = allMonths ? "" : ` in ${compactList(f.months, (m) => MONTHS[m] ?? String(m))}`;
  return days + months;
}

/** A familiar name when the schedule is exactly one of the classic periods. */
function nickname(s: CronSchedule): string | undefined {
  const f = s.fields!;
  const and = f.domStar || f.dowStar;
  const everyDay = and ? f.daysOfMonth.length === 31 && f.daysOfWeek.length === 7 : f.daysOfMonth.length === 31 || f.daysOfWeek.length === 7;
  const allMonths = f.months.length === 12;
  const singleTime = f.seconds.length === 1 && f.minutes.length === 1 && f.hours.length === 1;
  if (f.seconds.length === 1 && f.minutes.length === 1 && f.hours.length === 24 && everyDay && allMonths) return "hourly";
  if (!singleTime || !and) return undefined;
  if (everyDay && allMonths) return "daily";
  if (f.daysOfMonth.length === 31 && f.daysOfWeek.length === 1 && allMonths) return "weekly";
  // Only days every month (or year) has: the 29th-31st are skipped in short months.
  const commonDay = f.daysOfWeek.length === 7 && f.daysOfMonth.length === 1 && f.daysOfMonth[0]! <= 28;
  if (commonDay && allMonths) return "monthly";
  if (commonDay && f.months.length === 1) return "yearly";
  return undefined;
}

export function describeSchedule(s: CronSchedule): string {
  if (s.everySeconds !== undefined) {
    return `every ${goDurationString(s.everySeconds)}, counted from when the schedule starts (not aligned to the clock)`;
  }
  if (!s.fields) return "no fire times";
  const text = `${timePhrase(s, s.dialect === "robfig-v1")}, ${dayPhrase(s)}`;
  const name = nickname(s);
  const result = name ? `${text} (${name})` : text;
  return result.replace(", every day (hourly)", " (hourly)").replace(", every day (daily)", " (daily)");
}
