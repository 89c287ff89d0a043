import { placeholderNotChecked, problem } from "../../../rules/util.ts";
import { hasPlaceholder, withoutPlaceholders } from "../../../util/placeholder.ts";
import { APPLIES_TO, BACKUP_TYPE, SCHEDULE_KEYS, hasSchedule, list, metadataName, reposOf } from "../model.ts";
import { issue, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

/** Kubernetes refuses CronJob names longer than 52 characters (63 minus the 11 its Job-name suffix needs). */
export const CRONJOB_NAME_LIMIT = 52;
/** With a 5-character repo name and a 4-character type, the longest cluster name that fits. */
export const MAX_NAME_LENGTH = CRONJOB_NAME_LIMIT - "-repo1-full".length;

/** PGO's CronJob name: `<cluster>-<repo>-<full|diff|incr>` (internal/naming/names.go L463-L468), not truncated. */
export function cronJobName(cluster: string, repo: string, type: string): string {
  return `${cluster}-${repo}-${type}`;
}

export const rule = defineRule({
  meta: {
    id: "pgo-cluster-name-length",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: `With backup schedules, metadata.name must be at most ${MAX_NAME_LENGTH} characters (CronJob names are capped at ${CRONJOB_NAME_LIMIT}).`,
      rationale:
        `PGO names each backup CronJob <cluster>-<repoN>-<full|diff|incr> and does not truncate it (${operatorCode("internal/naming/names.go", 463, 468)}). ` +
        `Kubernetes refuses CronJob names longer than ${CRONJOB_NAME_LIMIT} characters, so from ${MAX_NAME_LENGTH + 1} characters on every schedule ` +
        "fails: PGO only records a Warning event UnableToCreatePGBackRestCronJob and retries, the cluster looks healthy, and no scheduled " +
        `backup ever runs (${issue(3449)}, ${issue(3170)}, ${issue(3065)}). Clusters without schedules are not affected.`,
      bad: "metadata:\n  name: orders-service-primary-database-eu-west-1a   # 42 characters\nspec:\n  backups: {pgbackrest: {repos: [{name: repo1, schedules: {full: '30 2 * * 0'}, ...}]}}",
      good: "metadata:\n  name: orders-db-eu-west-1\nspec:\n  backups: {pgbackrest: {repos: [{name: repo1, schedules: {full: '30 2 * * 0'}, ...}]}}",
      fix: `Use a cluster name of at most ${MAX_NAME_LENGTH} characters (renaming means a new cluster: restore it from the old one's repo).`,
    },
  },
  check(resource) {
    const name = metadataName(resource);
    const repos = reposOf(resource);
    if (name === undefined || !repos) return [];
    const tooLong: string[] = [];
    // `${APP}-db` is as long as what Flux substitutes: only what is written around the placeholders counts for sure.
    const writtenName = withoutPlaceholders(name).length;
    let unresolved: string | undefined;
    for (const repo of repos) {
      if (repo.name === undefined) continue;
      for (const key of SCHEDULE_KEYS) {
        if (!hasSchedule(repo, key)) continue;
        // The length of cronJobName(name, repo.name, type), without building it (names may be long).
        const extra = BACKUP_TYPE[key].length + 2;
        if (writtenName + withoutPlaceholders(repo.name).length + extra > CRONJOB_NAME_LIMIT) tooLong.push(`${repo.name.length > 20 ? `${repo.name.slice(0, 17)}...` : repo.name} ${key}`);
        else if (name.length + repo.name.length + extra > CRONJOB_NAME_LIMIT) unresolved ??= hasPlaceholder(name) ? name : repo.name;
      }
    }
    if (tooLong.length === 0) return unresolved === undefined ? [] : [placeholderNotChecked(unresolved, "metadata.name", unresolved === name ? "metadata.name" : "the repo name")!];
    const example = cronJobName(name.length > 60 ? `${name.slice(0, 57)}...` : name, "repo1", "full");
    return [
      problem(
        "metadata.name",
        `metadata.name has ${name.length} characters: PGO names backup CronJobs <cluster>-<repo>-<type> (e.g. "${example}", ${name.length + 11} characters) ` +
          `and Kubernetes refuses CronJob names over ${CRONJOB_NAME_LIMIT}, so the schedules of ${list(tooLong.slice(0, 12))}${tooLong.length > 12 ? ` and ${tooLong.length - 12} more` : ""} ` +
          `never run; PGO only records a Warning event. Use a name of at most ${MAX_NAME_LENGTH} characters.`,
      ),
    ];
  },
});
