// Every backup schedule string of a PostgresCluster: repos[i].schedules.{full,differential,incremental}, each the
// schedule of one CronJob <cluster>-<repo>-<full|diff|incr> (internal/controller/postgrescluster/pgbackrest.go
// L3090-L3129), in the Kubernetes CronJob dialect (copied verbatim into CronJob.spec.schedule, L3224).
import type { Resource } from "../../engine/types.ts";
import type { ScheduleSource } from "../../rules/schedule/sources.ts";
import { getObject, getPath, isObject } from "../../util/object.ts";
import { repoScheduleSources, type RepoScheduleLayout } from "../pgbackrest/sources.ts";

/** The same bound as MAX_REPOS in model.ts (not imported: model.ts imports this file). */
const MAX_REPOS = 100;
const GROUP = "postgres-operator.crunchydata.com";
const KEYS = ["full", "differential", "incremental"] as const;
const ROLE = { full: "full", differential: "diff", incremental: "incr" } as const;

const REJECTED =
  "PGO copies the schedule verbatim into a CronJob without checking it; the Kubernetes API server refuses that CronJob, PGO only records a " +
  "Warning event UnableToCreatePGBackRestCronJob and retries while the cluster looks healthy, and these backups never run";

/** Why the operator suspends every backup CronJob now (`suspend = spec.shutdown || spec.standby.enabled`, L3217-L3218). */
function suspension(resource: Resource): string | undefined {
  const standby = getObject(resource, "spec.standby");
  if (standby !== undefined && standby.enabled !== false) {
    return " Note: spec.standby.enabled is true, so PGO suspends this CronJob; the schedule applies once the standby is promoted.";
  }
  if (getPath(resource, "spec.shutdown") === true) {
    return " Note: spec.shutdown is true, so PGO suspends this CronJob; the schedule applies once the cluster is started again.";
  }
  return undefined;
}

/** A ScheduleSource with the schedules key it came from. */
export type PgoScheduleSource = ScheduleSource & { key: (typeof KEYS)[number] };

const LAYOUT: RepoScheduleLayout<(typeof KEYS)[number]> = {
  reposPath: "spec.backups.pgbackrest.repos",
  maxRepos: MAX_REPOS,
  field: "schedules",
  keys: KEYS,
  role: (key) => ROLE[key],
  rejectedBy: REJECTED,
  skipEmpty: false,
};

/**
 * `repos[i].schedules.<key>` for every repo whose `schedules` is an object and every key present (a wrong type is
 * reported with `text: null`; the API server rejects it). Keys other than the three are pgo-schedule-keys'. Never throws.
 */
export function scheduleSources(resource: Resource): ScheduleSource[] {
  if (!isObject(resource) || resource.kind !== "PostgresCluster") return [];
  if (typeof resource.apiVersion !== "string" || resource.apiVersion.split("/")[0] !== GROUP) return [];
  const suspended = suspension(resource);
  return repoScheduleSources(resource, LAYOUT).map(({ key, source }): PgoScheduleSource => {
    const pgo: PgoScheduleSource = { ...source, key };
    if (suspended !== undefined) {
      pgo.suspended = true;
      pgo.note = suspended;
    }
    return pgo;
  });
}
