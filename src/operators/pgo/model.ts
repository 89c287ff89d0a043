// Readers for the PGO PostgresCluster (spec.backups.pgbackrest). Every reader tolerates wrong types: a field of the
// wrong type reads as absent. The controller reads both served versions (v1, v1beta1) as the same Go types, and
// their backup fields are identical, so nothing here looks at the version.
import type { Resource, ResourceType } from "../../engine/types.ts";
import { keyPath } from "../../engine/field-path.ts";
import { getObject, getPath, isObject, type JsonObject } from "../../util/object.ts";
import { parseSchedule, type CronSchedule } from "../../cron/index.ts";
import { scheduleSources, type PgoScheduleSource } from "./sources.ts";

export const APPLIES_TO: readonly ResourceType[] = [
  "postgres-operator.crunchydata.com/v1/PostgresCluster",
  "postgres-operator.crunchydata.com/v1beta1/PostgresCluster",
];

export const BACKUPS_PATH = "spec.backups";
export const PGBACKREST_PATH = "spec.backups.pgbackrest";
export const REPOS_PATH = `${PGBACKREST_PATH}.repos`;
export const GLOBAL_PATH = `${PGBACKREST_PATH}.global`;
export const PARAMETERS_PATH = "spec.config.parameters";
export const PATRONI_PARAMETERS_PATH = "spec.patroni.dynamicConfiguration.postgresql.parameters";

/** The four storage members of a repo. The CRD says "only one of its members may be specified" but does not enforce it. */
export const STORAGE_TYPES = ["volume", "s3", "gcs", "azure"] as const;
export type StorageType = (typeof STORAGE_TYPES)[number];
export const CLOUD_STORAGE: ReadonlySet<string> = new Set(["s3", "gcs", "azure"]);

/** Keys of `repos[].schedules`, their backup type (CronJob suffix, `--type=`), and the ScheduleSource role. */
export const SCHEDULE_KEYS = ["full", "differential", "incremental"] as const;
export type ScheduleKey = (typeof SCHEDULE_KEYS)[number];
export const BACKUP_TYPE: Record<ScheduleKey, "full" | "diff" | "incr"> = { full: "full", differential: "diff", incremental: "incr" };

/** What the operator needs a repo name to be: the CRD's `^repo[1-4]` is not anchored at the end, this is. */
export const REPO_NAME = /^repo[1-4]$/;

/**
 * At most this many repos are read. The CRD has no maxItems and its name pattern `^repo[1-4]` is unanchored, so a list
 * keyed by name could hold `repo1`, `repo1a`, `repo1b`, ...; only repo1..repo4 work (pgo-repo-names denies the others).
 * Entries after the 100th are ignored by every rule and defaulter but pgo-repo-names, which counts them; this keeps
 * rules linear for hostile input.
 */
export const MAX_REPOS = 100;

/** The stanza PGO always uses for its own repos (internal/pgbackrest/config.go L32). */
export const STANZA = "db";
/** PGO's default `repoN-path`: `/pgbackrest/` + the repo name, for every repo (config.go L29, L382). */
export const DEFAULT_REPO_PATH_PREFIX = "/pgbackrest/";

export function pgbackrestOf(resource: Resource): JsonObject | undefined {
  return getObject(resource, PGBACKREST_PATH);
}

/** One entry of `repos`, read defensively. */
export interface RepoView {
  index: number;
  /** `spec.backups.pgbackrest.repos[i]` */
  path: string;
  obj?: JsonObject;
  name?: string;
  /** The storage members present (objects), in STORAGE_TYPES order. */
  members: StorageType[];
  /**
   * The storage PGO uses: `volume` whenever a volume is set, else azure > gcs > s3 (getExternalRepoConfigs,
   * internal/pgbackrest/config.go L539-L557), else undefined (only repoN-path is written).
   */
  storage?: StorageType;
  /** 1..4 for a valid name. */
  number?: number;
}

export function repoView(raw: unknown, index: number): RepoView {
  const view: RepoView = { index, path: `${REPOS_PATH}[${index}]`, members: [] };
  if (!isObject(raw)) return view;
  view.obj = raw;
  if (typeof raw.name === "string") {
    view.name = raw.name;
    if (REPO_NAME.test(raw.name)) view.number = Number(raw.name.slice(4));
  }
  for (const t of STORAGE_TYPES) if (isObject(raw[t])) view.members.push(t);
  const has = (t: StorageType) => view.members.includes(t);
  view.storage = has("volume") ? "volume" : has("azure") ? "azure" : has("gcs") ? "gcs" : has("s3") ? "s3" : undefined;
  return view;
}

/** The first MAX_REPOS repos when `repos` is an array; `undefined` otherwise. */
export function reposOf(resource: Resource): RepoView[] | undefined {
  const repos = getPath(resource, REPOS_PATH);
  return Array.isArray(repos) ? repos.slice(0, MAX_REPOS).map(repoView) : undefined;
}

/** Whether the cluster has pgBackRest repos at all (the operator's "backups defined" needs more, see backupsSpecFound). */
export function hasRepos(resource: Resource): boolean {
  const repos = getPath(resource, REPOS_PATH);
  return Array.isArray(repos) && repos.length > 0;
}

/** A repo's label in messages: its name, or `repos[i]`. */
export function repoLabel(r: RepoView): string {
  return r.name ?? `repos[${r.index}]`;
}

export function globalOf(resource: Resource): JsonObject | undefined {
  return getObject(resource, GLOBAL_PATH);
}

export function globalKeyPath(key: string): string {
  return keyPath(GLOBAL_PATH, key); // a key with a dot is bracketed: the path stays readable back into its fields
}

/** The repo's `repoN-path` as pgBackRest gets it: `global` overwrites PGO's `/pgbackrest/<name>` (config.go L382, L405). */
export function effectiveRepoPath(repo: RepoView, global: JsonObject | undefined): string | undefined {
  if (repo.name === undefined) return undefined;
  const v = global?.[`${repo.name}-path`];
  return typeof v === "string" ? v : DEFAULT_REPO_PATH_PREFIX + repo.name;
}

/** Where a cloud repo's objects live: type, bucket/container (and the S3 endpoint), or undefined for volume/none. */
export function cloudLocation(repo: RepoView): string | undefined {
  const storage = repo.storage;
  if (!repo.obj || storage === undefined || storage === "volume") return undefined;
  const member = repo.obj[storage];
  if (!isObject(member)) return undefined;
  const bucket = storage === "azure" ? member.container : member.bucket;
  if (typeof bucket !== "string" || bucket === "") return undefined;
  const endpoint = storage === "s3" && typeof member.endpoint === "string" ? member.endpoint.toLowerCase() : "";
  return `${storage}:${endpoint}:${bucket}`;
}

/** The path without trailing slashes (a loop: `/\/+$/` is quadratic on a long run of slashes). */
export function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47) end--;
  return path.slice(0, end);
}

/** `spec.standby.enabled`, with the CRD default `true` when `spec.standby` is an object without it. */
export function standbyEnabled(resource: Resource): boolean {
  const standby = getObject(resource, "spec.standby");
  return standby !== undefined && standby.enabled !== false;
}

/** `spec.shutdown: true`. */
export function isShutdown(resource: Resource): boolean {
  return getPath(resource, "spec.shutdown") === true;
}

/**
 * A sentence for schedule findings while the operator suspends the backup CronJobs (`suspend = spec.shutdown ||
 * spec.standby.enabled`, internal/controller/postgrescluster/pgbackrest.go L3217-L3218), else "".
 */
export function suspendedNote(resource: Resource): string {
  if (standbyEnabled(resource)) return " (The CronJobs are suspended while spec.standby.enabled is true; this applies once the standby is promoted.)";
  if (isShutdown(resource)) return " (The CronJobs are suspended while spec.shutdown is true; this applies once the cluster is started again.)";
  return "";
}

export function metadataName(resource: Resource): string | undefined {
  const n = resource.metadata?.name;
  return typeof n === "string" && n !== "" ? n : undefined;
}

export function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

export function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** A schedule of a repo that parses in the Kubernetes CronJob dialect (unparseable ones are schedule-syntax's). */
export interface ParsedSchedule {
  repo: RepoView;
  key: ScheduleKey;
  type: "full" | "diff" | "incr";
  text: string;
  path: string;
  schedule: CronSchedule;
}

/** For each repo (by index), its full/differential/incremental schedules that parse, in that order. */
export function parsedSchedulesByRepo(resource: Resource, repos: RepoView[]): ParsedSchedule[][] {
  const out: ParsedSchedule[][] = repos.map(() => []);
  for (const s of scheduleSources(resource) as PgoScheduleSource[]) {
    if (s.text === null || s.repoIndex === undefined) continue;
    const repo = repos[s.repoIndex];
    if (!repo) continue;
    const parsed = parseSchedule(s.text, s.dialect);
    if (!parsed.ok) continue;
    out[s.repoIndex]!.push({ repo, key: s.key, type: BACKUP_TYPE[s.key], text: s.text, path: s.path, schedule: parsed.schedule });
  }
  return out;
}

/** Whether the repo has a `schedules.<key>` string. */
export function hasSchedule(repo: RepoView, key: ScheduleKey): boolean {
  const s = repo.obj?.schedules;
  return isObject(s) && typeof s[key] === "string";
}

/** Whether the repo has any schedule string. */
export function hasAnySchedule(repo: RepoView): boolean {
  return SCHEDULE_KEYS.some((k) => hasSchedule(repo, k));
}
