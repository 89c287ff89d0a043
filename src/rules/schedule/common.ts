// Helpers the schedule rules share: parsed sources, example schedules, the operator's consequences.
import type { Problem } from "../../engine/types.ts";
import { describeSchedule, parseSchedule, type Dialect, type ParseResult } from "../../cron/index.ts";
import { boundedMemo } from "../../cron/cache.ts";
import { parseDuration, formatDuration } from "../../util/duration.ts";
import { hasPlaceholder } from "../../util/placeholder.ts";
import { placeholderScheduleNotChecked } from "../util.ts";
import type { ScheduleSource } from "./sources.ts";

export interface ParsedSource extends ScheduleSource {
  text: string;
  parsed: ParseResult;
}

/**
 * The string schedules among `sources` that can be judged, with their parse result: not those still holding a
 * `${…}` placeholder (substituted at deploy time; see placeholderSchedules).
 */
export function parseSources(sources: readonly ScheduleSource[]): ParsedSource[] {
  const out: ParsedSource[] = [];
  for (const s of sources) {
    if (s.text === null || hasPlaceholder(s.text)) continue;
    out.push({ ...s, text: s.text, parsed: parseSchedule(s.text, s.dialect) });
  }
  return out;
}

/** The not-checked answers for the schedules among `sources` that still hold a placeholder (those `keep` accepts). */
export function placeholderSchedules(sources: readonly ScheduleSource[], keep: (s: ScheduleSource) => boolean = () => true): Problem[] {
  const out: Problem[] = [];
  for (const s of sources) {
    if (!keep(s)) continue;
    const unresolved = placeholderScheduleNotChecked(s.text, s.path);
    if (unresolved) out.push(unresolved);
  }
  return out;
}

/** Base (CNPG) and full (CPO) schedules: the ones the frequency policy is about. */
export function isBaseOrFull(s: ScheduleSource): boolean {
  return s.role === "base" || s.role === "full";
}

/** Candidate schedules with exactly one gap, from frequent to rare. */
const CANDIDATES: ({ seconds: number } & Record<Dialect, string>)[] = [
  { seconds: 900, "robfig-v1": "0 */15 * * * *", kubernetes: "*/15 * * * *" },
  { seconds: 1800, "robfig-v1": "0 */30 * * * *", kubernetes: "*/30 * * * *" },
  { seconds: 3600, "robfig-v1": "0 0 * * * *", kubernetes: "0 * * * *" },
  { seconds: 7200, "robfig-v1": "0 0 */2 * * *", kubernetes: "0 */2 * * *" },
  { seconds: 21600, "robfig-v1": "0 0 */6 * * *", kubernetes: "0 */6 * * *" },
  { seconds: 43200, "robfig-v1": "0 0 */12 * * *", kubernetes: "0 */12 * * *" },
  { seconds: 86400, "robfig-v1": "0 0 0 * * *", kubernetes: "0 0 * * *" },
  { seconds: 604800, "robfig-v1": "0 0 0 * * 0", kubernetes: "0 0 * * 0" },
];

/**
 * A schedule whose every gap lies in [min, max] — daily when allowed — with its description. Memoised per
 * (dialect, min, max): a pure function of its arguments, asked once per finding of the frequency rules with the
 * policy's few bounds.
 */
export const exampleSchedule: (dialect: Dialect, minSeconds: number, maxSeconds: number) => string | undefined = boundedMemo(
  128, // at most 2 x 128 answers held
  (dialect, minSeconds, maxSeconds) => `${dialect} ${minSeconds} ${maxSeconds}`,
  computeExample,
);

function computeExample(dialect: Dialect, minSeconds: number, maxSeconds: number): string | undefined {
  const fitting = CANDIDATES.filter((c) => c.seconds >= minSeconds && c.seconds <= maxSeconds);
  if (fitting.length === 0) return undefined;
  const pick = fitting.find((c) => c.seconds === 86400) ?? fitting[fitting.length - 1]!;
  const text = pick[dialect];
  const parsed = parseSchedule(text, dialect);
  return parsed.ok ? `"${text}" (${describeSchedule(parsed.schedule)}, every ${formatDuration(pick.seconds)})` : `"${text}"`;
}

/** "Write e.g. <example>." with an exampleSchedule in [min, max], else `otherwise`. */
export function suggestSchedule(dialect: Dialect, minSeconds: number, maxSeconds: number, otherwise: string): string {
  const example = exampleSchedule(dialect, minSeconds, maxSeconds);
  return example ? `Write e.g. ${example}.` : otherwise;
}

/** A policy duration parameter in seconds, falling back to the rule's default when it is not valid. */
export function durationParam(value: unknown, fallback: string): { seconds: number; text: string } {
  if (typeof value === "string") {
    const seconds = durationSeconds(value);
    if (seconds !== undefined) return { seconds, text: value };
  }
  return { seconds: durationSeconds(fallback)!, text: fallback };
}

/** parseDuration per text (rules read the same few policy parameters for every resource). */
const durationSeconds = boundedMemo(128, (text: string) => text, parseDuration); // at most 2 x 128 held

export function dialectName(d: Dialect): string {
  return d === "robfig-v1" ? "CNPG (robfig/cron v1, seconds first)" : "Kubernetes CronJob";
}
