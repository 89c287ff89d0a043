// Stub: the cron layer is being built (see src/cron/types.ts for the contract).
import type { CronSchedule, Dialect, IntervalAnalysis, ParseResult } from "./types.ts";
export type { CronSchedule, Dialect, IntervalAnalysis, ParseResult } from "./types.ts";

/** Parses a schedule exactly as the operator's dialect does. Never throws; bounded for any input. */
export function parseSchedule(_text: string, _dialect: Dialect): ParseResult {
  throw new Error("not implemented yet");
}

/** Exact shortest/longest gaps between fire times (UTC), bounded in time for any schedule. */
export function analyzeIntervals(_schedule: CronSchedule): IntervalAnalysis {
  throw new Error("not implemented yet");
}

/** The next `count` fire times strictly after `from` (UTC). Fewer when it never fires. */
export function nextFireTimes(_schedule: CronSchedule, _from: Date, _count: number): Date[] {
  throw new Error("not implemented yet");
}

/** The first time strictly after `from` at which both schedules fire in the same minute, or null if never. */
export function firstCommonMinute(_a: CronSchedule, _b: CronSchedule, _from: Date): Date | null {
  throw new Error("not implemented yet");
}

/** How the operator reads the schedule, in words (e.g. "at second 0 of minute 0 of every hour"). */
export function describeSchedule(_schedule: CronSchedule): string {
  throw new Error("not implemented yet");
}
