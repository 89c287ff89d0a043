// Defaults the mutating side injects into CPO `postgresql` resources. Each works on the engine's private copy
// and returns one note per change. None invents a backup configuration: without spec.backup.pgbackrest
// (storage, bucket, credentials) there is nothing safe to default, and cpo-pgbackrest-required denies.
import type { Defaulter, Resource } from "../../engine/types.ts";
import { isObject } from "../../util/object.ts";
import { formatPgDuration } from "../../util/pgduration.ts";
import { APPLIES_TO, GLOBAL_PATH, SCHEDULE_TYPES, pgbackrestOf, reposOf, type BackupType } from "./model.ts";
import { scheduleHashKey } from "../pgbackrest/schedules.ts";
import { addDefaultSchedules, fullTemplateParam } from "../pgbackrest/schedule-defaults.ts";
import { retentionFullDefaulter } from "../pgbackrest/retention.ts";
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

export const retentionFull = retentionFullDefaulter({
  id: "cpo-retention-full",
  appliesTo,
  description:
    "On CREATE only, adds repoN-retention-full (and repoN-retention-full-type, only together with it) to spec.backup.pgbackrest.global for every repo " +
    "that has none. Values are strings, as the CRD requires. Satisfies cpo-retention-required when count is at least its minimum.",
  globalPath: GLOBAL_PATH,
  pgbackrestOf,
  reposOf,
});

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
      full: fullTemplateParam("schedule.full for repos without one: 5-field Kubernetes cron (UTC), H tokens spread clusters (see docs/cpo.md)."),
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
    return addDefaultSchedules(resource, repos, {
      field: "schedule",
      keys: SCHEDULE_TYPES,
      templates: ctx.params,
      repoName: (repo) => repo.name ?? `repo${repo.index + 1}`,
      backupType: (type) => type,
      now: ctx.now,
    });
  },
};

export const cpoDefaulters: CatalogDefaulter[] = [archiveTimeout, retentionFull, schedules];
