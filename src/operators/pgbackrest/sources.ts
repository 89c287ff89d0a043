// How the pgBackRest operators (CPO, PGO) declare backup schedules: a map of cron strings on each repo of a list,
// one CronJob per key. Both read it the same way for the generic schedule-* rules (cpo/schedules.ts, pgo/sources.ts)
// and both guess a misspelt key the same way (cpo-/pgo-schedule-keys); only the names differ.
// Imports nothing of either operator: pgo/model.ts imports pgo/sources.ts, which imports this file.
import type { Resource } from "../../engine/types.ts";
import type { ScheduleSource } from "../../rules/schedule/sources.ts";
import { getArray, isObject } from "../../util/object.ts";

/** pgBackRest's backup types, the role of a schedule. */
export type BackupRole = "full" | "diff" | "incr";

/** Where an operator keeps its repo schedules and what it does with a bad one. */
export interface RepoScheduleLayout<K extends string> {
  /** Dotted path of the repos list. */
  reposPath: string;
  /** Entries after this many are not read. */
  maxRepos: number;
  /** The repo member holding the schedules map: `schedule` (CPO), `schedules` (PGO). */
  field: string;
  /** The map's keys, in the order they are reported. */
  keys: readonly K[];
  /** The backup type a key schedules. */
  role: (key: K) => BackupRole;
  /** ScheduleSource.rejectedBy of every schedule. */
  rejectedBy: string;
  /** Leave out keys holding "" (CPO: cpo-schedule-keys reports those). */
  skipEmpty: boolean;
}

/**
 * `<reposPath>[i].<field>.<key>` for every repo whose `<field>` is a map and every key of `layout.keys` present (a
 * wrong type is reported with `text: null`), with the key it came from. Never throws.
 */
export function repoScheduleSources<K extends string>(resource: Resource, layout: RepoScheduleLayout<K>): { key: K; source: ScheduleSource }[] {
  const out: { key: K; source: ScheduleSource }[] = [];
  const repos = (getArray(resource, layout.reposPath) ?? []).slice(0, layout.maxRepos);
  for (const [i, repo] of repos.entries()) {
    if (!isObject(repo)) continue;
    const schedules = repo[layout.field];
    if (!isObject(schedules)) continue;
    const repoName = typeof repo.name === "string" ? repo.name : undefined;
    for (const key of layout.keys) {
      if (!Object.hasOwn(schedules, key)) continue;
      const role = layout.role(key);
      const value = schedules[key];
      if (layout.skipEmpty && value === "") continue;
      const source: ScheduleSource = {
        path: `${layout.reposPath}[${i}].${layout.field}.${key}`,
        text: typeof value === "string" ? value : null,
        value,
        dialect: "kubernetes",
        role,
        repoIndex: i,
        subject: `${repoName ?? `repos[${i}]`} ${role} backups`,
        rejectedBy: layout.rejectedBy,
      };
      if (repoName !== undefined) source.repoName = repoName;
      out.push({ key, source });
    }
  }
  return out;
}

/**
 * The schedules key most likely meant by an unknown one: the name of the first `[prefix, name]` whose prefix the
 * lower-cased key starts with (`incremental` -> CPO's `incr`, `incr` -> PGO's `incremental`), else `full` for `base`.
 */
export function likelyScheduleKey(key: string, prefixes: readonly (readonly [string, string])[]): string | undefined {
  const k = key.toLowerCase();
  for (const [prefix, name] of prefixes) if (k.startsWith(prefix)) return name;
  return k === "base" ? "full" : undefined;
}
