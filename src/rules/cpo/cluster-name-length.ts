import type { Rule } from "../../engine/types.ts";
import { problem } from "../util.ts";
import { APPLIES_TO } from "./model.ts";

/** CronJob names are `pgbackrest-<name>-<repoN>-<type>` cut to 52 characters: 33 is the longest name that keeps them apart. */
export const MAX_NAME_LENGTH = 33;
const CRONJOB_NAME_LIMIT = 52;

function cronJobName(cluster: string, repo: string, type: string): string {
  return `pgbackrest-${cluster}-${repo}-${type}`.slice(0, CRONJOB_NAME_LIMIT);
}

export const rule: Rule = {
  meta: {
    id: "cpo-cluster-name-length",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: `metadata.name must be at most ${MAX_NAME_LENGTH} characters (backup CronJob names would collide).`,
      rationale:
        `The operator names each backup CronJob pgbackrest-<cluster>-<repoN>-<full|incr|diff> and cuts the name to ${CRONJOB_NAME_LIMIT} ` +
        "characters. From 34 characters on, the full/incr/diff jobs of a repo get the same name, from 36 on the repo numbers vanish too; " +
        "the create/delete loop then overwrites or deletes the shared job on every sync (research/cpo.md §c).",
      bad: "metadata:\n  name: orders-service-production-primary-db",
      good: "metadata:\n  name: orders-prod-db",
      fix: `Use a cluster name of at most ${MAX_NAME_LENGTH} characters (the name cannot be changed later: create the cluster under the shorter name).`,
    },
  },
  check(resource) {
    const name = resource.metadata?.name;
    if (typeof name !== "string" || name.length <= MAX_NAME_LENGTH) return [];
    const a = cronJobName(name, "repo1", "full");
    const b = cronJobName(name, "repo1", "incr");
    return [
      problem(
        "metadata.name",
        `metadata.name "${name}" has ${name.length} characters: the operator cuts backup CronJob names to ${CRONJOB_NAME_LIMIT} characters, so ` +
          `repo1 full and incr both become "${a}"${a === b ? "" : ` / "${b}"`} and overwrite or delete each other on every sync. ` +
          `Use a name of at most ${MAX_NAME_LENGTH} characters, e.g. "${name.slice(0, MAX_NAME_LENGTH).replace(/-+$/, "")}".`,
      ),
    ];
  },
};
