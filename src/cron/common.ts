// Same-minute intersection of two schedules (cpo-schedule-collision: pgBackRest takes one lock per stanza).
import type { CronSchedule } from "./types.ts";
import { compile, dayMatches, firesInMinute, intersect, nextMatches, type Compiled } from "./analysis.ts";

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
