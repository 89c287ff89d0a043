import type { Resource } from "../../../engine/types.ts";
import { isObject } from "../../../util/object.ts";
import { problem } from "../../../rules/util.ts";
import { APPLIES_TO, REPO_NAME, SCHEDULE_TYPES, reposOf, standbySource } from "../model.ts";
import { containerCode, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

const STANDBY_PATH = "spec.standby";

/** `repo1 full`, … : every (repo, type) pair the operator makes a backup CronJob for (an empty string counts: it gets a default schedule). */
function scheduledJobs(resource: Resource): string[] {
  const jobs: string[] = [];
  for (const repo of reposOf(resource) ?? []) {
    if (!repo.obj || repo.name === undefined || !REPO_NAME.test(repo.name) || !isObject(repo.obj.schedule)) continue;
    const schedule = repo.obj.schedule;
    for (const type of SCHEDULE_TYPES) if (typeof schedule[type] === "string") jobs.push(`${repo.name} ${type}`);
  }
  return jobs;
}

const SELECTOR_CODE = operatorCode("pkg/cluster/k8sres.go", 3602, 3610);
const LABEL_CODE = containerCode("scripts/configure_spilo.py", 838, 840);
const JOB_SCRIPT = containerCode("scripts/pgbackrest/backup/start.sh", 5, 43);
const PGBACKREST_PRIMARY = "https://github.com/pgbackrest/pgbackrest/blob/release/2.58.0/src/db/helper.c#L128-L136";

export const rule = defineRule({
  meta: {
    id: "cpo-standby-backups",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: {},
    docs: {
      summary: "A standby cluster (spec.standby) has pgBackRest backup schedules, whose jobs never produce a backup.",
      rationale:
        "The operator creates the backup CronJobs of every repo schedule whether or not the cluster is a standby " +
        `(${operatorCode("pkg/cluster/sync.go", 1748, 1827)}). Each job looks for the pod labelled role=master (object-storage repos) or the repo host ` +
        `(pvc repos) and runs \`pgbackrest backup\` there (${SELECTOR_CODE}). pgBackRest backs up only a primary and stops with "unable to find primary ` +
        `cluster - cannot proceed" when every instance is in recovery (${PGBACKREST_PRIMARY}), as all members of a standby cluster are. ` +
        `The CPO image labels the standby leader role=master (${LABEL_CODE}), so with the default Kubernetes DCS the job finds it, fails four times ` +
        `and exits 1; where no pod carries the label (with an etcd DCS the image's role callback labels the standby leader standby_leader: ` +
        `${containerCode("scripts/callback_role.py", 77, 83)}), the job waits about 150 s, ` +
        `logs "No primary pod found" and exits 0: the Job shows Completed although no backup ran (${JOB_SCRIPT}). Either way the standby has no backups.`,
      bad: "standby:\n  standby_host: pg-main.prod.svc\nbackup:\n  pgbackrest:\n    repos:\n      - {name: repo1, storage: s3, ..., schedule: {full: '30 2 * * *'}}",
      good:
        "# back up the source cluster; give the standby its schedules when it is promoted (spec.standby removed)\n" +
        "standby:\n  standby_host: pg-main.prod.svc\nbackup:\n  pgbackrest:\n    repos:\n      - {name: repo1, storage: s3, ...}",
      fix:
        "Take the backups on the source (primary) cluster. Remove the schedules from the standby while it is one and add them back when you promote it " +
        "by removing spec.standby, or accept the warning knowing those jobs produce no backup.",
    },
  },
  check(resource) {
    const source = standbySource(resource);
    if (!source) return [];
    const jobs = scheduledJobs(resource);
    if (jobs.length === 0) return [];
    return [
      problem(
        STANDBY_PATH,
        `this is a standby cluster (it ${source}), yet it has backup schedules (${jobs.join(", ")}): pgBackRest backs up only a primary and every member ` +
          `of a standby cluster is in recovery, so each job ends without a backup: it fails with "unable to find primary cluster" on the standby leader, ` +
          "or, when no pod carries the role label master, exits 0 after about 150 s and shows Completed. Back up the source cluster instead, and give this one its " +
          "schedules when you promote it (remove spec.standby).",
      ),
    ];
  },
});
