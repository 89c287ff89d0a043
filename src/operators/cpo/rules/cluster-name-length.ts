import type { Resource } from "../../../engine/types.ts";
import { placeholderNotChecked, problem } from "../../../rules/util.ts";
import { isObject } from "../../../util/object.ts";
import { APPLIES_TO, SCHEDULE_TYPES, reposOf } from "../model.ts";
import { operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

/** CronJob names are `pgbackrest-<name>-<repoN>-<type>` cut to 52 characters: 33 is the longest name that keeps them apart. */
export const MAX_NAME_LENGTH = 33;
const CRONJOB_NAME_LIMIT = 52;
const REPO_NAMES = ["repo1", "repo2", "repo3", "repo4"];

/** The operator's getPgbackrestJobName + trimCronjobName: cut to 52 characters, then trailing `-` removed. */
export function cronJobName(cluster: string, repo: string, type: string): string {
  const name = `pgbackrest-${cluster}-${repo}-${type}`;
  return name.length > CRONJOB_NAME_LIMIT ? name.slice(0, CRONJOB_NAME_LIMIT).replace(/-+$/, "") : name;
}

/**
 * Replays one pass of the operator's syncPgbackrestJob: repo1..repo4 x full, incr, diff, creating (or updating) the
 * CronJob of every pair present in the spec and deleting the CronJob of that name for every pair that is not.
 * Returns the CronJobs left afterwards (name -> the pair that owns it) and the configured pairs.
 */
function replaySync(resource: Resource, cluster: string): { left: Map<string, string>; configured: string[] } {
  const repos = reposOf(resource) ?? [];
  const left = new Map<string, string>();
  const configured: string[] = [];
  for (const repo of REPO_NAMES) {
    for (const type of SCHEDULE_TYPES) {
      const name = cronJobName(cluster, repo, type);
      const present = repos.some((r) => r.name === repo && isObject(r.obj?.schedule) && typeof r.obj.schedule[type] === "string");
      if (present) {
        configured.push(`${repo} ${type}`);
        left.set(name, `${repo} ${type}`);
      } else left.delete(name);
    }
  }
  return { left, configured };
}

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

export const rule = defineRule({
  meta: {
    id: "cpo-cluster-name-length",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: `metadata.name must be at most ${MAX_NAME_LENGTH} characters (backup CronJob names would collide and the jobs delete each other).`,
      rationale:
        `The operator names each backup CronJob pgbackrest-<cluster>-<repoN>-<full|incr|diff>, cut to ${CRONJOB_NAME_LIMIT} characters with ` +
        "trailing '-' removed. From 34 characters on, the full, incr and diff jobs of a repo get the same name; from 36 on, all four repos' " +
        "jobs do. Every sync walks repo1..repo4 x full, incr, diff: it creates or updates the CronJob of each pair the spec has and deletes " +
        "the CronJob of that name for each pair it does not have. With shared names a later missing pair deletes the job an earlier pair " +
        "just created, so after each sync NO backup CronJob is left, unless the last pair of the shared name (that repo's diff; from 36 " +
        "characters repo4's diff) is configured, and then only that one runs. The operator itself accepts names up to 58 characters. " +
        `See ${operatorCode("pkg/cluster/sync.go", 1748, 1827)} and ${operatorCode("pkg/cluster/util.go", 763, 770)}.`,
      bad: "metadata:\n  name: orders-service-production-primary-db",
      good: "metadata:\n  name: orders-prod-db",
      fix: `Use a cluster name of at most ${MAX_NAME_LENGTH} characters (the name cannot be changed later: create the cluster under the shorter name).`,
    },
  },
  check(resource) {
    const name = resource.metadata?.name;
    if (typeof name !== "string" || name.length <= MAX_NAME_LENGTH) return [];
    // `${APP}-db` is as long as what Flux substitutes: unknown here.
    const unresolved = placeholderNotChecked(name, "metadata.name", "metadata.name");
    if (unresolved) return [unresolved];
    const shared = cronJobName(name, "repo1", "full");
    const sharing = REPO_NAMES.flatMap((repo) => SCHEDULE_TYPES.filter((t) => cronJobName(name, repo, t) === shared).map((t) => `${repo} ${t}`));
    const who = sharing.length > 3 ? "the full, incr and diff jobs of all four repos" : "repo1's full, incr and diff jobs (and likewise each other repo's)";
    const { left, configured } = replaySync(resource, name);
    const lost = configured.filter((pair) => ![...left.values()].includes(pair));
    let outcome: string;
    if (configured.length === 0) {
      outcome = "once schedules are configured, the jobs delete each other";
    } else if (left.size === 0) {
      outcome = `here no backup CronJob is left at all (${list(configured)} configured)`;
    } else if (lost.length > 0) {
      outcome = `here only ${list([...left.values()])} keep${left.size === 1 ? "s" : ""} a CronJob; ${list(lost)} never run`;
    } else {
      outcome = "any further schedule on a shared name deletes or replaces the others";
    }
    return [
      problem(
        "metadata.name",
        `metadata.name "${name}" has ${name.length} characters: the operator cuts backup CronJob names to ${CRONJOB_NAME_LIMIT} characters, so ` +
          `${who} get the same name "${shared}". Each sync creates the CronJob for a configured pair and deletes the CronJob of that name ` +
          `for each missing pair, so ${outcome}. Use a name of at most ${MAX_NAME_LENGTH} characters, e.g. "${name.slice(0, MAX_NAME_LENGTH).replace(/-+$/, "")}".`,
      ),
    ];
  },
});
