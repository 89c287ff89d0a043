// cnpg-skip-empty-archive-check: CNPG v1.30.0 pkg/utils/labels_annotations.go IsEmptyWalArchiveCheckEnabled is
// `annotations["cnpg.io/skipEmptyWalArchiveCheck"] != "enabled"`: only the exact value "enabled" skips the check.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/skip-empty-archive-check.ts";
import { archiver, cluster } from "./fixtures.ts";
import { LEDGER_CLUSTER, edit } from "./manifests.ts";

const annotated = (value: unknown) => cluster({ plugins: [archiver] }, { annotations: { "cnpg.io/skipEmptyWalArchiveCheck": value } });

ruleTester(rule, {
  valid: [
    { name: "no annotations", resource: cluster({ plugins: [archiver] }) },
    { name: "disabled", resource: annotated("disabled") },
    { name: "other case is not honoured by CNPG", resource: annotated("Enabled") },
    { name: "true is not honoured by CNPG", resource: annotated("true") },
    { name: "annotations of the wrong type", resource: cluster({}, { annotations: "x" }) },
    { name: "the skipWalArchiving annotation is another rule's business", resource: cluster({}, { annotations: { "cnpg.io/skipWalArchiving": "enabled" } }) },
    { name: "realistic: a restored Cluster with its own serverName needs no skip", resource: LEDGER_CLUSTER },
  ],
  invalid: [
    {
      name: "enabled",
      resource: annotated("enabled"),
      problems: [{ path: "metadata.annotations.cnpg.io/skipEmptyWalArchiveCheck", message: /switches off CNPG's "Expected empty archive" check.*own serverName/ }],
    },
    {
      name: "realistic: the annotation added to get past \"Expected empty archive\"",
      resource: edit(LEDGER_CLUSTER, ({ meta }) => {
        meta.annotations = { "cnpg.io/skipEmptyWalArchiveCheck": "enabled" };
      }),
      problems: [{ path: "metadata.annotations.cnpg.io/skipEmptyWalArchiveCheck" }],
    },
  ],
});
