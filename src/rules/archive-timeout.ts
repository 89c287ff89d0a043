// The judgement of archive_timeout against the policy's rpo, shared by the pgBackRest operators' rules
// (cpo-archive-timeout-rpo, pgo-archive-timeout-rpo): each rule finds the value and names the default its operator applies.
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

/** The archive_timeout an operator applies when none is written, as the "not set" message names it. */
export interface ArchiveTimeoutDefault {
  seconds: number;
  /** Where the "not set" problem points. */
  path: string;
  /** Why it applies: "PGO's default of 60s applies". */
  applies: string;
  /** What a quiet database can lose under it: "a minute". */
  loss: string;
  /** The sentence saying what to write, given the value wanted ('5min'). */
  fix(want: string): string;
}

/**
 * Problems of the archive_timeout PostgreSQL gets: the value written (`found`, with its path) as archiveTimeoutProblems
 * judges it; none written, the operator's default, a problem only when it is longer than `rpoSeconds`.
 */
export function effectiveArchiveTimeoutProblems(
  found: { value: unknown; path: string } | undefined,
  rpoSeconds: number,
  fallback: ArchiveTimeoutDefault,
  options: { stringsOnly: boolean },
): Problem[] {
  if (found) return archiveTimeoutProblems(found.value, found.path, rpoSeconds, options);
  if (fallback.seconds <= rpoSeconds) return [];
  return [
    problem(
      fallback.path,
      `archive_timeout is not set, so ${fallback.applies}: a quiet database can lose up to ${fallback.loss} of commits, more than the policy's rpo of ${formatDuration(rpoSeconds)}. ` +
        fallback.fix(formatPgDuration(rpoSeconds)),
    ),
  ];
}
