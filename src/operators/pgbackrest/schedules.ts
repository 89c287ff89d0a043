// What the pgBackRest operators' schedule rules judge the same way, whichever operator's CronJobs run the backups:
// the gaps of a repo's diff/incr schedules against its full (cpo-/pgo-incremental-interval) and the first minute two
// backup Jobs start together (cpo-/pgo-schedule-collision), and how a defaulted schedule is spread (cpo-/pgo-schedules).
// Each operator reads its own schedules (its model's parsedSchedulesByRepo) and writes its own messages; only the
// verdicts are computed here.
import { analyzeIntervals, firstCommonMinute, parseSchedule, type CronSchedule, type IntervalAnalysis } from "../../cron/index.ts";
import { expandHashTokens } from "../../cron/hash.ts";
import { DURATION_PATTERN } from "../../util/duration.ts";
import { isObject } from "../../util/object.ts";
import { durationParam } from "../../rules/schedule/common.ts";
import type { Resource } from "../../engine/types.ts";
import type { ParamsSchema } from "../../rules/define.ts";

/** A backup schedule of one repo that parses; `type` is pgBackRest's `--type` (full, diff or incr). */
export interface RepoSchedule {
  type: string;
  schedule: CronSchedule;
}

export interface IntervalParams {
  minInterval: string;
  maxInterval: string;
}

const DEFAULT_MIN_INTERVAL = "5m";
const DEFAULT_MAX_INTERVAL = "2d";

/** The incremental-interval rules' parameters; `what` names the schedules ("incr (or two diff)"). */
export function intervalParams(what: string): ParamsSchema<IntervalParams> {
  return {
    minInterval: {
      type: "string",
      pattern: DURATION_PATTERN,
      default: DEFAULT_MIN_INTERVAL,
      description: `Shortest allowed gap between two ${what} backups of a repo.`,
    },
    maxInterval: {
      type: "string",
      pattern: DURATION_PATTERN,
      default: DEFAULT_MAX_INTERVAL,
      description: `Longest allowed gap between two ${what} backups of a repo (exactly this value passes).`,
    },
  };
}

/** The policy's bounds in seconds (a missing or unreadable value reads as the default). */
export function intervalBounds(params: Partial<IntervalParams>): { min: number; max: number } {
  return {
    min: durationParam(params.minInterval, DEFAULT_MIN_INTERVAL).seconds,
    max: durationParam(params.maxInterval, DEFAULT_MAX_INTERVAL).seconds,
  };
}

/** What is wrong with one diff/incr schedule, with the gaps the message reports. */
export type IntervalFinding<S extends RepoSchedule> =
  /** It fires no more often than the repo's full: it adds runs without adding restore points between fulls. */
  | { kind: "not-more-frequent"; schedule: S; gaps: IntervalAnalysis; full: S; fullGaps: IntervalAnalysis }
  /** Its shortest gap is below `min`. */
  | { kind: "too-often"; schedule: S; gaps: IntervalAnalysis }
  /** Its longest gap is above `max`. */
  | { kind: "too-rare"; schedule: S; gaps: IntervalAnalysis };

/**
 * Judges the diff/incr schedules of one repo (`group`: its schedules, the full among them) and reports at most one
 * finding per schedule, in order. A schedule that never fires is schedule-never-fires' concern and passes here.
 */
export function judgeIntervals<S extends RepoSchedule>(
  group: readonly S[],
  bounds: { min: number; max: number },
  report: (finding: IntervalFinding<S>) => void,
): void {
  const full = group.find((s) => s.type === "full");
  const fullGaps = full ? analyzeIntervals(full.schedule) : undefined;
  for (const s of group) {
    if (s.type === "full") continue;
    const gaps = analyzeIntervals(s.schedule);
    if (!gaps.fires) continue;
    if (full && fullGaps?.fires && gaps.longestGapSeconds >= fullGaps.longestGapSeconds) {
      report({ kind: "not-more-frequent", schedule: s, gaps, full, fullGaps });
    } else if (gaps.shortestGapSeconds < bounds.min) {
      report({ kind: "too-often", schedule: s, gaps });
    } else if (gaps.longestGapSeconds > bounds.max) {
      report({ kind: "too-rare", schedule: s, gaps });
    }
  }
}

export interface CollisionParams {
  acrossRepos: boolean;
}

/** The schedule-collision rules' parameters; `description` says which repos acrossRepos adds. */
export function collisionParams(description: string): ParamsSchema<CollisionParams> {
  return { acrossRepos: { type: "boolean", default: false, description } };
}

/** `@every d` (d > 1 min) counts from the CronJob's creation time, which is unknown: its minutes cannot be compared. */
function anchoredAtCreation(s: RepoSchedule): boolean {
  return (s.schedule.everySeconds ?? 0) > 60;
}

/** Two schedules whose Jobs first start in the same minute at `when`; `b` is the later one in the manifest. */
export interface Collision<S> {
  a: S;
  b: S;
  when: Date;
}

/**
 * The pairs of schedules that fire in the same minute, first after `now`: every two schedules of one repo, and those of
 * two repos when `across(a, otherRepo)` says so; `groups` holds each compared repo's schedules, in manifest order. The
 * first common minute is computed exactly; `@every` schedules longer than a minute are not compared.
 */
export function collisions<S extends RepoSchedule>(
  groups: readonly (readonly S[])[],
  across: (a: S, other: readonly S[]) => boolean,
  now: Date,
): Collision<S>[] {
  const pairs: [S, S][] = [];
  for (const [gi, group] of groups.entries()) {
    for (const [i, a] of group.entries()) {
      for (const b of group.slice(i + 1)) pairs.push([a, b]);
      for (const other of groups.slice(gi + 1)) {
        if (!across(a, other)) continue;
        for (const b of other) pairs.push([a, b]);
      }
    }
  }
  const found: Collision<S>[] = [];
  for (const [a, b] of pairs) {
    if (anchoredAtCreation(a) || anchoredAtCreation(b)) continue;
    const when = firstCommonMinute(a.schedule, b.schedule, now);
    if (when) found.push({ a, b, when });
  }
  return found;
}

/** A schedule in a collision message: `repo1 full '30 2 * * *'` (`key` as the manifest writes it). */
export function scheduleLabel(repo: { name?: string; index: number }, key: string, text: string): string {
  return `${repo.name ?? `repos[${repo.index}]`} ${key} '${text}'`;
}

/** `2026-11-23 02:30 UTC` */
export function formatUtcMinute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

// ---- defaulted schedules (cpo-schedules, pgo-schedules) ----------------------------------------------------

/**
 * The hash key of one defaulted schedule: `<namespace>/<name>/<repo>/<type>` (namespace `default` when missing, as
 * kubectl uses without one); its H tokens derive from it.
 */
export function scheduleHashKey(resource: Resource, repo: string, type: string): string {
  const ns = typeof resource.metadata?.namespace === "string" && resource.metadata.namespace ? resource.metadata.namespace : "default";
  const name = typeof resource.metadata?.name === "string" ? resource.metadata.name : "";
  return `${ns}/${name}/${repo}/${type}`;
}

/** The strings among `keys` of a schedule map that parse as Kubernetes cron; none when it is not a map. */
export function parsedKubernetesSchedules(schedules: unknown, keys: readonly string[]): CronSchedule[] {
  if (!isObject(schedules)) return [];
  const out: CronSchedule[] = [];
  for (const key of keys) {
    const text = schedules[key];
    const parsed = typeof text === "string" ? parseSchedule(text, "kubernetes") : undefined;
    if (parsed?.ok) out.push(parsed.schedule);
  }
  return out;
}

const MAX_TRIES = 10;

/**
 * Expands a template, retrying with `#1`, `#2`, ... appended to the key while it shares a minute with `others`.
 * Returns the text with its parsed schedule; a template that gives no valid Kubernetes cron (or a text shorter than
 * `minLength`, the CRD's) throws: the policy is wrong, not the object.
 */
export function spreadSchedule(
  template: string,
  key: string,
  others: readonly CronSchedule[],
  from: Date,
  minLength = 0,
): { text: string; schedule: CronSchedule } {
  let last: { text: string; schedule: CronSchedule } | undefined;
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const expanded = expandHashTokens(template, attempt === 0 ? key : `${key}#${attempt}`);
    if (!expanded.ok) throw new Error(`schedule template "${template}": ${expanded.error}`);
    const parsed = parseSchedule(expanded.text, "kubernetes");
    if (!parsed.ok) throw new Error(`schedule template "${template}" gives "${expanded.text}", which Kubernetes rejects: ${parsed.error}`);
    if (expanded.text.length < minLength) {
      throw new Error(`schedule template "${template}" gives "${expanded.text}", shorter than the CRD's minLength ${minLength}`);
    }
    last = { text: expanded.text, schedule: parsed.schedule };
    if (!template.includes("H")) return last;
    if (others.every((o) => firstCommonMinute(parsed.schedule, o, from) === null)) return last;
  }
  return last!;
}
