// `pg-backup-guard schedule "<cron>" --dialect cnpg|cpo|pgo|robfig-v1|kubernetes`
import { scheduleReport } from "../cron/report.ts";
import { formatScheduleJson, formatScheduleText } from "../report/schedule.ts";
import { oneOf, parse, UsageError } from "./args.ts";
import type { Io } from "./io.ts";
import { SCHEDULE_USAGE } from "./usage.ts";
import { DIALECT_ALIASES } from "../operators/index.ts";

const FORMATS = ["text", "json"] as const;
export const MAX_COUNT = 100;

export async function scheduleCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse("schedule", args, {
    dialect: { type: "string", short: "d" },
    count: { type: "string", short: "n" },
    now: { type: "string" },
    format: { type: "string", short: "o" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout(SCHEDULE_USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError('give the schedule as one quoted argument, e.g. schedule "0 0 2 * * *" --dialect cnpg', "schedule");
  const names = Object.keys(DIALECT_ALIASES);
  if (values.dialect === undefined) throw new UsageError(`--dialect ${names.join("|")} is required`, "schedule");
  const dialect = DIALECT_ALIASES[oneOf("schedule", "--dialect", values.dialect, names, "cnpg")]!;
  const format = oneOf("schedule", "--format", values.format, FORMATS, "text");
  const countText = typeof values.count === "string" ? values.count : "5";
  if (!/^\d+$/.test(countText) || Number(countText) < 1 || Number(countText) > MAX_COUNT)
    throw new UsageError(`--count must be a whole number from 1 to ${MAX_COUNT} (got "${countText}")`, "schedule");
  let now = io.now();
  if (typeof values.now === "string") {
    const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(values.now) ? Date.parse(values.now) : NaN;
    if (!Number.isFinite(t)) throw new UsageError(`--now must be an RFC 3339 time such as 2026-01-15T12:00:00Z (got "${values.now}")`, "schedule");
    now = new Date(t);
  }
  const report = scheduleReport(positionals[0]!, dialect, now, Number(countText));
  io.stdout(format === "json" ? formatScheduleJson(report) : formatScheduleText(report));
  // A schedule that never fires is as useless for backups as one that does not parse.
  return report.ok && report.fires !== false ? 0 : 1;
}
