// cnpg-archive-timeout-rpo: archive_timeout (PostgreSQL default 5min) bounds the data an idle-ish Cluster can lose; it
// must not exceed the policy's RPO.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/archive-timeout-rpo.ts";
import { archiver, cluster } from "./fixtures.ts";
import { LEDGER_CLUSTER, SHOP_CLUSTER, WIKI_CLUSTER, swap } from "./manifests.ts";

const withTimeout = (v: unknown) => cluster({ plugins: [archiver], postgresql: { parameters: { archive_timeout: v } } });

ruleTester(rule, {
  valid: [
    { name: "unset = 5min, RPO 5m", resource: cluster({ plugins: [archiver] }) },
    { name: "5min", resource: withTimeout("5min") },
    { name: "300 (seconds by default)", resource: withTimeout("300") },
    { name: "60s under RPO 2m", resource: withTimeout("60s"), rpoSeconds: 120 },
    { name: "1h with RPO 1h", resource: withTimeout("1h"), rpoSeconds: 3600 },
    { name: "numeric value", resource: withTimeout(120) },
    { name: "postgresql is a string: treated as unset", resource: cluster({ postgresql: "x" }) },
    { name: "realistic: 5min", resource: SHOP_CLUSTER },
    { name: "realistic: 60s", resource: WIKI_CLUSTER },
    { name: "realistic: unset (5min)", resource: LEDGER_CLUSTER },
    { name: "realistic: archive_timeout from a Flux placeholder (known only after substitution)", notChecked: true, resource: swap(SHOP_CLUSTER, "archive_timeout: 5min", "archive_timeout: ${ARCHIVE_TIMEOUT}") },
  ],
  invalid: [
    { name: "30min", resource: withTimeout("30min"), problems: [{ path: "spec.postgresql.parameters.archive_timeout", message: /30m.*RPO of 5m.*"5min"/ }] },
    { name: "unset with RPO 2m", resource: cluster({ plugins: [archiver] }), rpoSeconds: 120, problems: [{ message: /unset.*"2min"/ }] },
    { name: "0 disables", resource: withTimeout("0"), problems: [{ message: "unbounded" }] },
    { name: "400ms rounds to 0", resource: withTimeout("400ms"), problems: [{ message: "disables" }] },
    { name: "301s", resource: withTimeout("301s"), problems: [{ message: "5m1s" }] },
    { name: "bad unit", resource: withTimeout("5 minutes"), problems: [{ message: "not a valid PostgreSQL duration" }] },
    { name: "object value", resource: withTimeout({ a: 1 }), problems: [{ message: "not a valid" }] },
    { name: "negative", resource: withTimeout("-5"), problems: [{ message: "negative" }] },
    {
      name: "realistic: 1h to save object-store requests",
      resource: swap(SHOP_CLUSTER, "archive_timeout: 5min", "archive_timeout: 1h"),
      problems: [{ path: "spec.postgresql.parameters.archive_timeout", message: /"1h" lets up to 1h of writes wait unarchived.*RPO of 5m/ }],
    },
  ],
});
