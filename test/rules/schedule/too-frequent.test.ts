import { describe, it } from "node:test";
import { assertRuleMeta, ruleTester } from "../../helpers/rule-tester.ts";
import { rule } from "../../../src/rules/schedule/too-frequent.ts";
import { cpoCluster, scheduledBackup } from "./fixtures.ts";

describe("schedule-too-frequent meta", () => it("documents itself", () => assertRuleMeta(rule)));

ruleTester(rule, {
  valid: [
    { name: "daily", resource: scheduledBackup("0 0 0 * * *") },
    { name: "hourly is exactly the default minInterval", resource: scheduledBackup("0 0 * * * *") },
    { name: "@every 1h", resource: scheduledBackup("@every 1h") },
    { name: "CPO incr every 30 minutes is not a full backup", resource: cpoCluster([{ full: "30 2 * * *", incr: "*/30 * * * *" }]) },
    { name: "custom minInterval", resource: scheduledBackup("0 */30 * * * *"), params: { minInterval: "30m" } },
    { name: "never fires is another rule", resource: scheduledBackup("* * * 30 2 *") },
    {
      name: "realistic: a schedule from a Flux placeholder (known only after substitution)", notChecked: true,
      resource: "apiVersion: postgresql.cnpg.io/v1\nkind: ScheduledBackup\nmetadata:\n  name: orders-db-nightly\nspec:\n  schedule: ${BACKUP_SCHEDULE}\n  backupOwnerReference: self\n  cluster:\n    name: orders-db\n  method: plugin\n  pluginConfiguration:\n    name: barman-cloud.cloudnative-pg.io\n",
    },
    { name: "realistic: a CPO full schedule from a Flux placeholder", notChecked: true, resource: cpoCluster([{ full: "${FULL_SCHEDULE}", incr: "0 * * * *" }]) },
  ],
  invalid: [
    {
      name: "5-field CNPG read seconds first: every second",
      resource: scheduledBackup("* * * * *"),
      problems: [{ path: "spec.schedule", message: /every 1s.*minInterval is 1h.*"0 0 0 \* \* \*"/ }],
    },
    {
      name: "two runs 2 hours apart, daily otherwise",
      resource: scheduledBackup("0 0 1,3 * * *"),
      params: { minInterval: "6h" },
      problems: [{ message: "as often as every 2h" }],
    },
    {
      name: "@every below a second becomes 1s",
      resource: scheduledBackup("@every 100ms"),
      problems: [{ message: "every 1s" }],
    },
    {
      name: "custom minInterval of a day",
      resource: scheduledBackup("0 0 0,12 * * *"),
      params: { minInterval: "1d" },
      problems: [{ message: /every 12h.*minInterval is 1d/ }],
    },
    {
      name: "CPO full every 30 minutes",
      resource: cpoCluster([{ full: "*/30 * * * *" }]),
      problems: [{ path: "spec.backup.pgbackrest.repos[0].schedule.full", message: /repo1 full backups as often as every 30m.*"0 0 \* \* \*"/ }],
    },
  ],
});
