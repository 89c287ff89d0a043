import { describe, it } from "node:test";
import { assertRuleMeta, ruleTester } from "../../helpers/rule-tester.ts";
import { rule } from "../../../src/rules/schedule/too-rare.ts";
import { cpoCluster, scheduledBackup } from "./fixtures.ts";

describe("schedule-too-rare meta", () => it("documents itself", () => assertRuleMeta(rule)));

ruleTester(rule, {
  valid: [
    { name: "weekly is exactly 7d and passes", resource: scheduledBackup("0 0 0 * * 0") },
    { name: "@weekly", resource: scheduledBackup("@weekly") },
    { name: "daily", resource: scheduledBackup("0 30 2 * * *") },
    { name: "monthly with a custom maxInterval of 31d", resource: scheduledBackup("0 0 0 1 * *"), params: { maxInterval: "31d" } },
    { name: "CPO weekly full with a rare diff (diff is not checked here)", resource: cpoCluster([{ full: "0 1 * * 0", diff: "0 1 1 * *" }]) },
    { name: "never fires is another rule", resource: scheduledBackup("0 0 0 30 2 *") },
    { name: "unparsable is another rule", resource: scheduledBackup("0 1 * * 0") },
    {
      name: "realistic: a schedule from a Flux placeholder (known only after substitution)", notChecked: true,
      resource: "apiVersion: postgresql.cnpg.io/v1\nkind: ScheduledBackup\nmetadata:\n  name: orders-db-nightly\nspec:\n  schedule: ${BACKUP_SCHEDULE}\n  backupOwnerReference: self\n  cluster:\n    name: orders-db\n  method: plugin\n  pluginConfiguration:\n    name: barman-cloud.cloudnative-pg.io\n",
    },
    { name: "realistic: a CPO full schedule from a Flux placeholder", notChecked: true, resource: cpoCluster([{ full: "${FULL_SCHEDULE}", incr: "0 * * * *" }]) },
  ],
  invalid: [
    {
      name: "monthly on the 31st: up to 61 days",
      resource: scheduledBackup("0 0 0 31 * *"),
      problems: [{ path: "spec.schedule", message: /up to 61d.*maxInterval of 7d.*Write e\.g\. "0 0 0 \* \* \*"/ }],
    },
    {
      name: "Feb 29: up to 2921 days",
      resource: scheduledBackup("0 0 0 29 2 *"),
      problems: [{ message: "up to 2921d" }],
    },
    {
      name: "Mondays and Fridays pass at 4d, fail at 3d",
      resource: scheduledBackup("0 0 0 * * 1,5"),
      params: { maxInterval: "3d" },
      problems: [{ message: /up to 4d.*maxInterval of 3d/ }],
    },
    {
      name: "suspended monthly",
      resource: scheduledBackup("@monthly", { suspend: true }),
      problems: [{ message: /up to 31d.*suspend is true/ }],
    },
    {
      name: "CPO monthly full",
      resource: cpoCluster([{ full: "30 2 1 * *", incr: "30 2 * * *" }]),
      problems: [{ path: "spec.backup.pgbackrest.repos[0].schedule.full", message: /up to 31d between repo1 full backups.*"0 0 \* \* \*"/ }],
    },
  ],
});
