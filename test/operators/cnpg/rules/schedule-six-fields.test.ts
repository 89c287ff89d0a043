import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/schedule-six-fields.ts";
import { scheduled } from "./fixtures.ts";
import { SHOP_NIGHTLY, WIKI_SNAPSHOTS, swap } from "./manifests.ts";

const at = (schedule: unknown) => scheduled({ cluster: { name: "pg" }, method: "plugin", schedule });

ruleTester(rule, {
  valid: [
    { name: "6 fields daily", resource: at("0 0 0 * * *") },
    { name: "6 fields weekly", resource: at("0 0 1 * * 0") },
    { name: "descriptor allowed by default", resource: at("@daily") },
    { name: "@every allowed by default", resource: at("@every 24h") },
    { name: "7 fields is a syntax error, not this rule's", resource: at("0 0 0 * * * *") },
    { name: "schedule missing", resource: scheduled({ cluster: { name: "pg" } }) },
    { name: "schedule not a string", resource: at({ cron: "0 1 * * *" }) },
    { name: "spec is a string", resource: scheduled("0 1 * * *") },
    { name: "realistic: the nightly plugin backup", resource: SHOP_NIGHTLY },
    { name: "realistic: the snapshot schedule of a per-app template", resource: WIKI_SNAPSHOTS },
    { name: "realistic: a schedule from a Flux placeholder (known only after substitution)", notChecked: true, resource: swap(SHOP_NIGHTLY, '"0 30 2 * * *"', '"${BACKUP_SCHEDULE}"') },
  ],
  invalid: [
    {
      name: "#883: 0 1 * * * runs hourly",
      resource: at("0 1 * * *"),
      problems: [{ path: "spec.schedule", message: /hourly.*"0 0 1 \* \* \*".*daily/ }],
    },
    { name: "Panfactum: 0 7 * * *", resource: at("0 7 * * *"), problems: [{ message: '"0 0 7 * * *"' }] },
    {
      name: "0 1 * * 0 is rejected by CNPG (month 0)",
      resource: at("0 1 * * 0"),
      problems: [{ message: /rejects it: "Beginning of range \(0\) below minimum \(1\).*"0 0 1 \* \* 0"/ }],
    },
    { name: "every 15 minutes meant", resource: at("*/15 * * * *"), problems: [{ message: '"0 */15 * * * *"' }] },
    {
      name: "fields split by U+0085, as Go's strings.Fields does",
      resource: at("0\u00851 * * *"),
      problems: [{ message: /has 5 fields.*"0 0 1 \* \* \*"/ }],
    },
    { name: "surrounding whitespace", resource: at("  0 2 * * *  "), problems: [{ message: '"0 0 2 * * *"' }] },
    { name: "descriptor refused by param", resource: at("@daily"), params: { allowDescriptors: false }, problems: [{ message: '"0 0 0 * * *"' }] },
    { name: "@every refused by param: generic advice", resource: at("@every 1h"), params: { allowDescriptors: false }, problems: [{ message: "6 fields" }] },
    {
      name: "realistic: a CronJob schedule copied into a ScheduledBackup",
      resource: swap(SHOP_NIGHTLY, '"0 30 2 * * *"', '"30 2 * * *"'),
      problems: [{ path: "spec.schedule", message: '"0 30 2 * * *"' }],
    },
  ],
});
