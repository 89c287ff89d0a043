// Defaults the mutating side injects into CPO `postgresql` resources. Each works on the engine's private copy
// and returns one note per change. None invents a backup configuration: without spec.backup.pgbackrest
// (storage, bucket, credentials) there is nothing safe to default, and cpo-pgbackrest-required denies.
import type { Defaulter, Injection, Resource } from "../../engine/types.ts";
import { isObject, type JsonObject } from "../../util/object.ts";
import { formatPgDuration } from "../../util/pgduration.ts";
import { APPLIES_TO, GLOBAL_PATH, SCHEDULE_TYPES, globalOf, pgbackrestOf, reposOf, type BackupType } from "./model.ts";
import { parsedKubernetesSchedules, scheduleHashKey, spreadSchedule } from "../pgbackrest/schedules.ts";
import { RETENTION_PARAMS, addRetention, type RetentionParams } from "../pgbackrest/retention.ts";
import type { CatalogDefaulter } from "../../rules/define.ts";

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
    const global: JsonObject = globalOf(resource) ?? {};
    const numbers = repos.flatMap((r) => (r.obj && r.number !== undefined ? [r.number] : []));
    const notes = addRetention(global, numbers, ctx.params, GLOBAL_PATH);
    if (notes.length > 0) pgbackrest.global = global;
    return notes;
  },
};

// --- schedules and the H notation ---------------------------------------------------------------------------


/** The hash key of one schedule: `<namespace>/<name>/<repo>/<type>` (namespace `default` when missing). */
export function scheduleKey(resource: Resource, repo: string, type: BackupType): string {
  return scheduleHashKey(resource, repo, type);
}

interface ScheduleParams {
  full: string;
  incr: string;
  diff: string;
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
      const existing = parsedKubernetesSchedules(schedule, SCHEDULE_TYPES);
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

export const cpoDefaulters: CatalogDefaulter[] = [archiveTimeout, retentionFull, schedules];
