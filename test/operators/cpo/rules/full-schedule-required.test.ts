// cpo-full-schedule-required: every repo needs schedule.full, else it gets no full-backup CronJob.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/full-schedule-required.ts";
import { backup, cluster, good, pvcRepo, s3Repo } from "./fixtures.ts";
import { KEYCLOAK, SHOP, WIKI, edit } from "./manifests.ts";

const R0 = "spec.backup.pgbackrest.repos[0]";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "repos null: other rule", resource: cluster(backup(null)) },
    { name: "entry a number", resource: cluster(backup([42])) },
    { name: "realistic: weekly full + diff + incr, daily DR full", resource: SHOP },
    { name: "realistic: pvc + s3", resource: KEYCLOAK },
    { name: "realistic: @weekly", resource: WIKI },
    {
      name: "realistic: an empty full gets the operator's logical_backup_schedule (cpo-schedule-keys reports it)",
      resource: edit(WIKI, ({ repos }) => {
        (repos[0]!.schedule as Record<string, unknown>).full = "";
      }),
    },
    {
      name: "realistic: a standby keeps its repos without schedules",
      resource: edit(SHOP, ({ spec, repos }) => {
        spec.standby = { standby_host: "orders-db.shop-prod.svc" };
        for (const r of repos) delete r.schedule;
      }),
    },
  ],
  invalid: [
    { name: "no schedule", resource: cluster(backup([s3Repo(1, null)])), problems: [{ path: R0, message: "no schedule.full" }] },
    { name: "incr only", resource: cluster(backup([s3Repo(1, { incr: "0 * * * *" })])), problems: [{ path: `${R0}.schedule` }] },
    {
      name: "misspelt key only",
      resource: cluster(backup([s3Repo(1, { Full: "30 2 * * *" })])),
      problems: [{ path: `${R0}.schedule`, message: "schedule: {full: '30 2 * * *'}" }],
    },
    { name: "schedule a string", resource: cluster(backup([s3Repo(1, "30 2 * * *")])), problems: [{ path: `${R0}.schedule` }] },
    {
      name: "second repo without schedule",
      resource: cluster(backup([s3Repo(1), pvcRepo(2, null)])),
      problems: [{ path: "spec.backup.pgbackrest.repos[1]", message: "repo2 has no schedule.full" }],
    },
    {
      name: "realistic: a DR repo added without a schedule",
      resource: edit(SHOP, ({ repos }) => {
        delete repos[1]!.schedule;
      }),
      problems: [{ path: "spec.backup.pgbackrest.repos[1]", message: "repo2 has no schedule.full" }],
    },
    {
      name: "realistic: the pvc repo with only its incr left",
      resource: edit(KEYCLOAK, ({ repos }) => {
        repos[0]!.schedule = { incr: "0 */2 * * *" };
      }),
      problems: [{ path: "spec.backup.pgbackrest.repos[0].schedule", message: "repo1 has no schedule.full" }],
    },
  ],
});
