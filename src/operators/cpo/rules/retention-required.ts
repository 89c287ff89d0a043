import type { Problem } from "../../../engine/types.ts";
import { placeholderCountNotChecked, placeholderNotChecked, problem } from "../../../rules/util.ts";
import { hasPlaceholder } from "../../../util/placeholder.ts";
import { getPath } from "../../../util/object.ts";
import { RETENTION_FULL_TYPES, RETENTION_MINIMUM_PARAMS, belowMinimum, retentionMinimums, type RetentionMinimumParams } from "../../pgbackrest/retention.ts";
import { APPLIES_TO, GLOBAL_PATH, globalKeyPath, globalOf, pgbackrestOf, reposOf, show } from "../model.ts";
import { operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

type Params = RetentionMinimumParams;

export const rule = defineRule<Params>({
  meta: {
    id: "cpo-retention-required",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: RETENTION_MINIMUM_PARAMS,
    docs: {
      summary: "global must set repoN-retention-full (a quoted number) for every repo.",
      rationale:
        "Without repoN-retention-full pgBackRest never expires full backups (it warns on every backup), so the repo grows until the bucket " +
        "or PVC fills and backups fail; archive retention follows full retention. The CRD requires every global value to be a string, " +
        `and the operator writes \`key = value\` into the INI file as is (${operatorCode("pkg/cluster/k8sres.go", 3279, 3284)}).`,
      bad: "global:\n  repo1-path: /my-cluster/repo1/",
      good: "global:\n  repo1-path: /my-cluster/repo1/\n  repo1-retention-full: '7'\n  repo1-retention-full-type: count",
      fix: "Add `repoN-retention-full: '<number>'` (and optionally `repoN-retention-full-type: count|time`) to global for each repo.",
    },
  },
  check(resource, ctx) {
    if (!pgbackrestOf(resource)) return [];
    const repos = reposOf(resource);
    if (!repos || repos.length === 0) return [];
    const rawGlobal = getPath(resource, GLOBAL_PATH);
    if (rawGlobal != null && globalOf(resource) === undefined) {
      return [problem(GLOBAL_PATH, `global is ${show(rawGlobal)}, not a map of strings: write e.g. \`global: {repo1-retention-full: '7'}\`.`)];
    }
    const global = globalOf(resource) ?? {};
    const minimums = retentionMinimums(ctx.params);
    const problems: Problem[] = [];
    for (const repo of repos) {
      if (!repo.obj || repo.index >= 4) continue;
      const n = repo.number ?? repo.index + 1;
      const key = `repo${n}-retention-full`;
      const typeKey = `${key}-type`;
      const value = global[key];
      const type = global[typeKey];
      const typeUnresolved = placeholderNotChecked(type, globalKeyPath(typeKey), typeKey);
      if (typeUnresolved) problems.push(typeUnresolved);
      else if (type != null && !(typeof type === "string" && RETENTION_FULL_TYPES.includes(type))) {
        problems.push(
          problem(globalKeyPath(typeKey), `${typeKey} is ${show(type)}; pgBackRest accepts only count or time. Write \`${typeKey}: count\`.`),
        );
      }
      if (value == null) {
        problems.push(
          problem(
            GLOBAL_PATH,
            `global has no ${key}: pgBackRest then never expires full backups of repo${n} (nor the WAL they need), so the repo grows until it is full and backups fail. ` +
              `Add \`${key}: '${Math.max(7, minimums.minFullCount)}'\` and \`${typeKey}: count\`.`,
          ),
        );
        continue;
      }
      if (typeof value !== "string") {
        problems.push(problem(globalKeyPath(key), `${key} is ${show(value)}, not a string: the CRD only accepts strings in global. Quote it: \`${key}: '${String(value)}'\`.`));
        continue;
      }
      const unresolved = placeholderCountNotChecked(value, globalKeyPath(key), key);
      if (unresolved) {
        problems.push(unresolved);
        continue;
      }
      if (!/^[0-9]+$/.test(value.trim())) {
        problems.push(problem(globalKeyPath(key), `${key} is ${show(value)}, not a whole number, so pgBackRest refuses the configuration. Write e.g. \`${key}: '7'\`.`));
        continue;
      }
      if (hasPlaceholder(type)) continue; // count or time: known only after substitution
      const low = belowMinimum(key, value, Number(value.trim()), type === "time", minimums);
      if (low) problems.push(problem(globalKeyPath(key), low));
    }
    return problems;
  },
});
