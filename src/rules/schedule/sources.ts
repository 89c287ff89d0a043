// Every backup schedule string in a resource, with the dialect its operator parses it in.
import type { Resource } from "../../engine/types.ts";
import type { Dialect } from "../../cron/index.ts";
import { getArray, getObject, isObject } from "../../util/object.ts";

export type ScheduleRole = "base" | "full" | "incr" | "diff";

export interface ScheduleSource {
  /** Dotted path of the schedule field. */
  path: string;
  /** The schedule when it is a string; `null` when the field holds something else (see `value`). */
  text: string | null;
  /** The raw value, for messages about wrong types. `undefined` when a required schedule is missing. */
  value: unknown;
  dialect: Dialect;
  /** `base` for a CNPG ScheduledBackup; the pgBackRest backup type for CPO. */
  role: ScheduleRole;
  /** CPO only: index in `spec.backup.pgbackrest.repos`. */
  repoIndex?: number;
  /** CPO only: `repos[i].name` when it is a string. */
  repoName?: string;
  /** CNPG only: `spec.suspend: true` (the schedule takes no backups at all). */
  suspended?: boolean;
}

const CPO_KEYS = ["full", "incr", "diff"] as const;
/** The same bound as MAX_REPOS in rules/cpo/model.ts (not imported from there: cpo/model.ts imports schedule/common.ts, a cycle). */
const MAX_CPO_REPOS = 4;

function apiGroup(resource: Resource): string {
  return typeof resource.apiVersion === "string" ? resource.apiVersion.split("/")[0]! : "";
}

/**
 * ScheduledBackup: `spec.schedule` (cnpg dialect; reported even when missing or not a string, since the
 * CRD requires a string). CPO postgresql: `repos[i].schedule.{full,incr,diff}` (cpo dialect) for every
 * repo whose `schedule` is an object; other keys belong to `cpo-schedule-keys`. Never throws.
 */
export function scheduleSources(resource: Resource): ScheduleSource[] {
  if (!isObject(resource)) return [];
  const out: ScheduleSource[] = [];
  if (apiGroup(resource) === "postgresql.cnpg.io" && resource.kind === "ScheduledBackup") {
    const spec = getObject(resource, "spec");
    if (!spec) return out;
    const value = spec.schedule;
    const source: ScheduleSource = {
      path: "spec.schedule",
      text: typeof value === "string" ? value : null,
      value,
      dialect: "cnpg",
      role: "base",
    };
    if (spec.suspend === true) source.suspended = true;
    out.push(source);
  } else if (apiGroup(resource) === "cpo.opensource.cybertec.at" && resource.kind === "postgresql") {
    // Only repo1..repo4 can exist (the CRD's `^repo[1-4]$` in a list keyed by name; see MAX_CPO_REPOS): entries after the
    // 4th are not read, so thousands of repos cost nothing here; cpo-repo-names denies such a list.
    const repos = (getArray(resource, "spec.backup.pgbackrest.repos") ?? []).slice(0, MAX_CPO_REPOS);
    for (const [i, repo] of repos.entries()) {
      if (!isObject(repo) || !isObject(repo.schedule)) continue;
      const schedule = repo.schedule;
      for (const key of CPO_KEYS) {
        if (!Object.hasOwn(schedule, key)) continue;
        const value = schedule[key];
        const source: ScheduleSource = {
          path: `spec.backup.pgbackrest.repos[${i}].schedule.${key}`,
          text: typeof value === "string" ? value : null,
          value,
          dialect: "cpo",
          role: key,
          repoIndex: i,
        };
        if (typeof repo.name === "string") source.repoName = repo.name;
        out.push(source);
      }
    }
  }
  return out;
}

/** "repo1 full backups" / "base backups": how a message names what the schedule drives. */
export function scheduleSubject(s: ScheduleSource): string {
  if (s.dialect === "cnpg") return "this ScheduledBackup's backups";
  const repo = s.repoName ?? (s.repoIndex !== undefined ? `repos[${s.repoIndex}]` : "the repo");
  return `${repo} ${s.role} backups`;
}

/** A sentence to append when the ScheduledBackup is suspended. */
export function suspendedNote(s: ScheduleSource): string {
  return s.suspended ? " Note: spec.suspend is true, so CNPG currently takes no scheduled backups at all." : "";
}
