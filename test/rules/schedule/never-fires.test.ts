import { describe, it } from "node:test";
import { assertRuleMeta, ruleTester } from "../../helpers/rule-tester.ts";
import { rule } from "../../../src/rules/schedule/never-fires.ts";
import { cpoCluster, scheduledBackup } from "./fixtures.ts";

describe("schedule-never-fires meta", () => it("documents itself", () => assertRuleMeta(rule)));

ruleTester(rule, {
  valid: [
    { name: "daily", resource: scheduledBackup("0 0 0 * * *") },
    { name: "Feb 29 fires (every 4 years)", resource: scheduledBackup("0 0 0 29 2 *") },
    { name: "the 31st with a weekday is ORed", resource: scheduledBackup("0 0 0 31 4 1") },
    { name: "unparsable is schedule-syntax's business", resource: scheduledBackup("0 0 0 30 2 7") },
    { name: "@every", resource: scheduledBackup("@every 24h") },
    { name: "CPO daily", resource: cpoCluster([{ full: "30 2 * * *", incr: "0 * * * *" }]) },
    {
      name: "realistic: a schedule from a Flux placeholder (known only after substitution)", notChecked: true,
      resource: "apiVersion: postgresql.cnpg.io/v1\nkind: ScheduledBackup\nmetadata:\n  name: orders-db-nightly\nspec:\n  schedule: ${BACKUP_SCHEDULE}\n  backupOwnerReference: self\n  cluster:\n    name: orders-db\n  method: plugin\n  pluginConfiguration:\n    name: barman-cloud.cloudnative-pg.io\n",
    },
    { name: "realistic: a CPO full schedule from a Flux placeholder", notChecked: true, resource: cpoCluster([{ full: "${FULL_SCHEDULE}", incr: "0 * * * *" }]) },
  ],
  invalid: [
    {
      name: "Feb 30",
      resource: scheduledBackup("0 0 0 30 2 *"),
      problems: [{ path: "spec.schedule", message: /never fires.*NoSchedule/ }],
    },
    {
      name: "suspended and never fires",
      resource: scheduledBackup("0 0 0 31 4,6,9,11 *", { suspend: true }),
      problems: [{ message: /never fires.*suspend is true/ }],
    },
    {
      name: "v1 star bit ANDs Apr 31 with every weekday",
      resource: scheduledBackup("0 0 0 31 4 ?"),
      problems: [{ message: "never fires" }],
    },
    {
      name: "CPO incr that never fires",
      resource: cpoCluster([{ full: "30 2 * * *", incr: "0 1 31 2 *" }]),
      problems: [{ path: "spec.backup.pgbackrest.repos[0].schedule.incr", message: /never fires.*repo1 incr backups never run/ }],
    },
  ],
});
