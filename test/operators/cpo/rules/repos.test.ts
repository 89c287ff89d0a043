import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule as fullScheduleRequired } from "../../../../src/operators/cpo/rules/full-schedule-required.ts";
import { rule as scheduleKeys } from "../../../../src/operators/cpo/rules/schedule-keys.ts";
import { rule as retentionRequired } from "../../../../src/operators/cpo/rules/retention-required.ts";
import { rule as offsiteRepo } from "../../../../src/operators/cpo/rules/offsite-repo.ts";
import { rule as repoPathUnique } from "../../../../src/operators/cpo/rules/repo-path-unique.ts";
import { backup, cluster, good, pvcRepo, s3Repo } from "./fixtures.ts";

const R0 = "spec.backup.pgbackrest.repos[0]";
const G = "spec.backup.pgbackrest.global";

ruleTester(fullScheduleRequired, {
  valid: [
    { resource: good() },
    { name: "repos null: other rule", resource: cluster(backup(null)) },
    { name: "entry a number", resource: cluster(backup([42])) },
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
  ],
});

ruleTester(scheduleKeys, {
  valid: [
    { resource: good() },
    { name: "diff", resource: cluster(backup([s3Repo(1, { full: "0 1 * * 0", diff: "0 1 * * 1-6" })])) },
    { name: "no schedule (other rule)", resource: cluster(backup([s3Repo(1, null)])) },
    { name: "number: schedule-syntax's", resource: cluster(backup([s3Repo(1, { full: 30 })])) },
    { name: "blank: schedule-syntax's (the operator only replaces exactly '')", resource: cluster(backup([s3Repo(1, { full: "  " })])) },
  ],
  invalid: [
    {
      name: "incremental",
      resource: cluster(backup([s3Repo(1, { full: "30 2 * * *", incremental: "0 * * * *" })])),
      problems: [{ path: `${R0}.schedule.incremental`, message: "Rename it to `incr`" }],
    },
    { name: "unknown key", resource: cluster(backup([s3Repo(1, { full: "30 2 * * *", weekly: "0 0 * * 0" })])), problems: [{ message: "Use full, incr or diff" }] },
    { name: "empty full", resource: cluster(backup([s3Repo(1, { full: "" })])), problems: [{ path: `${R0}.schedule.full`, message: "30 00 * * *" }] },
    { name: "empty incr", resource: cluster(backup([s3Repo(1, { full: "30 2 * * *", incr: "" })])), problems: [{ path: `${R0}.schedule.incr`, message: "is empty" }] },
    { name: "schedule a list", resource: cluster(backup([s3Repo(1, ["30 2 * * *"])])), problems: [{ path: `${R0}.schedule`, message: "not a map" }] },
  ],
});

ruleTester(retentionRequired, {
  valid: [
    { resource: good() },
    { name: "time type", resource: cluster(backup([s3Repo(1)], { "repo1-retention-full": "14", "repo1-retention-full-type": "time" })) },
    { name: "no pgbackrest", resource: cluster() },
    { name: "repos null", resource: cluster(backup(null, {})) },
    {
      name: "min count met",
      resource: cluster(backup([s3Repo(1)], { "repo1-retention-full": "7" })),
      params: { minFullCount: 7 },
    },
  ],
  invalid: [
    { name: "no global", resource: cluster(backup([s3Repo(1)], null)), problems: [{ path: G, message: "repo1-retention-full: '7'" }] },
    {
      name: "second repo lacks it",
      resource: cluster(backup([s3Repo(1), pvcRepo(2)], { "repo1-retention-full": "7" })),
      problems: [{ path: G, message: "repo2-retention-full" }],
    },
    { name: "number value", resource: cluster(backup([s3Repo(1)], { "repo1-retention-full": 7 })), problems: [{ path: `${G}.repo1-retention-full`, message: "Quote it" }] },
    { name: "not a number", resource: cluster(backup([s3Repo(1)], { "repo1-retention-full": "seven" })), problems: [{ message: "not a whole number" }] },
    { name: "bad type", resource: cluster(backup([s3Repo(1)], { "repo1-retention-full": "7", "repo1-retention-full-type": "days" })), problems: [{ path: `${G}.repo1-retention-full-type` }] },
    { name: "global a string", resource: cluster(backup([s3Repo(1)], "repo1-retention-full=7")), problems: [{ path: G, message: "not a map" }] },
    { name: "below minimum count", resource: cluster(backup([s3Repo(1)], { "repo1-retention-full": "2" })), params: { minFullCount: 7 }, problems: [{ message: "minimum of 7 full backups" }] },
    {
      name: "below minimum days",
      resource: cluster(backup([s3Repo(1)], { "repo1-retention-full": "7", "repo1-retention-full-type": "time" })),
      params: { minFullDays: 30 },
      problems: [{ message: "30 days" }],
    },
  ],
});

ruleTester(offsiteRepo, {
  valid: [
    { resource: good() },
    { name: "pvc plus s3", resource: cluster(backup([pvcRepo(1), s3Repo(2)])) },
    { name: "repos null", resource: cluster(backup(null)) },
  ],
  invalid: [
    { name: "only pvc", resource: cluster(backup([pvcRepo(1)])), problems: [{ path: "spec.backup.pgbackrest.repos", message: "storage here: pvc" }] },
    { name: "gcs not counted off-site by policy", resource: cluster(backup([{ ...s3Repo(1), storage: "gcs" }])), params: { offsiteStorage: ["s3"] }, problems: [{ message: "off-site means s3" }] },
  ],
});

ruleTester(repoPathUnique, {
  valid: [
    { resource: good() },
    { name: "pvc needs no path", resource: cluster(backup([pvcRepo(1)], {})) },
    { name: "different paths same bucket", resource: cluster(backup([s3Repo(1), s3Repo(2)])) },
  ],
  invalid: [
    { name: "no path", resource: cluster(backup([s3Repo(1)], { "repo1-retention-full": "7" })), problems: [{ path: G, message: "repo1-path: /db/cluster-1/repo1/" }] },
    { name: "path is /", resource: cluster(backup([s3Repo(1)], { "repo1-path": "/" })), problems: [{ path: `${G}.repo1-path` }] },
    {
      name: "same bucket and path twice",
      resource: cluster(backup([s3Repo(1), s3Repo(2)], { "repo1-path": "/x/", "repo2-path": "/x" })),
      problems: [{ path: `${G}.repo2-path`, message: "same bucket and path" }],
    },
    { name: "global not a map", resource: cluster(backup([s3Repo(1)], ["repo1-path"])), problems: [{ path: G }] },
  ],
});
