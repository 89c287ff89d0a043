import type { Rule } from "../../engine/types.ts";
import { problem } from "../util.ts";
import { SCHEDULED_BACKUP } from "./model.ts";

interface Params {
  maxLength: number;
}

export const rule: Rule<Params> = {
  meta: {
    id: "cnpg-scheduled-backup-name-length",
    appliesTo: [SCHEDULED_BACKUP],
    defaultAction: "deny",
    params: {
      maxLength: { type: "integer", minimum: 1, maximum: 253, default: 48, description: "Longest ScheduledBackup name allowed." },
    },
    docs: {
      summary: "ScheduledBackup names must be at most 48 characters.",
      rationale:
        "Each Backup a ScheduledBackup creates is named <name>-<YYYYMMDDHHMMSS> (15 more characters), and that name is " +
        "used in labels and VolumeSnapshot names that Kubernetes caps at 63 characters. Longer names make the backups " +
        "fail (#9343); CNPG does not check the length.",
      bad: "metadata:\n  name: payments-production-eu-west-1-primary-database-nightly",
      good: "metadata:\n  name: payments-prod-euw1-nightly",
      fix: "Shorten metadata.name to 48 characters or fewer.",
    },
  },
  check(resource, ctx) {
    const name = resource.metadata.name;
    const max = typeof ctx.params.maxLength === "number" ? ctx.params.maxLength : 48;
    if (typeof name !== "string" || name.length <= max) return [];
    return [
      problem(
        "metadata.name",
        `the name "${name}" is ${name.length} characters long; CNPG names each Backup <name>-<YYYYMMDDHHMMSS> and uses it ` +
          "in labels and VolumeSnapshot names limited to 63 characters, so the scheduled backups fail (#9343). " +
          `Use a name of at most ${max} characters.`,
      ),
    ];
  },
};
