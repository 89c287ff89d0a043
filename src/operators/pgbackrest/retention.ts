// What the pgBackRest operators' retention defaults (cpo-retention-full, pgo-retention-full) take from the policy:
// the same pgBackRest options (repoN-retention-full, repoN-retention-full-type), so the same parameters.
import type { Injection } from "../../engine/types.ts";
import type { ParamsSchema } from "../../rules/define.ts";
import type { JsonObject } from "../../util/object.ts";

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
