// What cpo-schedules and pgo-schedules inject, whichever operator's CronJobs run the backups: a full schedule (and
// the policy's optional diff/incr ones) for every repo without a full, H tokens spread per cluster, repo and type.
import type { Injection, JsonSchema, Resource } from "../../engine/types.ts";
import type { CronSchedule } from "../../cron/index.ts";
import { isObject, type JsonObject } from "../../util/object.ts";
import { parsedKubernetesSchedules, scheduleHashKey, spreadSchedule } from "./schedules.ts";

/** The policy parameter of the full schedule to add: `description` says where it goes. */
export function fullTemplateParam(description: string): JsonSchema {
  return { type: "string", minLength: 1, default: "H H(1-4) * * *", description };
}

/** A repo as addDefaultSchedules reads it. */
export interface DefaultedRepo {
  /** The entry when it is a map. */
  obj?: JsonObject;
  /** Dotted path of the entry. */
  path: string;
}

/** Where an operator keeps its repo schedules, and how it spreads a new one. */
export interface ScheduleDefaults<R extends DefaultedRepo, K extends string> {
  /** The repo member holding the schedules map: `schedule` (CPO), `schedules` (PGO). */
  field: string;
  /** The map's keys, full first: the order schedules are added in. */
  keys: readonly K[];
  /** The templates by key, from the policy (empty or missing: none for that key). */
  templates: Partial<Record<K, unknown>>;
  /** The repo's name in hash keys and notes; undefined leaves the repo alone. */
  repoName(repo: R): string | undefined;
  /** pgBackRest's backup type a key schedules, in hash keys. */
  backupType(key: K): string;
  /**
   * The schedules of other repos a new one of `repo` must share no minute with, or undefined; a new schedule is added
   * to the list (PGO: the volume repos, which share one repo host).
   */
  sharedWith?(repo: R): CronSchedule[] | undefined;
  /** The CRD's minLength of a schedule string, if any. */
  minLength?: number;
  now: Date;
}

/**
 * For every repo whose schedules map has no full (a map of the wrong type is the schedule-keys rule's and left alone):
 * each key with a template, full always and the others only when unset, spread from `<ns>/<name>/<repo>/<type>`
 * so it shares no minute with the repo's other schedules. Writes the map back when something was added; one note a key.
 */
export function addDefaultSchedules<R extends DefaultedRepo, K extends string>(
  resource: Resource,
  repos: readonly R[],
  defaults: ScheduleDefaults<R, K>,
): Injection[] {
  const { field, keys } = defaults;
  const notes: Injection[] = [];
  for (const repo of repos) {
    const name = defaults.repoName(repo);
    if (!repo.obj || name === undefined) continue;
    const existing = repo.obj[field];
    if (existing != null && !isObject(existing)) continue;
    const current: JsonObject = isObject(existing) ? existing : {};
    if (current.full != null) continue;
    const shared = defaults.sharedWith?.(repo);
    const others = [...parsedKubernetesSchedules(current, keys), ...(shared ?? [])];
    const added: Injection[] = [];
    for (const key of keys) {
      const template = String(defaults.templates[key] ?? "").trim();
      if (!template || (key !== "full" && current[key] != null)) continue;
      const hashKey = scheduleHashKey(resource, name, defaults.backupType(key));
      const { text, schedule } = spreadSchedule(template, hashKey, others, defaults.now, defaults.minLength);
      others.push(schedule);
      shared?.push(schedule);
      current[key] = text;
      added.push({ path: `${repo.path}.${field}.${key}`, value: text, why: `${name} had no full schedule` });
    }
    if (added.length === 0) continue;
    repo.obj[field] = current;
    notes.push(...added);
  }
  return notes;
}
