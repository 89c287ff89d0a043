// A backup schedule string found in a resource, as an operator's `scheduleSources` reports it (src/operators/<name>/).
// The generic schedule-* rules judge these without knowing which operator they came from.
import type { Dialect } from "../../cron/index.ts";

/** `base` for a CNPG ScheduledBackup; the pgBackRest backup type for CPO and PGO. */
export type ScheduleRole = "base" | "full" | "incr" | "diff";

export interface ScheduleSource {
  /** Dotted path of the schedule field. */
  path: string;
  /** The schedule when it is a string; `null` when the field holds something else (see `value`). */
  text: string | null;
  /** The raw value, for messages about wrong types. `undefined` when a required schedule is missing. */
  value: unknown;
  dialect: Dialect;
  role: ScheduleRole;
  /** How a message names what the schedule drives: "repo1 full backups", "this ScheduledBackup's backups". */
  subject: string;
  /** What the operator does with a schedule it cannot use (a clause: "CNPG's admission webhook rejects ..."). */
  rejectedBy: string;
  /** pgBackRest operators: index in the repos list. */
  repoIndex?: number;
  /** pgBackRest operators: the repo's name when it is a string. */
  repoName?: string;
  /** The schedule takes no backups at all right now (CNPG `spec.suspend: true`). */
  suspended?: boolean;
  /** A sentence appended to messages about this schedule (e.g. why it is suspended), starting with a space. */
  note?: string;
}

/** "repo1 full backups" / "this ScheduledBackup's backups": how a message names what the schedule drives. */
export function scheduleSubject(s: ScheduleSource): string {
  return s.subject;
}

/** A sentence to append to a message about the schedule (suspended and the like), or "". */
export function suspendedNote(s: ScheduleSource): string {
  return s.note ?? "";
}
