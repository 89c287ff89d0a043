import { BoundedProblems, placeholderCountNotChecked, problem } from "../../../rules/util.ts";
import { hasPlaceholder } from "../../../util/placeholder.ts";
import { RETENTION_FULL_TYPES, RETENTION_MINIMUM_PARAMS, belowMinimum, retentionMinimums, type RetentionMinimumParams } from "../../pgbackrest/retention.ts";
import { APPLIES_TO, GLOBAL_PATH, globalKeyPath, globalOf, show } from "../model.ts";
import { PGBACKREST_OPTIONS } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

type Params = RetentionMinimumParams;

const RETENTION_KEY = /^repo([1-9][0-9]{0,2})-retention-(full|diff|archive|full-type|archive-type)$/;
const TYPE_VALUES: Record<string, readonly string[]> = { "full-type": RETENTION_FULL_TYPES, "archive-type": ["full", "diff", "incr"] };
/** pgBackRest's allow-range of repo-retention-full/-diff/-archive. */
const MAX = 9999999;

export const rule = defineRule<Params>({
  meta: {
    id: "pgo-retention-values",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: RETENTION_MINIMUM_PARAMS,
    docs: {
      summary: "repoN-retention-full/-diff/-archive must be whole numbers 1-9999999, the -type options count|time and full|diff|incr.",
      rationale:
        "PGO copies global into the pgBackRest configuration unchecked, so a bad value shows up only when pgBackRest reads it: it " +
        "refuses the whole configuration and archiving and backups fail. pgBackRest's option table gives repo-retention-full, -diff " +
        "and -archive the range 1-9999999, repo-retention-full-type count|time (time counts days, not backups) and " +
        `repo-retention-archive-type full|diff|incr (${PGBACKREST_OPTIONS}). The policy's minimum keeps at least minFullCount backups ` +
        "or minFullDays days.",
      bad: "global:\n  repo1-retention-full: '7d'\n  repo1-retention-full-type: days",
      good: "global:\n  repo1-retention-full: '7'\n  repo1-retention-full-type: time",
      fix: "Write a whole number (quoted: global values are strings), and count or time as the type.",
    },
  },
  check(resource, ctx) {
    const global = globalOf(resource);
    if (!global) return [];
    const minimums = retentionMinimums(ctx.params);
    const listed = new BoundedProblems();
    for (const key in global) {
      if (!Object.hasOwn(global, key)) continue;
      const m = RETENTION_KEY.exec(key);
      if (!m) continue;
      const value = global[key];
      const kind = m[2]!;
      if (typeof value !== "string") {
        listed.add(() => problem(globalKeyPath(key), `${key} is ${show(value)}, not a string: the CRD accepts only strings in global. Quote it.`));
        continue;
      }
      const unresolved = placeholderCountNotChecked(value, globalKeyPath(key), key);
      if (unresolved) {
        listed.add(() => unresolved);
        continue;
      }
      const allowed = TYPE_VALUES[kind];
      if (allowed) {
        if (!allowed.includes(value)) {
          listed.add(() => problem(globalKeyPath(key), `${key} is ${show(value)}; pgBackRest accepts only ${allowed.join(" or ")}, and refuses the configuration otherwise. Write \`${key}: ${allowed[0]}\`.`));
        }
        continue;
      }
      const trimmed = value.trim();
      const amount = /^[0-9]{1,8}$/.test(trimmed) ? Number(trimmed) : NaN;
      if (!(amount >= 1 && amount <= MAX)) {
        listed.add(() =>
          problem(globalKeyPath(key), `${key} is ${show(value)}, not a whole number from 1 to ${MAX}, so pgBackRest refuses the configuration and backups and archiving fail. Write e.g. \`${key}: '4'\`.`),
        );
        continue;
      }
      if (kind !== "full" || hasPlaceholder(global[`repo${m[1]}-retention-full-type`])) continue;
      const low = belowMinimum(key, value, amount, global[`repo${m[1]}-retention-full-type`] === "time", minimums);
      if (low) listed.add(() => problem(globalKeyPath(key), low));
    }
    return listed.finish(GLOBAL_PATH, "retention options with a problem");
  },
});
