// Defaults the mutating side injects into CPO `postgresql` resources. Each works on the engine's private copy
// and returns one note per change. None invents a backup configuration: without spec.backup.pgbackrest
// (storage, bucket, credentials) there is nothing safe to default, and cpo-pgbackrest-required denies.
import type { Defaulter, Injection, Resource } from "../../engine/types.ts";
import { isObject, type JsonObject } from "../../util/object.ts";
import { formatPgDuration } from "../../util/pgduration.ts";
import { firstCommonMinute, parseSchedule, type CronSchedule } from "../../cron/index.ts";
import {
  APPLIES_TO,
  SCHEDULE_TYPES,
  clusterKey,
  globalOf,
  pgbackrestOf,
  reposOf,
  type BackupType,
} from "./model.ts";
import { expandHashTokens } from "../../cron/hash.ts";
import { RETENTION_PARAMS, type RetentionParams } from "../pgbackrest/retention.ts";

const appliesTo = [...APPLIES_TO];

// --- archive_timeout ----------------------------------------------------------------------------------------

export const archiveTimeout: Defaulter = {
  meta: {
    id: "cpo-archive-timeout",
    appliesTo,
    enabledByDefault: true,
    params: {},
    description:
      "Sets spec.postgresql.parameters.archive_timeout to the policy's rpo (e.g. '5min') when it is unset and pgBackRest is configured " +
      "(otherwise the CPO container image's default of 1800s applies). Satisfies cpo-archive-timeout-rpo.",
  },
  apply(resource, ctx) {
    if (!pgbackrestOf(resource) || !isObject(resource.spec)) return [];
    const postgresql = resource.spec.postgresql;
    if (!isObject(postgresql)) return []; // required by the CRD (with version): not ours to invent
    if (postgresql.parameters == null) postgresql.parameters = {};
    const parameters = postgresql.parameters;
    if (!isObject(parameters) || parameters.archive_timeout != null) return [];
    const value = formatPgDuration(ctx.policy.rpoSeconds);
    parameters.archive_timeout = value;
    return [{ path: "spec.postgresql.parameters.archive_timeout", value, why: "the policy's rpo; the container image's default is 1800s" }];
  },
};

// --- retention ----------------------------------------------------------------------------------------------

export const retentionFull: Defaulter<RetentionParams> = {
  meta: {
    id: "cpo-retention-full",
    appliesTo,
    // Never on UPDATE: the next backup of an existing repo would expire every older full backup and its WAL.
    operations: ["CREATE"],
    enabledByDefault: true,
    params: RETENTION_PARAMS,
    description:
      "On CREATE only, adds repoN-retention-full (and repoN-retention-full-type, only together with it) to spec.backup.pgbackrest.global for every repo " +
      "that has none. Values are strings, as the CRD requires. Satisfies cpo-retention-required when count is at least its minimum.",
  },
  apply(resource, ctx) {
    const pgbackrest = pgbackrestOf(resource);
    const repos = reposOf(resource);
    if (!pgbackrest || !repos || repos.length === 0) return [];
    if (pgbackrest.global != null && !isObject(pgbackrest.global)) return []; // wrong type: the rule reports it
    const count = String(ctx.params.count ?? 7);
    const type = ctx.params.type === "time" ? "time" : "count";
    const notes: Injection[] = [];
    const global: JsonObject = globalOf(resource) ?? {};
    for (const repo of repos) {
      if (!repo.obj || repo.number === undefined) continue;
      const key = `repo${repo.number}-retention-full`;
      if (global[key] != null) continue;
      global[key] = count;
      const typed = global[`${key}-type`] == null;
      if (typed) global[`${key}-type`] = type;
      pgbackrest.global = global;
      notes.push({ path: `spec.backup.pgbackrest.global.${key}`, value: count, why: "the policy's full-backup retention" });
      if (typed) notes.push({ path: `spec.backup.pgbackrest.global.${key}-type`, value: type });
    }
    return notes;
  },
};

// --- schedules and the H notation ---------------------------------------------------------------------------


/** The hash key of one schedule: `<namespace>/<name>/<repo>/<type>` (namespace `default` when missing). */
export function scheduleKey(resource: Resource, repo: string, type: BackupType): string {
  return `${clusterKey(resource)}/${repo}/${type}`;
}

interface ScheduleParams {
  full: string;
  incr: string;
  diff: string;
}

const MAX_TRIES = 10;

/**
 * Expands a template, retrying with `#1`, `#2`, ... appended to the key while it shares a minute with `others`.
 * Returns the text with its parsed schedule.
 */
function spreadSchedule(template: string, key: string, others: CronSchedule[], from: Date): { text: string; schedule: CronSchedule } {
  let last: { text: string; schedule: CronSchedule } | undefined;
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const expanded = expandHashTokens(template, attempt === 0 ? key : `${key}#${attempt}`);
    if (!expanded.ok) throw new Error(`schedule template "${template}": ${expanded.error}`);
    const parsed = parseSchedule(expanded.text, "kubernetes");
    if (!parsed.ok) throw new Error(`schedule template "${template}" gives "${expanded.text}", which Kubernetes rejects: ${parsed.error}`);
    last = { text: expanded.text, schedule: parsed.schedule };
    if (!template.includes("H")) return last;
    if (others.every((o) => firstCommonMinute(parsed.schedule, o, from) === null)) return last;
  }
  return last!;
}

export const schedules: Defaulter<ScheduleParams> = {
  meta: {
    id: "cpo-schedules",
    appliesTo,
    enabledByDefault: true,
    params: {
      full: {
        type: "string",
        minLength: 1,
        default: "H H(1-4) * * *",
        description: "schedule.full for repos without one: 5-field Kubernetes cron (UTC), H tokens spread clusters (see docs/cpo.md).",
      },
      incr: { type: "string", default: "", description: "schedule.incr to add with a defaulted full (empty: none), e.g. 'H/30 * * * *'." },
      diff: { type: "string", default: "", description: "schedule.diff to add with a defaulted full (empty: none)." },
    },
    description:
      "Adds schedule.full (and optionally incr/diff) to every repo without a full schedule. H tokens become a stable value derived from " +
      "SHA-256 of namespace/name/repo/type, so many clusters do not all start at the same minute.",
  },
  apply(resource, ctx) {
    if (!pgbackrestOf(resource)) return [];
    const repos = reposOf(resource);
    if (!repos) return [];
    const notes: Injection[] = [];
    for (const repo of repos) {
      if (!repo.obj) continue;
      if (repo.obj.schedule != null && !isObject(repo.obj.schedule)) continue; // wrong type: cpo-schedule-keys reports it
      const schedule: JsonObject = isObject(repo.obj.schedule) ? repo.obj.schedule : {};
      if (schedule.full != null) continue;
      const repoName = repo.name ?? `repo${repo.index + 1}`;
      const existing: CronSchedule[] = [];
      for (const type of SCHEDULE_TYPES) {
        const text = schedule[type];
        const parsed = typeof text === "string" ? parseSchedule(text, "kubernetes") : undefined;
        if (parsed?.ok) existing.push(parsed.schedule);
      }
      const added: Injection[] = [];
      for (const type of SCHEDULE_TYPES) {
        const template = String(ctx.params[type] ?? "").trim();
        if (!template || (type !== "full" && schedule[type] != null)) continue;
        const { text, schedule: spread } = spreadSchedule(template, scheduleKey(resource, repoName, type), existing, ctx.now);
        existing.push(spread);
        schedule[type] = text;
        added.push({ path: `${repo.path}.schedule.${type}`, value: text, why: `${repoName} had no full schedule` });
      }
      if (added.length === 0) continue;
      repo.obj.schedule = schedule;
      notes.push(...added);
    }
    return notes;
  },
};

export const cpoDefaulters: Defaulter<any>[] = [archiveTimeout, retentionFull, schedules];
