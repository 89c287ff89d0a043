import type { Problem } from "../../../engine/types.ts";
import { problem } from "../../../rules/util.ts";
import { isObject } from "../../../util/object.ts";
import { APPLIES_TO, SCHEDULE_TYPES, reposOf, show } from "../model.ts";
import { operatorCode } from "../links.ts";
import { likelyScheduleKey } from "../../pgbackrest/sources.ts";
import { defineRule } from "../../../rules/define.ts";

const KNOWN = new Set<string>(SCHEDULE_TYPES);

/** What a misspelt key most likely means, by its prefix (`incremental` -> `incr`; `base` -> `full`). */
const MEANT = [["inc", "incr"], ["dif", "diff"], ["full", "full"]] as const;

export const rule = defineRule({
  meta: {
    id: "cpo-schedule-keys",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "repos[].schedule may only have the keys full, incr, diff, each a non-empty cron string.",
      rationale:
        "The CRD declares schedule as an object with only full, incr and diff (strings), so the API server prunes any other key " +
        `(e.g. \`incremental:\`) before admission (${operatorCode("pkg/apis/cpo.opensource.cybertec.at/v1/crds.go", 1393, 1406)}): ` +
        "kubectl apply with its default strict field validation refuses it, other clients only get a warning, and the intended job is " +
        "never created. An empty string is kept, and the operator then gives that CronJob its logical_backup_schedule (default " +
        `'30 00 * * *') instead of what was meant (${operatorCode("pkg/cluster/k8sres.go", 3581, 3583)}).`,
      bad: "schedule:\n  full: '30 2 * * *'\n  incremental: '0 * * * *'",
      good: "schedule:\n  full: '30 2 * * *'\n  incr: '0 * * * *'",
      fix: "Use only full, incr and diff as keys, each with a 5-field cron string; delete keys you do not want instead of leaving them empty.",
    },
  },
  check(resource) {
    const repos = reposOf(resource);
    if (!repos) return [];
    const problems: Problem[] = [];
    for (const repo of repos) {
      if (!repo.obj || repo.obj.schedule == null) continue;
      const schedule = repo.obj.schedule;
      const path = `${repo.path}.schedule`;
      if (!isObject(schedule)) {
        problems.push(
          problem(path, `schedule is ${show(schedule)}, not a map: the operator expects {full, incr, diff}. Write e.g. \`schedule: {full: '30 2 * * *'}\`.`),
        );
        continue;
      }
      for (const [key, value] of Object.entries(schedule)) {
        const keyPath = `${path}.${key}`;
        if (!KNOWN.has(key)) {
          const hint = likelyScheduleKey(key, MEANT);
          const fix = hint ? `Rename it to \`${hint}\`.` : "Use full, incr or diff.";
          problems.push(
            problem(keyPath, `schedule key "${key}" is not full, incr or diff: the CRD silently drops it, so no CronJob is created for it. ${fix}`),
          );
          continue;
        }
        // Non-string values and whitespace-only strings are schedule-syntax's: the API server rejects them.
        if (value === "") {
          problems.push(
            problem(
              keyPath,
              `schedule.${key} is empty: the operator then silently uses its logical_backup_schedule ('30 00 * * *' by default) instead. ` +
                `Write the cron expression you mean, or delete the ${key} key.`,
            ),
          );
        }
      }
    }
    return problems;
  },
});
