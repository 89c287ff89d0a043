// Where cron-parser is used, and why only there.
//
// Our dialect layer (cnpg.ts, kubernetes.ts) tokenizes and validates and produces expanded field sets;
// cron-parser never sees the user's text, because its defaults differ from both operators (5 fields are
// minute-first, dow 7 = Sunday, L/W/#/H accepted, its own dom/dow rule). For *next fire times* we hand
// it a normalized, fully explicit six-field expression (numbers and lists only) whenever its dom/dow
// rule provably agrees with robfig's:
//   - robfig ANDs dom and dow when either carries the star bit, and ORs them otherwise;
//   - cron-parser ORs them when neither field is literally `*`, else uses the restricted one.
// So we route: AND where one side is the full set (write that side `*`), and OR (write both lists, or
// `*` for both when one side is full). A true AND of two restricted fields (robfig `*/2` in dom with
// dow `1` in v1) has no cron-parser equivalent and goes to our evaluator (analysis.ts). Interval
// analysis and same-minute intersection always use our evaluator (they need the 400-year cycle).
// test/cron/differential.test.ts proves agreement on the routed cases.
import { CronExpressionParser } from "cron-parser";
import type { CronSchedule } from "./types.ts";

function isFull(values: number[], min: number, max: number): boolean {
  return values.length === max - min + 1;
}

/** The explicit expression cron-parser evaluates exactly like robfig, or `undefined` when none exists. */
export function cronParserExpression(schedule: CronSchedule): string | undefined {
  const f = schedule.fields;
  if (!f || schedule.everySeconds !== undefined) return undefined;
  const lists = [f.seconds, f.minutes, f.hours, f.daysOfMonth, f.months, f.daysOfWeek];
  if (lists.some((l) => l.length === 0)) return undefined;
  const domFull = isFull(f.daysOfMonth, 1, 31);
  const dowFull = isFull(f.daysOfWeek, 0, 6);
  let dom: string;
  let dow: string;
  if (f.domStar || f.dowStar) {
    if (domFull) [dom, dow] = ["*", dowFull ? "*" : f.daysOfWeek.join(",")];
    else if (dowFull) [dom, dow] = [f.daysOfMonth.join(","), "*"];
    else return undefined; // a real intersection: our evaluator
  } else if (domFull || dowFull) [dom, dow] = ["*", "*"];
  else [dom, dow] = [f.daysOfMonth.join(","), f.daysOfWeek.join(",")];
  return [f.seconds.join(","), f.minutes.join(","), f.hours.join(","), dom, f.months.join(","), dow].join(" ");
}

/** Next fire times from cron-parser for a routed expression, in UTC. */
export function cronParserNextFireTimes(expression: string, from: Date, count: number): Date[] {
  const it = CronExpressionParser.parse(expression, { currentDate: from, tz: "UTC" });
  const out: Date[] = [];
  for (let i = 0; i < count && it.hasNext(); i++) out.push(it.next().toDate());
  return out;
}
