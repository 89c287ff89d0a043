// Defaults the mutating side injects into PGO PostgresClusters. Each works on the engine's private copy and returns
// one note per change. None invents a backup configuration: without spec.backups.pgbackrest (storage, bucket,
// credentials) there is nothing safe to default, and pgo-backups-required denies. Standbys are left alone: they take
// no backups until promoted, and a repo standby must keep the primary's repo path.
import type { Defaulter, Injection } from "../../engine/types.ts";
import { isObject, type JsonObject } from "../../util/object.ts";
import { formatPgDuration } from "../../util/pgduration.ts";
import type { CronSchedule } from "../../cron/index.ts";
import {
  APPLIES_TO,
  BACKUP_TYPE,
  GLOBAL_PATH,
  PARAMETERS_PATH,
  SCHEDULE_KEYS,
  cloudLocation,
  globalOf,
  hasRepos,
  pgbackrestOf,
  reposOf,
  standbyEnabled,
} from "./model.ts";
import { PGO_DEFAULT_ARCHIVE_TIMEOUT_SECONDS, effectiveArchiveTimeout } from "./rules/archive-timeout-rpo.ts";
import { parsedKubernetesSchedules } from "../pgbackrest/schedules.ts";
import { addDefaultSchedules, fullTemplateParam } from "../pgbackrest/schedule-defaults.ts";
import { retentionFullDefaulter } from "../pgbackrest/retention.ts";
import type { CatalogDefaulter } from "../../rules/define.ts";

const appliesTo = [...APPLIES_TO];

// --- archive_timeout ----------------------------------------------------------------------------------------

/** The CRD's maxProperties of spec.config.parameters. */
const MAX_PARAMETERS = 50;

export const archiveTimeout: Defaulter = {
  meta: {
    id: "pgo-archive-timeout",
    appliesTo,
    enabledByDefault: true,
    params: {},
    description:
      "Sets spec.config.parameters.archive_timeout to the policy's rpo when the rpo is below PGO's own default of 60s and no archive_timeout " +
      "is set (in spec.config.parameters or patroni.dynamicConfiguration). Satisfies pgo-archive-timeout-rpo.",
  },
  apply(resource, ctx) {
    const rpo = ctx.policy.rpoSeconds;
    if (!(rpo < PGO_DEFAULT_ARCHIVE_TIMEOUT_SECONDS) || rpo < 1 || !hasRepos(resource) || !isObject(resource.spec)) return [];
    if (effectiveArchiveTimeout(resource)) return [];
    const spec = resource.spec;
    if (spec.config != null && !isObject(spec.config)) return [];
    const config: JsonObject = isObject(spec.config) ? spec.config : {};
    if (config.parameters != null && !isObject(config.parameters)) return [];
    const parameters: JsonObject = isObject(config.parameters) ? config.parameters : {};
    if (Object.keys(parameters).length >= MAX_PARAMETERS) return []; // one more would break the CRD's maxProperties
    const value = formatPgDuration(rpo);
    parameters.archive_timeout = value;
    config.parameters = parameters;
    spec.config = config;
    return [{ path: `${PARAMETERS_PATH}.archive_timeout`, value, why: "the policy's rpo, below PGO's default of 60s" }];
  },
};

// --- retention ----------------------------------------------------------------------------------------------

export const retentionFull = retentionFullDefaulter({
  id: "pgo-retention-full",
  appliesTo,
  description:
    "On CREATE only, adds repoN-retention-full (and repoN-retention-full-type, only together with it) to spec.backups.pgbackrest.global for " +
    "every repo repo1..repo4 that has none. Not for standbys. Satisfies pgo-retention-required.",
  globalPath: GLOBAL_PATH,
  pgbackrestOf,
  reposOf,
  skip: standbyEnabled,
});

// --- repo path ----------------------------------------------------------------------------------------------

export const repoPath: Defaulter = {
  meta: {
    id: "pgo-repo-path",
    appliesTo,
    // Never on UPDATE: a new path on a live cluster starts a new, empty stanza and the old backups stop being continued.
    operations: ["CREATE"],
    enabledByDefault: true,
    params: {},
    description:
      "On CREATE only, sets global.repoN-path to /pgbackrest/<namespace>/<cluster>/repoN (the layout of PGO's examples) for every cloud repo " +
      "(s3, gcs, azure) without one, so clusters sharing a bucket get their own stanza. Not for standbys (a repo standby must read the " +
      "primary's path) nor objects without metadata.namespace. Satisfies pgo-repo-path-unique.",
  },
  apply(resource) {
    const pgbackrest = pgbackrestOf(resource);
    const repos = reposOf(resource);
    const ns = resource.metadata?.namespace;
    const name = resource.metadata?.name;
    if (!pgbackrest || !repos || standbyEnabled(resource)) return [];
    if (typeof ns !== "string" || ns === "" || typeof name !== "string" || name === "") return [];
    if (pgbackrest.global != null && !isObject(pgbackrest.global)) return [];
    const global: JsonObject = globalOf(resource) ?? {};
    const notes: Injection[] = [];
    for (const repo of repos) {
      if (repo.number === undefined || cloudLocation(repo) === undefined) continue;
      const key = `${repo.name}-path`;
      if (global[key] != null) continue;
      const value = `/pgbackrest/${ns}/${name}/${repo.name}`;
      global[key] = value;
      pgbackrest.global = global;
      notes.push({ path: `${GLOBAL_PATH}.${key}`, value, why: "PGO's default /pgbackrest/repoN is shared by every cluster in the bucket" });
    }
    return notes;
  },
};

// --- schedules and the H notation ---------------------------------------------------------------------------


/** The CRD's minLength of a schedule string. */
const SCHEDULE_MIN_LENGTH = 6;

interface ScheduleParams {
  full: string;
  differential: string;
  incremental: string;
}

export const schedules: Defaulter<ScheduleParams> = {
  meta: {
    id: "pgo-schedules",
    appliesTo,
    enabledByDefault: true,
    params: {
      full: fullTemplateParam("schedules.full for repos without one: 5-field Kubernetes cron (UTC); H tokens spread clusters (as for cpo-schedules)."),
      differential: {
        type: "string",
        default: "",
        description: "schedules.differential to add with a defaulted full (empty: none), e.g. 'H H(1-4) * * 1-6' with full 'H H(1-4) * * 0'.",
      },
      incremental: { type: "string", default: "", description: "schedules.incremental to add with a defaulted full (empty: none), e.g. 'H * * * *'." },
    },
    description:
      "Adds schedules.full (daily, between 01:00 and 04:59 UTC, by default; optionally differential/incremental) to every repo repo1..repo4 without a full schedule, as cpo-schedules does. " +
      "H tokens become a stable value derived from SHA-256 of namespace/name/repo/type, retried until the new schedule shares no minute with " +
      "the repo's other schedules nor, for volume repos, with other volume repos (one repo host, one pgBackRest lock). Not for standbys.",
  },
  apply(resource, ctx) {
    if (!pgbackrestOf(resource) || standbyEnabled(resource)) return [];
    const repos = reposOf(resource);
    if (!repos) return [];
    // Schedules of volume repos, which all run in the one repo host.
    const volume: CronSchedule[] = repos.filter((r) => r.storage === "volume").flatMap((r) => parsedKubernetesSchedules(r.obj?.schedules, SCHEDULE_KEYS));
    return addDefaultSchedules(resource, repos, {
      field: "schedules",
      keys: SCHEDULE_KEYS,
      templates: ctx.params,
      // A name that is not repo1..repo4, also one still holding a `${...}` placeholder: what it becomes is not known, and
      // a schedule spread from the wrong name is no default; pgo-full-schedule-required answers not checked instead.
      repoName: (repo) => (repo.number === undefined ? undefined : String(repo.name)),
      backupType: (key) => BACKUP_TYPE[key],
      sharedWith: (repo) => (repo.storage === "volume" ? volume : undefined),
      minLength: SCHEDULE_MIN_LENGTH,
      now: ctx.now,
    });
  },
};

export const pgoDefaulters: CatalogDefaulter[] = [archiveTimeout, retentionFull, repoPath, schedules];
