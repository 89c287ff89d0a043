// Helpers the schedule rules share: parsed sources, example schedules, the operator's consequences.
import type { Resource } from "../../engine/types.ts";
import { describeSchedule, parseSchedule, type Dialect, type ParseResult } from "../../cron/index.ts";
import { parseDuration, formatDuration } from "../../util/duration.ts";
import { scheduleSources, type ScheduleSource } from "./sources.ts";

export interface ParsedSource extends ScheduleSource {
  text: string;
  parsed: ParseResult;
}

/** String schedules with their parse result. Empty CPO strings are `cpo-schedule-keys`' business. */
export function parsedSources(resource: Resource): ParsedSource[] {
  const out: ParsedSource[] = [];
  for (const s of scheduleSources(resource)) {
    if (s.text === null || (s.dialect === "cpo" && s.text === "")) continue;
    out.push({ ...s, text: s.text, parsed: parseSchedule(s.text, s.dialect) });
  }
  return out;
}

/** Base (CNPG) and full (CPO) schedules: the ones the frequency policy is about. */
export function isBaseOrFull(s: ScheduleSource): boolean {
  return s.role === "base" || s.role === "full";
}

/** Candidate schedules with exactly one gap, from frequent to rare. */
const CANDIDATES: { seconds: number; cnpg: string; cpo: string }[] = [
  { seconds: 900, cnpg: "0 */15 * * * *", cpo: "*/15 * * * *" },
  { seconds: 1800, cnpg: "0 */30 * * * *", cpo: "*/30 * * * *" },
  { seconds: 3600, cnpg: "0 0 * * * *", cpo: "0 * * * *" },
  { seconds: 7200, cnpg: "0 0 */2 * * *", cpo: "0 */2 * * *" },
  { seconds: 21600, cnpg: "0 0 */6 * * *", cpo: "0 */6 * * *" },
  { seconds: 43200, cnpg: "0 0 */12 * * *", cpo: "0 */12 * * *" },
  { seconds: 86400, cnpg: "0 0 0 * * *", cpo: "0 0 * * *" },
  { seconds: 604800, cnpg: "0 0 0 * * 0", cpo: "0 0 * * 0" },
];

/** A schedule whose every gap lies in [min, max] — daily when allowed — with its description. */
export function exampleSchedule(dialect: Dialect, minSeconds: number, maxSeconds: number): string | undefined {
  const fitting = CANDIDATES.filter((c) => c.seconds >= minSeconds && c.seconds <= maxSeconds);
  if (fitting.length === 0) return undefined;
  const pick = fitting.find((c) => c.seconds === 86400) ?? fitting[fitting.length - 1]!;
  const text = pick[dialect];
  const parsed = parseSchedule(text, dialect);
  return parsed.ok ? `"${text}" (${describeSchedule(parsed.schedule)}, every ${formatDuration(pick.seconds)})` : `"${text}"`;
}

/** A policy duration parameter in seconds, falling back to the rule's default when it is not valid. */
export function durationParam(value: unknown, fallback: string): { seconds: number; text: string } {
  if (typeof value === "string") {
    const seconds = parseDuration(value);
    if (seconds !== undefined) return { seconds, text: value };
  }
  return { seconds: parseDuration(fallback)!, text: fallback };
}

/** What the operator does with a schedule it cannot use. */
export function rejectedBy(s: ScheduleSource): string {
  return s.dialect === "cnpg"
    ? "CNPG's admission webhook rejects the ScheduledBackup with this message, and the controller cannot schedule it"
    : "the CYBERTEC operator copies the schedule verbatim into a CronJob without checking it; the Kubernetes API server refuses that CronJob, the cluster goes to CreateFailed/SyncFailed, and these backups never run";
}

export function dialectName(d: Dialect): string {
  return d === "cnpg" ? "CNPG (robfig/cron v1, seconds first)" : "Kubernetes CronJob";
}
