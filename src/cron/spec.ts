// Turning robfig field strings and descriptors into a CronSchedule, shared by both dialects.
import type { CronSchedule, Dialect } from "./types.ts";
import { BOUNDS, getField, type Flavor } from "./fields.ts";
import { everySeconds, parseGoDuration } from "./goduration.ts";

export type SpecResult = { ok: true; schedule: CronSchedule } | { ok: false; error: string };

/** Longest schedule text we analyse; anything longer is refused with a message, keeping time bounded. */
export const MAX_SCHEDULE_LENGTH = 1000;

/** robfig's descriptors as the six fields they stand for (the star bits come out the same as upstream's). */
const DESCRIPTOR_FIELDS: Record<string, readonly string[]> = {
  "@yearly": ["0", "0", "0", "1", "1", "*"],
  "@annually": ["0", "0", "0", "1", "1", "*"],
  "@monthly": ["0", "0", "0", "1", "*", "*"],
  "@weekly": ["0", "0", "0", "*", "*", "0"],
  "@daily": ["0", "0", "0", "*", "*", "*"],
  "@midnight": ["0", "0", "0", "*", "*", "*"],
  "@hourly": ["0", "0", "*", "*", "*", "*"],
};

function lower(flavor: Flavor, text: string): string {
  return flavor === "v1" ? text : text[0]!.toLowerCase() + text.slice(1);
}

/**
 * Parsed fields per (flavor, position, text): a field's parse is a pure function of those, and the same field texts
 * (`0`, `*`, `1-5`, `*\/15`) recur across thousands of schedules. The value lists are frozen (they are shared by every
 * schedule with that field). Bounded: a table is emptied when it is full.
 */
const FIELD_CACHE_LIMIT = 2048;
type FieldResult = ReturnType<typeof getField>;
const fieldCaches: Record<Flavor, Map<string, FieldResult>[]> = {
  v1: BOUNDS.map(() => new Map()),
  v3: BOUNDS.map(() => new Map()),
};

/** Forgets the parsed fields (resetScheduleCaches: a fresh process has none). */
export function resetFieldCache(): void {
  for (const caches of Object.values(fieldCaches)) for (const c of caches) c.clear();
}

function cachedField(flavor: Flavor, i: number, text: string): FieldResult {
  const cache = fieldCaches[flavor][i]!;
  let r = cache.get(text);
  if (r === undefined) {
    r = getField(flavor, text, BOUNDS[i]!);
    if (r.ok) {
      Object.freeze(r.value.values);
      Object.freeze(r.value);
    }
    if (cache.size >= FIELD_CACHE_LIMIT) cache.clear();
    cache.set(text, r);
  }
  return r;
}

/** Six fields (seconds first) to expanded sets; the first field error wins, like upstream. */
export function fromSixFields(
  six: readonly string[],
  flavor: Flavor,
  base: { dialect: Dialect; source: string; fieldCount: number | null; descriptor?: string },
): SpecResult {
  const sets: { values: number[]; star: boolean }[] = [];
  for (let i = 0; i < BOUNDS.length; i++) {
    const parsed = cachedField(flavor, i, six[i]!);
    if (!parsed.ok) return parsed;
    sets.push(parsed.value);
  }
  const [seconds, minutes, hours, dom, months, dow] = sets as [typeof sets[0], typeof sets[0], typeof sets[0], typeof sets[0], typeof sets[0], typeof sets[0]];
  const schedule: CronSchedule = {
    ...base,
    fields: {
      seconds: seconds.values,
      minutes: minutes.values,
      hours: hours.values,
      daysOfMonth: dom.values,
      months: months.values,
      daysOfWeek: dow.values,
      domStar: dom.star,
      dowStar: dow.star,
    },
  };
  if (base.descriptor === undefined) delete schedule.descriptor;
  return { ok: true, schedule };
}

/** robfig `parseDescriptor`: exact, case-sensitive names, or `@every <Go duration>`. */
export function parseDescriptor(text: string, flavor: Flavor, dialect: Dialect): SpecResult {
  const six = DESCRIPTOR_FIELDS[text];
  if (six && Object.hasOwn(DESCRIPTOR_FIELDS, text)) {
    return fromSixFields(six, flavor, { dialect, source: text, fieldCount: null, descriptor: text });
  }
  const every = "@every ";
  if (text.startsWith(every)) {
    const d = parseGoDuration(text.slice(every.length));
    if (!d.ok) return { ok: false, error: lower(flavor, `Failed to parse duration ${text}: ${d.error}`) };
    return {
      ok: true,
      schedule: { dialect, source: text, fieldCount: null, descriptor: "@every", everySeconds: everySeconds(d.nanoseconds) },
    };
  }
  return { ok: false, error: lower(flavor, `Unrecognized descriptor: ${text}`) };
}

export function tooLong(text: string): string {
  return `the schedule is ${text.length} characters long; pg-backup-guard analyses schedules of at most ${MAX_SCHEDULE_LENGTH} characters (a real cron schedule is far shorter)`;
}
