// The judgement of a written archive_timeout against the policy's rpo, shared by the pgBackRest operators' rules
// (cpo-archive-timeout-rpo, pgo-archive-timeout-rpo); each rule finds the value and handles "unset" itself.
import type { Problem } from "../engine/types.ts";
import { formatDuration } from "../util/duration.ts";
import { formatPgDuration, parsePgDuration } from "../util/pgduration.ts";
import { placeholderNotChecked, problem } from "./util.ts";

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

/**
 * Problems of an archive_timeout `value` written at `path`: not a PostgreSQL duration (no unit = seconds), not a
 * string where the CRD takes only strings (`stringsOnly`), 0 (disabled), or longer than `rpoSeconds`.
 */
export function archiveTimeoutProblems(value: unknown, path: string, rpoSeconds: number, options: { stringsOnly: boolean }): Problem[] {
  const unresolved = placeholderNotChecked(value, path, "archive_timeout");
  if (unresolved) return [unresolved];
  const want = formatPgDuration(rpoSeconds);
  const parsed = parsePgDuration(value, "s");
  if (!parsed.ok) {
    return [problem(path, `archive_timeout ${show(value)} is not valid: ${parsed.error}. PostgreSQL will not start with it. Write \`archive_timeout: '${want}'\`.`)];
  }
  if (options.stringsOnly && typeof value !== "string") {
    return [problem(path, `archive_timeout is ${show(value)}, not a string: the CRD accepts only strings in parameters. Write \`archive_timeout: '${want}'\`.`)];
  }
  if (parsed.seconds <= 0) {
    return [problem(path, `archive_timeout is ${show(value)}, which disables time-based WAL switching: a quiet database may not archive its last commits for hours. Write \`archive_timeout: '${want}'\`.`)];
  }
  if (parsed.seconds > rpoSeconds) {
    return [
      problem(
        path,
        `archive_timeout ${show(value)} (${formatDuration(parsed.seconds)}) is longer than the policy's rpo of ${formatDuration(rpoSeconds)}: a quiet database can lose commits older than the rpo. ` +
          `Write \`archive_timeout: '${want}'\`.`,
      ),
    ];
  }
  return [];
}
