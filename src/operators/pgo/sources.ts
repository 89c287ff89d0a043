// Every backup schedule string of a PostgresCluster: repos[i].schedules.{full,differential,incremental}, each the
// schedule of one CronJob <cluster>-<repo>-<full|diff|incr> (internal/controller/postgrescluster/pgbackrest.go
// L3090-L3129), in the Kubernetes CronJob dialect (copied verbatim into CronJob.spec.schedule, L3224).
import type { Resource } from "../../engine/types.ts";
import type { ScheduleSource } from "../../rules/schedule/sources.ts";
import { getArray, getObject, getPath, isObject } from "../../util/object.ts";

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

/**
 * `repos[i].schedules.<key>` for every repo whose `schedules` is an object and every key present (a wrong type is
 * reported with `text: null`; the API server rejects it). Keys other than the three are pgo-schedule-keys'. Never throws.
 */
export function scheduleSources(resource: Resource): ScheduleSource[] {
  if (!isObject(resource) || resource.kind !== "PostgresCluster") return [];
  if (typeof resource.apiVersion !== "string" || resource.apiVersion.split("/")[0] !== GROUP) return [];
  const out: PgoScheduleSource[] = [];
  const suspended = suspension(resource);
  const repos = (getArray(resource, "spec.backups.pgbackrest.repos") ?? []).slice(0, MAX_REPOS);
  for (const [i, repo] of repos.entries()) {
    if (!isObject(repo) || !isObject(repo.schedules)) continue;
    const schedules = repo.schedules;
    const repoName = typeof repo.name === "string" ? repo.name : undefined;
    for (const key of KEYS) {
      if (!Object.hasOwn(schedules, key)) continue;
      const value = schedules[key];
      const source: PgoScheduleSource = {
        path: `spec.backups.pgbackrest.repos[${i}].schedules.${key}`,
        text: typeof value === "string" ? value : null,
        value,
        dialect: "kubernetes",
        role: ROLE[key],
        repoIndex: i,
        subject: `${repoName ?? `repos[${i}]`} ${ROLE[key]} backups`,
        rejectedBy: REJECTED,
        key,
      };
      if (repoName !== undefined) source.repoName = repoName;
      if (suspended !== undefined) {
        source.suspended = true;
        source.note = suspended;
      }
      out.push(source);
    }
  }
  return out;
}
