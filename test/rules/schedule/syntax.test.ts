import { describe, it } from "node:test";
import { assertRuleMeta, ruleTester } from "../../helpers/rule-tester.ts";
import { rule } from "../../../src/rules/schedule/syntax.ts";
import { cpoCluster, scheduledBackup } from "./fixtures.ts";

describe("schedule-syntax meta", () => it("documents itself", () => assertRuleMeta(rule)));

ruleTester(rule, {
  valid: [
    { name: "6-field CNPG", resource: scheduledBackup("0 0 1 * * *") },
    { name: "5-field CNPG parses (the six-fields rule reports it)", resource: scheduledBackup("0 1 * * *") },
    { name: "CNPG descriptor", resource: scheduledBackup("@daily") },
    { name: "CPO full and incr", resource: cpoCluster([{ full: "30 2 * * *", incr: "*/30 * * * *" }]) },
    { name: "CPO empty string is cpo-schedule-keys' business", resource: cpoCluster([{ full: "" }]) },
    { name: "no spec at all", resource: { apiVersion: "postgresql.cnpg.io/v1", kind: "ScheduledBackup", metadata: {}, spec: "nonsense" } },
    { name: "CPO repos of wrong type", resource: { apiVersion: "cpo.opensource.cybertec.at/v1", kind: "postgresql", metadata: {}, spec: { backup: { pgbackrest: { repos: 3 } } } } },
    { name: "CPO schedule of wrong type is left to the cpo rules", resource: cpoCluster(["30 2 * * *", null]) },
    {
      name: "YAML input",
      resource: "apiVersion: postgresql.cnpg.io/v1\nkind: ScheduledBackup\nmetadata: {name: x}\nspec:\n  schedule: '0 0 0 * * 0'\n  cluster: {name: pg}\n",
    },
    {
      name: "realistic: a schedule from a Flux placeholder (known only after substitution)", notChecked: true,
      resource: "apiVersion: postgresql.cnpg.io/v1\nkind: ScheduledBackup\nmetadata:\n  name: orders-db-nightly\nspec:\n  schedule: ${BACKUP_SCHEDULE}\n  backupOwnerReference: self\n  cluster:\n    name: orders-db\n  method: plugin\n  pluginConfiguration:\n    name: barman-cloud.cloudnative-pg.io\n",
    },
    { name: "realistic: a CPO full schedule from a Flux placeholder", notChecked: true, resource: cpoCluster([{ full: "${FULL_SCHEDULE}", incr: "0 * * * *" }]) },
  ],
  invalid: [
    {
      name: "5-field crontab with Sunday 0: CNPG's own message and the 6-field string",
      resource: scheduledBackup("0 1 * * 0"),
      problems: [{ path: "spec.schedule", message: /Beginning of range \(0\) below minimum \(1\): 0.*webhook rejects.*"0 0 1 \* \* 0"/ }],
    },
    {
      name: "day of week 7",
      resource: scheduledBackup("0 0 1 * * 7"),
      problems: [{ path: "spec.schedule", message: /End of range \(7\) above maximum \(6\).*write 0 instead of 7/ }],
    },
    { name: "Quartz L", resource: scheduledBackup("0 0 1 L * *"), problems: [{ message: /no L, W, # or H/ }] },
    { name: "7 fields", resource: scheduledBackup("0 0 1 * * * 2026"), problems: [{ message: /Expected 5 to 6 fields, found 7/ }] },
    { name: "leading space before a descriptor", resource: scheduledBackup(" @daily"), problems: [{ message: /write "@daily"/ }] },
    { name: "TZ prefix in CNPG", resource: scheduledBackup("TZ=UTC 0 0 1 * * *"), problems: [{ message: /no time-zone prefix.*"0 0 1 \* \* \*"/ }] },
    { name: "empty CNPG schedule", resource: scheduledBackup(""), problems: [{ message: "Empty spec string" }] },
    { name: "missing CNPG schedule", resource: scheduledBackup(undefined), problems: [{ path: "spec.schedule", message: "is missing" }] },
    { name: "number instead of a string", resource: scheduledBackup(5), problems: [{ message: "it is the number 5" }] },
    {
      name: "CPO 6 fields",
      resource: cpoCluster([{ full: "0 30 2 * * *" }]),
      problems: [{ path: "spec.backup.pgbackrest.repos[0].schedule.full", message: /expected exactly 5 fields, found 6.*CreateFailed.*Write "30 2 \* \* \*"/ }],
    },
    {
      name: "CPO TZ prefix, in the second repo's diff",
      resource: cpoCluster([{ full: "30 2 * * *" }, { full: "0 3 * * *", diff: "CRON_TZ=UTC 0 4 * * *" }]),
      problems: [{ path: "spec.backup.pgbackrest.repos[1].schedule.diff", message: /cannot use TZ or CRON_TZ.*"0 4 \* \* \*"/ }],
    },
    {
      name: "CPO non-string full and a bad incr",
      resource: cpoCluster([{ full: 230, incr: "*/30 * * *" }]),
      problems: [
        { path: "spec.backup.pgbackrest.repos[0].schedule.full", message: "must be a string" },
        { path: "spec.backup.pgbackrest.repos[0].schedule.incr", message: "expected exactly 5 fields, found 4" },
      ],
    },
  ],
});
