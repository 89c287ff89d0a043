// cnpg-backup-owner-reference: a ScheduledBackup's backupOwnerReference (CRD default none) decides whether its Backups
// are garbage-collected with it (self) or the Cluster (cluster), or kept forever (none).
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/backup-owner-reference.ts";
import { scheduled } from "./fixtures.ts";
import { SHOP_NIGHTLY, WIKI_SNAPSHOTS, swap } from "./manifests.ts";

ruleTester(rule, {
  valid: [
    { name: "self", resource: scheduled({ backupOwnerReference: "self" }) },
    { name: "cluster", resource: scheduled({ backupOwnerReference: "cluster" }) },
    { name: "realistic: owned by the ScheduledBackup", resource: SHOP_NIGHTLY },
    { name: "realistic: owned by the Cluster", resource: WIKI_SNAPSHOTS },
    { name: "realistic: backupOwnerReference from a Flux placeholder (known only after substitution)", notChecked: true, resource: swap(SHOP_NIGHTLY, "backupOwnerReference: self", "backupOwnerReference: ${OWNER}") },
  ],
  invalid: [
    {
      name: "the CRD default none, not written by the user: the message says so",
      resource: scheduled({ schedule: "0 0 0 * * *", backupOwnerReference: "none" }),
      origin: { "spec.backupOwnerReference": "crd" },
      problems: [{ path: "spec.backupOwnerReference", message: "is unset, so the CRD default none applies" }],
    },

    { name: "unset", resource: scheduled({ schedule: "0 0 0 * * *" }), problems: [{ path: "spec.backupOwnerReference", message: "unset" }] },
    { name: "none", resource: scheduled({ backupOwnerReference: "none" }), problems: [{ message: '"none"' }] },
    { name: "spec is a list", resource: scheduled([1, 2]), problems: [{ path: "spec.backupOwnerReference" }] },
    {
      name: "realistic: backupOwnerReference left out",
      resource: swap(SHOP_NIGHTLY, "  backupOwnerReference: self\n", ""),
      problems: [{ path: "spec.backupOwnerReference", message: "unset" }],
    },
  ],
});
