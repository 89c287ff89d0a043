// What the pgBackRest operators' retention defaults (cpo-retention-full, pgo-retention-full) take from the policy:
// the same pgBackRest options (repoN-retention-full, repoN-retention-full-type), so the same parameters.
import type { Defaulter, Injection, Resource, ResourceType } from "../../engine/types.ts";
import type { ParamsSchema } from "../../rules/define.ts";
import { isObject, type JsonObject } from "../../util/object.ts";

export interface RetentionParams {
  count: number;
  type: "count" | "time";
}

/** pgBackRest's range for repoN-retention-full is 1-9999999. */
export const RETENTION_PARAMS: ParamsSchema<RetentionParams> = {
  count: {
    type: "integer",
    minimum: 1,
    maximum: 9999999,
    default: 7,
    description: "repoN-retention-full to set: full backups to keep (type count) or days (type time).",
  },
  type: { enum: ["count", "time"], default: "count", description: "repoN-retention-full-type to set with it." },
};

/** pgBackRest's values of repoN-retention-full-type. */
export const RETENTION_FULL_TYPES: readonly string[] = ["count", "time"];

/** What the retention checks (cpo-retention-required, pgo-retention-values) take from the policy: the smallest retention. */
export interface RetentionMinimumParams {
  minFullCount: number;
  minFullDays: number;
}

export const RETENTION_MINIMUM_PARAMS: ParamsSchema<RetentionMinimumParams> = {
  minFullCount: {
    type: "integer",
    minimum: 1,
    default: 1,
    description: "Smallest repoN-retention-full allowed when repoN-retention-full-type is count (the default type).",
  },
  minFullDays: {
    type: "integer",
    minimum: 1,
    default: 1,
    description: "Smallest repoN-retention-full (in days) allowed when repoN-retention-full-type is time.",
  },
};

/** The policy's minimums, a missing value read as 1. */
export function retentionMinimums(params: Partial<RetentionMinimumParams>): RetentionMinimumParams {
  return { minFullCount: Number(params.minFullCount ?? 1), minFullDays: Number(params.minFullDays ?? 1) };
}

/**
 * The message when `key` (a repoN-retention-full written as `value`, read as the whole number `amount`) keeps less than
 * the policy's minimum: days when its -type is time, full backups otherwise; undefined when it keeps enough.
 */
export function belowMinimum(key: string, value: string, amount: number, isTime: boolean, minimums: RetentionMinimumParams): string | undefined {
  const min = isTime ? minimums.minFullDays : minimums.minFullCount;
  if (!(amount < min)) return undefined;
  const unit = isTime ? "days" : "full backups";
  return `${key} is '${value}' (${amount} ${unit}), below the policy minimum of ${min} ${unit}. Write \`${key}: '${min}'\` or more.`;
}

/**
 * What cpo- and pgo-retention-full inject: repoN-retention-full (and repoN-retention-full-type, only together with it)
 * into `global` for every repo number in `repoNumbers` that has none; returns one note per key added, at `globalPath`.
 * The caller stores `global` back when something was added.
 */
export function addRetention(global: JsonObject, repoNumbers: readonly number[], params: Partial<RetentionParams>, globalPath: string): Injection[] {
  const count = String(params.count ?? 7);
  const type = params.type === "time" ? "time" : "count";
  const notes: Injection[] = [];
  for (const n of repoNumbers) {
    const key = `repo${n}-retention-full`;
    if (global[key] != null) continue;
    global[key] = count;
    notes.push({ path: `${globalPath}.${key}`, value: count, why: "the policy's full-backup retention" });
    if (global[`${key}-type`] == null) {
      global[`${key}-type`] = type;
      notes.push({ path: `${globalPath}.${key}-type`, value: type });
    }
  }
  return notes;
}

/** What one operator tells retentionFullDefaulter: its names, and how it reads its pgBackRest section. */
export interface RetentionFullOptions {
  id: string;
  appliesTo: ResourceType[];
  description: string;
  /** Dotted path of pgbackrest.global, for the notes. */
  globalPath: string;
  /** The pgbackrest map when it is one. */
  pgbackrestOf(resource: Resource): JsonObject | undefined;
  /** The repos read, each with its pgBackRest repo number when its name is valid; undefined when repos is not a list. */
  reposOf(resource: Resource): readonly { number?: number }[] | undefined;
  /** Objects left alone although they have repos (PGO: standbys). */
  skip?(resource: Resource): boolean;
}

/**
 * cpo- and pgo-retention-full: addRetention for every repo with a valid name into `pgbackrest.global` (created when
 * missing, stored back only when something was added); nothing when global is not a map (the operator's rule reports it).
 */
export function retentionFullDefaulter(options: RetentionFullOptions): Defaulter<RetentionParams> {
  return {
    meta: {
      id: options.id,
      appliesTo: options.appliesTo,
      // Never on UPDATE: the next backup of an existing repo would expire every older full backup and its WAL.
      operations: ["CREATE"],
      enabledByDefault: true,
      params: RETENTION_PARAMS,
      description: options.description,
    },
    apply(resource, ctx) {
      const pgbackrest = options.pgbackrestOf(resource);
      const repos = options.reposOf(resource);
      if (!pgbackrest || !repos || repos.length === 0 || options.skip?.(resource)) return [];
      if (pgbackrest.global != null && !isObject(pgbackrest.global)) return []; // wrong type: the rule reports it
      const global: JsonObject = isObject(pgbackrest.global) ? pgbackrest.global : {};
      const numbers = repos.flatMap((r) => (r.number !== undefined ? [r.number] : []));
      const notes = addRetention(global, numbers, ctx.params, options.globalPath);
      if (notes.length > 0) pgbackrest.global = global;
      return notes;
    },
  };
}
