// The schedules of a resource, from its operator (the registry), for the generic schedule-* rules. Operator code
// never imports this file (see src/operators/index.ts on import cycles).
import type { Problem, Resource } from "../../engine/types.ts";
import { analyzeIntervals, type CronSchedule, type IntervalAnalysis } from "../../cron/index.ts";
import { scheduleSourcesOf } from "../../operators/index.ts";
import { problem } from "../util.ts";
import { isBaseOrFull, parseSources, placeholderSchedules, type ParsedSource } from "./common.ts";

export { scheduleSourcesOf };

/** Not checked: the resource's schedules still holding a placeholder (base and full ones only with `baseOnly`). */
export function unresolvedSchedulesOf(resource: Resource, baseOnly = false): Problem[] {
  return placeholderSchedules(scheduleSourcesOf(resource), baseOnly ? isBaseOrFull : undefined);
}

/** The resource's string schedules with their parse result (not those holding a placeholder: unresolvedSchedulesOf). */
export function parsedSchedulesOf(resource: Resource): ParsedSource[] {
  return parseSources(scheduleSourcesOf(resource));
}

/** Base (CNPG) and full (pgBackRest) schedules that parse and fire, with their gaps: what the frequency policy judges. */
export function baseScheduleGaps(resource: Resource): BaseSchedule[] {
  const out: BaseSchedule[] = [];
  for (const s of parsedSchedulesOf(resource)) {
    if (!isBaseOrFull(s) || !s.parsed.ok) continue;
    const gaps = analyzeIntervals(s.parsed.schedule);
    if (gaps.fires) out.push({ s, schedule: s.parsed.schedule, gaps }); // never-fires is its own rule
  }
  return out;
}

export interface BaseSchedule {
  s: ParsedSource;
  schedule: CronSchedule;
  gaps: IntervalAnalysis;
}

/**
 * What schedule-too-frequent and schedule-too-rare report: the base/full schedules still holding a placeholder (not
 * checked), then one problem for each base/full schedule `judge` has a message for, with the schedule's note appended.
 */
export function judgeBaseSchedules(resource: Resource, judge: (base: BaseSchedule) => string | undefined): Problem[] {
  const problems: Problem[] = unresolvedSchedulesOf(resource, true);
  for (const base of baseScheduleGaps(resource)) {
    const message = judge(base);
    if (message !== undefined) problems.push(problem(base.s.path, `${message}${base.s.note ?? ""}`));
  }
  return problems;
}
