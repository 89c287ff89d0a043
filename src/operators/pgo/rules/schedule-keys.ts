import { BoundedProblems, problem } from "../../../rules/util.ts";
import { isObject } from "../../../util/object.ts";
import { APPLIES_TO, REPOS_PATH, SCHEDULE_KEYS, reposOf, show } from "../model.ts";
import { crdLines } from "../links.ts";
import { likelyScheduleKey } from "../../pgbackrest/sources.ts";
import { defineRule } from "../../../rules/define.ts";

const KNOWN: ReadonlySet<string> = new Set(SCHEDULE_KEYS);

/** What a misspelt key most likely means, by its prefix (`incr` -> `incremental`; `base` -> `full`). */
const MEANT = [["inc", "incremental"], ["dif", "differential"], ["ful", "full"]] as const;

export const rule = defineRule({
  meta: {
    id: "pgo-schedule-keys",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "repos[].schedules may only have the keys full, differential and incremental.",
      rationale:
        `The CRD declares schedules as an object with exactly full, differential and incremental (${crdLines(3093, 3120)}), so the API server ` +
        "prunes any other key before admission (kubectl's strict field validation refuses it; other clients only get a warning) and the " +
        "intended CronJob is never created. pgBackRest's own type names (incr, diff) are the usual mistake. The webhook never sees a " +
        "pruned key, so this is found in CI (validate) only.",
      bad: "schedules:\n  full: '30 2 * * 0'\n  incr: '0 * * * *'",
      good: "schedules:\n  full: '30 2 * * 0'\n  incremental: '0 * * * *'",
      fix: "Use only full, differential and incremental as keys.",
    },
  },
  check(resource) {
    const repos = reposOf(resource);
    if (!repos) return [];
    const listed = new BoundedProblems();
    for (const repo of repos) {
      if (!repo.obj || repo.obj.schedules == null) continue;
      const schedules = repo.obj.schedules;
      const path = `${repo.path}.schedules`;
      if (!isObject(schedules)) {
        listed.add(() => problem(path, `schedules is ${show(schedules)}, not a map: write e.g. \`schedules: {full: '30 2 * * 0'}\`.`));
        continue;
      }
      for (const key in schedules) {
        if (!Object.hasOwn(schedules, key) || KNOWN.has(key)) continue;
        listed.add(() => {
          const hint = likelyScheduleKey(key, MEANT);
          const shown = key.length > 40 ? `${key.slice(0, 37)}...` : key;
          return problem(
            `${path}.${shown}`,
            `schedules key ${show(shown)} is not full, differential or incremental: the API server drops it, so no CronJob is created for it. ` +
              (hint ? `Rename it to \`${hint}\`.` : "Use full, differential or incremental."),
          );
        });
      }
    }
    return listed.finish(REPOS_PATH, "unknown schedules keys");
  },
});
