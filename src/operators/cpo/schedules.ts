// The pgBackRest repo schedules of a CPO postgresql, with the dialect they run in (Kubernetes CronJobs).
import type { Resource } from "../../engine/types.ts";
import type { ScheduleSource } from "../../rules/schedule/sources.ts";
import { repoScheduleSources, type RepoScheduleLayout } from "../pgbackrest/sources.ts";
import { MAX_REPOS, REPOS_PATH, SCHEDULE_TYPES, type BackupType } from "./model.ts";

const REJECTED =
  "the CYBERTEC operator copies the schedule verbatim into a CronJob without checking it; the Kubernetes API server refuses that CronJob, the cluster goes to CreateFailed/SyncFailed, and these backups never run";

/**
 * `repos[i].schedule.{full,incr,diff}` for every repo whose `schedule` is an object. Empty strings and other keys
 * are `cpo-schedule-keys`' business and are left out. Only repo1..repo4 can exist (the CRD's `^repo[1-4]$` in a list
 * keyed by name): entries after the 4th are not read, so thousands of repos cost nothing here; cpo-repo-names denies
 * such a list. Never throws.
 */
export function scheduleSources(resource: Resource): ScheduleSource[] {
  // The layout is built per call: model.ts imports this file, so its constants are not yet set when this module loads.
  const layout: RepoScheduleLayout<BackupType> = {
    reposPath: REPOS_PATH,
    maxRepos: MAX_REPOS,
    field: "schedule",
    keys: SCHEDULE_TYPES,
    role: (type) => type,
    rejectedBy: REJECTED,
    skipEmpty: true,
  };
  return repoScheduleSources(resource, layout).map(({ source }) => source);
}
