// The pgBackRest repo schedules of a CPO postgresql, with the dialect they run in (Kubernetes CronJobs).
import type { Resource } from "../../engine/types.ts";
import type { ScheduleSource } from "../../rules/schedule/sources.ts";
import { getArray, isObject } from "../../util/object.ts";
import { MAX_REPOS, SCHEDULE_TYPES } from "./model.ts";

const REJECTED =
  "the CYBERTEC operator copies the schedule verbatim into a CronJob without checking it; the Kubernetes API server refuses that CronJob, the cluster goes to CreateFailed/SyncFailed, and these backups never run";

/**
 * `repos[i].schedule.{full,incr,diff}` for every repo whose `schedule` is an object. Empty strings and other keys
 * are `cpo-schedule-keys`' business and are left out. Only repo1..repo4 can exist (the CRD's `^repo[1-4]$` in a list
 * keyed by name): entries after the 4th are not read, so thousands of repos cost nothing here; cpo-repo-names denies
 * such a list. Never throws.
 */
export function scheduleSources(resource: Resource): ScheduleSource[] {
  const out: ScheduleSource[] = [];
  const repos = (getArray(resource, "spec.backup.pgbackrest.repos") ?? []).slice(0, MAX_REPOS);
  for (const [i, repo] of repos.entries()) {
    if (!isObject(repo) || !isObject(repo.schedule)) continue;
    const schedule = repo.schedule;
    const repoName = typeof repo.name === "string" ? repo.name : undefined;
    for (const key of SCHEDULE_TYPES) {
      if (!Object.hasOwn(schedule, key)) continue;
      const value = schedule[key];
      if (value === "") continue;
      const source: ScheduleSource = {
        path: `spec.backup.pgbackrest.repos[${i}].schedule.${key}`,
        text: typeof value === "string" ? value : null,
        value,
        dialect: "kubernetes",
        role: key,
        repoIndex: i,
        subject: `${repoName ?? `repos[${i}]`} ${key} backups`,
        rejectedBy: REJECTED,
      };
      if (repoName !== undefined) source.repoName = repoName;
      out.push(source);
    }
  }
  return out;
}
