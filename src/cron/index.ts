// The public face of the cron layer. Rules and the CLI use only these types and functions.
//
// Who answers which question (one path each):
//   parse            our dialect layer: cnpg.ts (robfig v1.2.0), kubernetes.ts (robfig v3.0.1 + K8s)
//   intervals        our evaluator over the 400-year cycle (analysis.ts)
//   next fire times  cron-parser on a normalized explicit expression when it provably agrees with
//                    robfig's dom/dow rule, our evaluator otherwise (cronparser.ts explains the split)
//   common minute    our evaluator (common.ts)
import type { CronSchedule, Dialect, IntervalAnalysis, ParseResult } from "./types.ts";
import { parseCnpg } from "./cnpg.ts";
import { parseCpo } from "./kubernetes.ts";
import { computeIntervals, evaluatorNextFireTimes, resetDayParts } from "./analysis.ts";
import { resetFieldCache } from "./spec.ts";
import { cronParserExpression, cronParserNextFireTimes } from "./cronparser.ts";
import { firstCommonMinute as commonMinute, resetCommonMinuteCache } from "./common.ts";
import { describeSchedule as describe } from "./describe.ts";
import { GenerationCache } from "./cache.ts";
export type { CronSchedule, Dialect, IntervalAnalysis, ParseResult } from "./types.ts";
export { CNPG_FIELD_COUNT_WARNING } from "./cnpg.ts";
export { K8S_TZ_MESSAGE } from "./kubernetes.ts";
export { MAX_SCHEDULE_LENGTH } from "./spec.ts";

/**
 * Parses are memoised per (dialect, text) in a bounded two-generation LRU (cache.ts); everything derived from a parse (compiled day
 * masks, gaps, common minutes of a pair, descriptions) is keyed by the parsed object, so it lives exactly as long as the parse.
 * Below that, pure functions of small keys are shared between parses, each bounded: a field's parse per (flavor, position,
 * text) (spec.ts) and a day part's masks, gaps and common days with another day part (analysis.ts).
 */
export const PARSE_CACHE_LIMIT = 10_000;
/** One memo per dialect (no key concatenation on the hot path); together at most PARSE_CACHE_LIMIT entries. */
const parseCaches: Record<Dialect, GenerationCache<string, ParseResult>> = {
  "robfig-v1": new GenerationCache(PARSE_CACHE_LIMIT / 4),
  kubernetes: new GenerationCache(PARSE_CACHE_LIMIT / 4),
};
const intervalCache = new WeakMap<CronSchedule, IntervalAnalysis>();

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (Array.isArray(value)) {
      // Mostly field values (numbers), often already frozen (spec.ts shares them): look only at objects.
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (typeof v === "object" && v !== null) deepFreeze(v);
      }
    } else for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function parseUncached(text: unknown, dialect: Dialect): ParseResult {
  if (typeof text !== "string") return { ok: false, error: `a schedule must be a string, got ${text === null ? "null" : typeof text}` };
  try {
    if (dialect === "robfig-v1") return parseCnpg(text);
    if (dialect === "kubernetes") return parseCpo(text);
    return { ok: false, error: `unknown cron dialect ${JSON.stringify(dialect)} (expected "robfig-v1" or "kubernetes")` };
  } catch (err) {
    // Never throw at callers; a bug here must surface as a message, not a crash.
    return { ok: false, error: `internal error while parsing the schedule: ${String(err)}` };
  }
}

/** Forgets every memoised parse and analysis (benchmarks measure a fresh process with it; tests). */
export function resetScheduleCaches(): void {
  parseCaches["robfig-v1"].clear();
  parseCaches.kubernetes.clear();
  resetCommonMinuteCache();
  resetFieldCache();
  resetDayParts();
}

/** Parses a schedule exactly as the operator's dialect does. Never throws; bounded for any input. */
export function parseSchedule(text: string, dialect: Dialect): ParseResult {
  const cache = typeof text === "string" && Object.hasOwn(parseCaches, dialect) ? parseCaches[dialect] : undefined;
  if (!cache) return parseUncached(text, dialect);
  const hit = cache.get(text);
  if (hit) return hit;
  const result = deepFreeze(parseUncached(text, dialect));
  cache.set(text, result);
  return result;
}

/** Exact shortest/longest gaps between fire times (UTC), bounded in time for any schedule. */
export function analyzeIntervals(schedule: CronSchedule): IntervalAnalysis {
  const hit = intervalCache.get(schedule);
  if (hit) return hit;
  let result: IntervalAnalysis;
  try {
    result = computeIntervals(schedule);
  } catch {
    result = { fires: false, shortestGapSeconds: Infinity, longestGapSeconds: Infinity };
  }
  intervalCache.set(schedule, result);
  return result;
}

/** At most this many fire times are computed per call. */
export const MAX_FIRE_TIMES = 1000;

/**
 * The next `count` fire times strictly after `from` (UTC). Fewer when it never fires. For `@every d`
 * robfig counts from when the schedule was started; we count from `from` (whole seconds).
 */
export function nextFireTimes(schedule: CronSchedule, from: Date, count: number): Date[] {
  const n = Math.max(0, Math.min(MAX_FIRE_TIMES, Math.floor(Number.isFinite(count) ? count : 0)));
  const fromMs = from instanceof Date ? from.getTime() : NaN;
  if (n === 0 || !Number.isFinite(fromMs)) return [];
  try {
    if (schedule.everySeconds !== undefined) {
      const start = Math.floor(fromMs / 1000);
      return Array.from({ length: n }, (_, i) => new Date((start + (i + 1) * schedule.everySeconds!) * 1000));
    }
    if (!analyzeIntervals(schedule).fires) return [];
    const expression = cronParserExpression(schedule);
    return expression !== undefined
      ? cronParserNextFireTimes(expression, from, n)
      : evaluatorNextFireTimes(schedule, from, n);
  } catch {
    return [];
  }
}

/** The first minute (its start, strictly after `from`) in which both schedules fire, or null if never. */
export function firstCommonMinute(a: CronSchedule, b: CronSchedule, from: Date): Date | null {
  try {
    return commonMinute(a, b, from);
  } catch {
    return null;
  }
}

/** How the operator reads the schedule, in words (e.g. "second 0, minute 0 of every hour (hourly)"). */
export function describeSchedule(schedule: CronSchedule): string {
  // A parsed schedule is deep-frozen (parseSchedule), so its description never changes: several rules' messages
  // describe the same schedule. A hand-made (unfrozen) one is described every time.
  const frozen = Object.isFrozen(schedule) && (schedule.fields === undefined || Object.isFrozen(schedule.fields));
  const hit = frozen ? descriptions.get(schedule) : undefined;
  if (hit !== undefined) return hit;
  let text: string;
  try {
    text = describe(schedule);
  } catch {
    text = "(no description available)";
  }
  if (frozen) descriptions.set(schedule, text);
  return text;
}

const descriptions = new WeakMap<CronSchedule, string>();
