// cnpg-validation-disabled: CNPG v1.30.0 internal/webhook/v1/common.go isValidationEnabled ("" and "enabled"
// validate, "disabled" bypasses, anything else validates with a warning). Cluster and Backup admission validators
// are wrapped in the bypass; the ScheduledBackup one is not, its reconcile-time guard is.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/validation-disabled.ts";
import { backup, cluster, scheduled } from "./fixtures.ts";
import { SHOP_CLUSTER, WIKI_CLUSTER, edit } from "./manifests.ts";

const off = { annotations: { "cnpg.io/validation": "disabled" } };

ruleTester(rule, {
  valid: [
    { name: "no annotation", resource: cluster({}) },
    { name: "enabled", resource: cluster({}, { annotations: { "cnpg.io/validation": "enabled" } }) },
    { name: "an unexpected value still validates (CNPG warns about it)", resource: cluster({}, { annotations: { "cnpg.io/validation": "off" } }) },
    { name: "annotations not an object", resource: backup({}, { annotations: ["cnpg.io/validation"] }) },
    { name: "realistic: a Cluster with labels only", resource: SHOP_CLUSTER },
    { name: "realistic: a Cluster with a Flux annotation", resource: WIKI_CLUSTER },
  ],
  invalid: [
    { name: "Cluster", resource: cluster({}, off), problems: [{ path: "metadata.annotations.cnpg.io/validation", message: /validating webhook for this Cluster/ }] },
    { name: "Backup", resource: backup({ cluster: { name: "pg" } }, off), problems: [{ message: /validating webhook for this Backup/ }] },
    {
      name: "ScheduledBackup: only the reconcile-time validation is bypassed",
      resource: scheduled({ cluster: { name: "pg" } }, off),
      problems: [{ message: /reconcile-time validation of this ScheduledBackup \(its admission webhook still runs/ }],
    },
    {
      name: "realistic: validation disabled to push a Cluster through",
      resource: edit(SHOP_CLUSTER, ({ meta }) => {
        meta.annotations = { "cnpg.io/validation": "disabled" };
      }),
      problems: [{ path: "metadata.annotations.cnpg.io/validation", message: /validating webhook for this Cluster/ }],
    },
  ],
});
