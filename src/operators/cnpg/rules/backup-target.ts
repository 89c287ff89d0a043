import { problem } from "../../../rules/util.ts";
import { getString } from "../../../util/object.ts";
import { BACKUP, CLUSTER, SCHEDULED_BACKUP, isCluster } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

export const rule = defineRule({
  meta: {
    id: "cnpg-backup-target",
    appliesTo: [CLUSTER, BACKUP, SCHEDULED_BACKUP],
    defaultAction: "warn",
    params: {},
    docs: {
      summary: "Backups should target prefer-standby, not primary.",
      rationale:
        "prefer-standby (CNPG's default since #1949) takes backups from a ready standby and falls back to the primary " +
        "when there is none, sparing the primary the backup's I/O. target: primary always loads the primary and, for " +
        "cold snapshots, fences it (the docs warn the cluster becomes read-only for the whole backup).",
      bad: "spec:\n  backup:\n    target: primary",
      good: "spec:\n  backup:\n    target: prefer-standby",
      fix: "Set target: prefer-standby (or remove it: the Cluster default is prefer-standby).",
    },
  },
  check(resource) {
    const path = isCluster(resource) ? "spec.backup.target" : "spec.target";
    if (getString(resource, path) !== "primary") return [];
    return [
      problem(
        path,
        "target: primary runs every backup on the primary, adding its I/O to the production load, and a cold snapshot " +
          "fences (shuts down) the primary for its whole duration. Set " +
          `${path}: prefer-standby — CNPG still falls back to the primary when no standby is ready.`,
      ),
    ];
  },
});
