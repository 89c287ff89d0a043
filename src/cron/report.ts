// The data behind `pg-backup-guard schedule "<cron>" --dialect cnpg|cpo|pgo`, and schedule suggestions the
// rules share. Pure: the CLI prints it as text or JSON.
import type { Dialect } from "./types.ts";
import { analyzeIntervals, describeSchedule, nextFireTimes, parseSchedule } from "./index.ts";
import { goFields } from "./golang.ts";
import { formatDuration } from "../util/duration.ts";

export interface Gap {
  /** Seconds, or null when there is no such gap (never fires). */
  seconds: number | null;
  /** "1d", "1h30m", "never". */
  human: string;
}

export interface ScheduleReport {
  input: string;
  dialect: Dialect;
  ok: boolean;
  /** The operator's own parse error. */
  error?: string;
  /** Whitespace-separated fields as the operator counts them; null for a descriptor (`@daily`). */
  fieldCount: number | null;
  description?: string;
  warnings: string[];
  /** ISO 8601, UTC. */
  nextFireTimes: string[];
  fires?: boolean;
  shortestGap?: Gap;
  longestGap?: Gap;
  /** For a 5-field or descriptor CNPG schedule: the explicit 6-field string the user most likely meant. */
  suggestion?: string;
  suggestionDescription?: string;
}

const DESCRIPTOR_SIX: Record<string, string> = {
  "@yearly": "0 0 0 1 1 *",
  "@annually": "0 0 0 1 1 *",
  "@monthly": "0 0 0 1 * *",
  "@weekly": "0 0 0 * * 0",
  "@daily": "0 0 0 * * *",
  "@midnight": "0 0 0 * * *",
  "@hourly": "0 0 * * * *",
};

/** `*\/n` (n > 1) in dom/dow: Kubernetes (v3) drops the star bit, v1 keeps it; `1-31/n` means the same in both. */
function keepStepMeaning(field: string, min: number, max: number): string {
  return field
    .split(",")
    .map((item) => item.replace(/^[*?](\/(\d+))$/, (whole, slash: string, n: string) => (Number(n) > 1 ? `${min}-${max}${slash}` : whole)))
    .join(",");
}

/** Standard crontab allows 7 for Sunday; robfig does not. */
function sundayAsZero(field: string): string {
  return field
    .split(",")
    .map((item) => item.replace(/^7$/, "0").replace(/^(\d+)-7(\/\d+)?$/, (_w, low: string, step?: string) => (step ? `${low}-7${step}` : `${low}-6,0`)))
    .join(",");
}

/**
 * The 6-field CNPG schedule a user most likely meant by a 5-field one (written as standard crontab,
 * minute first), or by a descriptor: `"0 1 * * *"` -> `"0 0 1 * * *"`. Undefined when there is no
 * sensible one (other field counts, or the result would not parse in CNPG either).
 */
export function suggestSixFieldSchedule(text: string): string | undefined {
  if (typeof text !== "string") return undefined;
  const descriptor = DESCRIPTOR_SIX[text];
  if (descriptor !== undefined && Object.hasOwn(DESCRIPTOR_SIX, text)) return descriptor;
  if (text.startsWith("@")) return undefined;
  const fields = goFields(text);
  if (fields.length !== 5) return undefined;
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const candidate = ["0", minute, hour, keepStepMeaning(dom, 1, 31), month, keepStepMeaning(sundayAsZero(dow), 0, 6)].join(" ");
  const parsed = parseSchedule(candidate, "robfig-v1");
  return parsed.ok ? candidate : undefined;
}

export function gap(seconds: number): Gap {
  if (!Number.isFinite(seconds)) return { seconds: null, human: "never" };
  return { seconds, human: formatDuration(seconds) };
}

/** Everything the `schedule` command shows. Never throws. */
export function scheduleReport(text: string, dialect: Dialect, now: Date, count = 5): ScheduleReport {
  const input = typeof text === "string" ? text : String(text);
  const parsed = parseSchedule(input, dialect);
  const fieldCount = input.startsWith("@") ? null : goFields(input).length;
  const report: ScheduleReport = { input, dialect, ok: parsed.ok, fieldCount, warnings: [], nextFireTimes: [] };
  if (dialect === "robfig-v1" && fieldCount !== 6) {
    const suggestion = suggestSixFieldSchedule(input);
    if (suggestion !== undefined) {
      report.suggestion = suggestion;
      const s = parseSchedule(suggestion, "robfig-v1");
      if (s.ok) report.suggestionDescription = describeSchedule(s.schedule);
    }
  }
  if (!parsed.ok) {
    report.error = parsed.error;
    return report;
  }
  report.fieldCount = parsed.schedule.fieldCount;
  report.warnings = [...parsed.warnings];
  report.description = describeSchedule(parsed.schedule);
  const intervals = analyzeIntervals(parsed.schedule);
  report.fires = intervals.fires;
  report.shortestGap = gap(intervals.shortestGapSeconds);
  report.longestGap = gap(intervals.longestGapSeconds);
  report.nextFireTimes = nextFireTimes(parsed.schedule, now, count).map((d) => d.toISOString());
  return report;
}
