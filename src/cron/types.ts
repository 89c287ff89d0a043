// The public face of the cron layer. Rules and the CLI use only these types and the functions in index.ts.

/**
 * `robfig-v1`: robfig/cron v1 `cron.Parse`, as CNPG calls it (seconds first, 5 or 6 fields). `kubernetes`: a
 * Kubernetes CronJob schedule (5 fields), what CPO and PGO copy their pgBackRest repo schedules into.
 */
export type Dialect = "robfig-v1" | "kubernetes";

export const DIALECTS: readonly Dialect[] = ["robfig-v1", "kubernetes"];

export interface CronSchedule {
  dialect: Dialect;
  /** The text as written. */
  source: string;
  /** Number of whitespace-separated fields, or `null` for a descriptor (`@daily`, `@every 1h`). */
  fieldCount: number | null;
  /** The descriptor when one was used (`@daily`, `@every`). */
  descriptor?: string;
  /** For `@every <duration>`: the interval in seconds as the operator uses it. */
  everySeconds?: number;
  /** Expanded field sets (seconds is [0] for the kubernetes dialect). Absent for `@every`. */
  fields?: {
    seconds: number[];
    minutes: number[];
    hours: number[];
    daysOfMonth: number[];
    months: number[];
    daysOfWeek: number[];
    /** Whether dom / dow were written as `*` or `?` (the library's "star bit"), which decides AND vs OR. */
    domStar: boolean;
    dowStar: boolean;
  };
}

export type ParseResult =
  | { ok: true; schedule: CronSchedule; /** Notes on how the operator reads it (e.g. a 5-field CNPG string). */ warnings: string[] }
  | { ok: false; /** The operator's own message where it has one. */ error: string };

export interface IntervalAnalysis {
  /** False when no fire time exists at all (e.g. Feb 30). */
  fires: boolean;
  /** Shortest gap between consecutive fire times, in seconds (Infinity when it never fires; a schedule firing once per 400-year cycle has gaps of 146,097 days). */
  shortestGapSeconds: number;
  /** Longest gap between consecutive fire times, in seconds (Infinity when it never fires). */
  longestGapSeconds: number;
}
