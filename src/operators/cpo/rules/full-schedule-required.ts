import type { Problem } from "../../../engine/types.ts";
import { problem } from "../../../rules/util.ts";
import { isObject } from "../../../util/object.ts";
import { APPLIES_TO, reposOf, standbySource } from "../model.ts";
import { operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

export const rule = defineRule({
  meta: {
    id: "cpo-full-schedule-required",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "Every repo needs schedule.full.",
      rationale:
        "Not for a standby cluster (spec.standby with standby_host or a WAL path): it cannot take backups until it is promoted by removing spec.standby, and then this rule applies. " +
        "The operator creates one CronJob per (repo, full|incr|diff) key present in repos[].schedule and nothing else. A repo without a " +
        "schedule gets no CronJob and no warning: WAL is still pushed to it but it only ever holds the bootstrap backup, if any; and " +
        "incr/diff backups without a recent full are promoted to full or chain from a stale one " +
        `(${operatorCode("pkg/cluster/sync.go", 1748, 1827)}).`,
      bad: "repos:\n  - name: repo1\n    storage: s3\n    schedule: {incr: '0 * * * *'}",
      good: "repos:\n  - name: repo1\n    storage: s3\n    schedule: {full: '30 2 * * *', incr: '0 * * * *'}",
      fix: "Add schedule.full to the repo, e.g. `schedule: {full: '30 2 * * *'}` (5-field Kubernetes cron, UTC).",
    },
  },
  check(resource) {
    // A standby cannot take backups (cpo-standby-backups); the rule applies once spec.standby is removed to promote it.
    if (standbySource(resource)) return [];
    const repos = reposOf(resource);
    if (!repos) return [];
    const problems: Problem[] = [];
    for (const repo of repos) {
      if (!repo.obj) continue;
      const schedule = repo.obj.schedule;
      if (isObject(schedule) && schedule.full != null) continue;
      const label = repo.name ?? `repos[${repo.index}]`;
      const where = schedule == null ? repo.path : `${repo.path}.schedule`;
      problems.push(
        problem(
          where,
          `${label} has no schedule.full, so the operator creates no full-backup CronJob for it and it never gets a fresh base backup. ` +
            "Add `schedule: {full: '30 2 * * *'}` (or another 5-field cron, evaluated in UTC).",
        ),
      );
    }
    return problems;
  },
});
