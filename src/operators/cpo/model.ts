// Readers for the CPO `postgresql` resource (spec.backup.pgbackrest). Every reader tolerates wrong types:
// a field of the wrong type reads as absent (or is returned raw for the rule that reports it).
import type { Resource } from "../../engine/types.ts";
import { keyPath } from "../../engine/field-path.ts";
import { getObject, getPath, isObject, type JsonObject } from "../../util/object.ts";
import type { CronSchedule } from "../../cron/index.ts";
import { parseSources } from "../../rules/schedule/common.ts";
import { scheduleSources } from "./schedules.ts";

export const APPLIES_TO = ["cpo.opensource.cybertec.at/v1/postgresql"] as const;

export const PGBACKREST_PATH = "spec.backup.pgbackrest";
export const REPOS_PATH = `${PGBACKREST_PATH}.repos`;
export const GLOBAL_PATH = `${PGBACKREST_PATH}.global`;
export const RESTORE_PATH = `${PGBACKREST_PATH}.restore`;
export const PARAMETERS_PATH = "spec.postgresql.parameters";

export const STORAGE_TYPES = ["s3", "gcs", "azure", "pvc"] as const;
export const OBJECT_STORAGE = new Set(["s3", "gcs", "azure"]);
export const SCHEDULE_TYPES = ["full", "incr", "diff"] as const;
export type BackupType = (typeof SCHEDULE_TYPES)[number];

/** The operator's repo names: `repo1`..`repo4` (CRD pattern `^repo[1-4]$`). */
export const REPO_NAME = /^repo[1-4]$/;

/** `spec.backup.pgbackrest` when it is an object. */
export function pgbackrestOf(resource: Resource): JsonObject | undefined {
  return getObject(resource, PGBACKREST_PATH);
}

/** One entry of `repos`, read defensively. */
export interface RepoView {
  index: number;
  /** `spec.backup.pgbackrest.repos[i]` */
  path: string;
  raw: unknown;
  /** The entry when it is an object. */
  obj?: JsonObject;
  name?: string;
  storage?: string;
  /** The pgBackRest repo number the operator uses for this entry: from a valid `name`, else undefined. */
  number?: number;
}

export function repoView(raw: unknown, index: number): RepoView {
  const view: RepoView = { index, path: `${REPOS_PATH}[${index}]`, raw };
  if (!isObject(raw)) return view;
  view.obj = raw;
  if (typeof raw.name === "string") {
    view.name = raw.name;
    if (REPO_NAME.test(raw.name)) view.number = Number(raw.name.slice(4));
  }
  if (typeof raw.storage === "string") view.storage = raw.storage;
  return view;
}

/**
 * At most this many repos are read: the CRD allows only `repo1`..`repo4` (`pattern: ^repo[1-4]$`) in a list keyed
 * by name (`x-kubernetes-list-type: map`), so a longer list can never be stored (CYBERTEC-pg-operator v0.9.2
 * pkg/apis/cpo.opensource.cybertec.at/v1/crds.go L1343-L1357). Entries after the 4th are ignored by every rule and
 * defaulter but `cpo-repo-names`, which denies the list for its length; this keeps the rules linear (issue 12: thousands of
 * repos took 5.4 s in /validate).
 */
export const MAX_REPOS = 4;

/** The first MAX_REPOS repos when `repos` is an array; `undefined` otherwise (missing, null, wrong type). */
export function reposOf(resource: Resource): RepoView[] | undefined {
  const repos = getPath(resource, REPOS_PATH);
  return Array.isArray(repos) ? repos.slice(0, MAX_REPOS).map(repoView) : undefined;
}

/** How many entries `repos` has (all of them, beyond MAX_REPOS too); `undefined` when it is not an array. */
export function repoCount(resource: Resource): number | undefined {
  const repos = getPath(resource, REPOS_PATH);
  return Array.isArray(repos) ? repos.length : undefined;
}

/** A schedule string of a repo, with its path. */
export interface ScheduleEntry {
  repo: RepoView;
  type: BackupType;
  text: string;
  path: string;
}

/** `global` when it is a map; `undefined` when absent or of the wrong type. */
export function globalOf(resource: Resource): JsonObject | undefined {
  return getObject(resource, GLOBAL_PATH);
}

/** A `global` key's field path; keys contain `-`, which a dotted path shows as is. */
export function globalKeyPath(key: string): string {
  return keyPath(GLOBAL_PATH, key); // a key with a dot is bracketed: the path stays readable back into its fields
}

/** `spec.postgresql.parameters` when it is a map. */
export function parametersOf(resource: Resource): JsonObject | undefined {
  return getObject(resource, PARAMETERS_PATH);
}

/** Shows a value in a message the way it would be written in YAML. */
export function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** A schedule entry that parses in the Kubernetes CronJob dialect. Unparseable ones are schedule-syntax's job. */
export interface ParsedSchedule extends ScheduleEntry {
  schedule: CronSchedule;
}

/** For each repo (by index), its full/incr/diff schedules that parse, in that order; read via scheduleSources. */
export function parsedSchedulesByRepo(resource: Resource, repos: RepoView[]): ParsedSchedule[][] {
  const out: ParsedSchedule[][] = repos.map(() => []);
  for (const s of parseSources(scheduleSources(resource))) {
    if (s.dialect !== "kubernetes" || !s.parsed.ok || s.repoIndex === undefined) continue;
    const repo = repos[s.repoIndex];
    const type = (SCHEDULE_TYPES as readonly string[]).includes(s.role) ? (s.role as BackupType) : undefined;
    if (!repo || !type) continue;
    out[s.repoIndex]!.push({ repo, type, text: s.text, path: s.path, schedule: s.parsed.schedule });
  }
  return out;
}

function nonBlank(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/**
 * How the cluster runs as a standby, or undefined when it does not. The operator passes STANDBY_HOST when standby_host is
 * set, else a WAL path (s3_wal_path, then gs_wal_path); the image makes a Patroni standby_cluster from either. A WAL-path
 * standby only takes effect when no clone method is set (configure_spilo.py checks the clone first).
 */
export function standbySource(resource: Resource): string | undefined {
  const standby = getObject(resource, "spec.standby");
  if (!standby) return undefined;
  if (nonBlank(standby.standby_host)) return `streams from ${standby.standby_host.trim()}`;
  const clone = getObject(resource, "spec.clone");
  if (clone && (nonBlank(clone.cluster) || isObject(clone.pgbackrest))) return undefined;
  if (nonBlank(standby.s3_wal_path)) return "replays WAL from s3_wal_path";
  if (nonBlank(standby.gs_wal_path)) return "replays WAL from gs_wal_path";
  return undefined;
}
