// Same-minute intersection of two schedules (cpo-schedule-collision: pgBackRest takes one lock per stanza).
//
// Two cron schedules share a minute exactly when that minute's hour is in both hour sets, its minute in both
// minute sets, and its day matches both day parts (seconds do not matter: any second of the minute counts).
// So the question is answered from the value sets: intersect hours and minutes, AND the day masks (one per month
// type, analysis.ts), then jump to the first matching day; no minute-by-minute or day-by-day walk. The pair's
// intersection and its last answer are memoised (bounded, cache.ts; checked against the two parsed schedules).
import type { CronSchedule } from "./types.ts";
import { commonDays, compile, firesInMinute, intersect, nextMatches, type Compiled } from "./analysis.ts";
import { GenerationCache } from "./cache.ts";

/** How many fires of an `@every` schedule we try before giving up (it is anchored at `from`, see below). */
const EVERY_SEARCH_LIMIT = 100_000;

/** Schedule pairs remembered; each entry is ~1 KB. */
export const PAIR_CACHE_LIMIT = 10_000;

interface Pair {
  a: CronSchedule;
  b: CronSchedule;
  hours: number[];
  minutes: number[];
  /** The days both match, or null when they share no minute at all. */
  masks: Int32Array | null;
  /** The last question asked (whole minutes: every `from` in one minute has the same answer) and its answer. */
  lastMinute: number;
  lastAnswer: number | null;
}

const pairs = new GenerationCache<string, Pair>(PAIR_CACHE_LIMIT / 2);

/** Forgets the memoised pairs (tests, benchmarks). */
export function resetCommonMinuteCache(): void {
  pairs.clear();
}

/** Memoised pairs, for tests. */
export function commonMinuteCacheSize(): number {
  return pairs.size;
}

function pairOf(a: CronSchedule, b: CronSchedule, ca: Compiled, cb: Compiled): Pair {
  const key = `${a.dialect}\u0000${a.source}\u0000${b.dialect}\u0000${b.source}`;
  const hit = pairs.get(key);
  // The same text parsed again (after the parse cache dropped it) is another object: recompute, never trust text alone.
  if (hit && hit.a === a && hit.b === b) return hit;
  const hours = intersect(ca.hours, cb.hours);
  const minutes = intersect(ca.minutes, cb.minutes);
  let masks: Int32Array | null = null;
  if (ca.seconds.length > 0 && cb.seconds.length > 0 && hours.length > 0 && minutes.length > 0) {
    masks = commonDays(ca, cb);
  }
  const pair: Pair = { a, b, hours, minutes, masks, lastMinute: NaN, lastAnswer: null };
  pairs.set(key, pair);
  return pair;
}

/** The first minute start strictly after `fromSeconds` in which both cron schedules fire (epoch s), or null. */
function cronFirstCommon(a: CronSchedule, b: CronSchedule, ca: Compiled, cb: Compiled, fromSeconds: number): number | null {
  const pair = pairOf(a, b, ca, cb);
  if (!pair.masks) return null;
  const minute = Math.floor(fromSeconds / 60);
  if (minute === pair.lastMinute) return pair.lastAnswer;
  // Minute starts strictly after `from`: search whole minutes with a single "second 0".
  const [t] = nextMatches(pair.masks, pair.hours, pair.minutes, [0], fromSeconds, 1);
  pair.lastMinute = minute;
  pair.lastAnswer = t ?? null;
  return pair.lastAnswer;
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
export function firstCommonMinute(a: CronSchedule, b: CronSchedule, from: Date): Date | null {
  const fromMs = from.getTime();
  if (!Number.isFinite(fromMs)) return null;
  const fromSeconds = Math.floor(fromMs / 1000);
  const ca = compile(a);
  const cb = compile(b);
  const everyA = a.everySeconds;
  const everyB = b.everySeconds;
  const minuteAfter = (Math.floor(fromSeconds / 60) + 1) * 60;
  if (ca && cb) {
    const t = cronFirstCommon(a, b, ca, cb, fromSeconds);
    return t === null ? null : new Date(t * 1000);
  }
  // One or both are `@every`.
  const everyMinute = (d: number | undefined) => d !== undefined && d <= 60;
  if (everyMinute(everyA) && everyMinute(everyB)) return new Date(minuteAfter * 1000);
  const cron = ca ?? cb;
  if (cron && (everyMinute(everyA) || everyMinute(everyB))) {
    const s = ca ? a : b;
    const t = cronFirstCommon(s, s, cron, cron, fromSeconds);
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
