// What the pgBackRest operators' retention defaults (cpo-retention-full, pgo-retention-full) take from the policy:
// the same pgBackRest options (repoN-retention-full, repoN-retention-full-type), so the same parameters.
import type { JsonSchema } from "../../engine/types.ts";

export interface RetentionParams {
  count: number;
  type: "count" | "time";
}

/** pgBackRest's range for repoN-retention-full is 1-9999999. */
export const RETENTION_PARAMS: Record<string, JsonSchema> = {
  count: {
    type: "integer",
    minimum: 1,
    maximum: 9999999,
    default: 7,
    description: "repoN-retention-full to set: full backups to keep (type count) or days (type time).",
  },
  type: { enum: ["count", "time"], default: "count", description: "repoN-retention-full-type to set with it." },
};
