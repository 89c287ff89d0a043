// wal-archiving-failing: CNPG's ContinuousArchiving condition is not True.

import { CLUSTER, hasWalArchiveConfigured, walArchivingSkipped } from "../model.ts";
import { problem } from "../../../rules/util.ts";
import { ago, conditionOf, shown, timeOf } from "./common.ts";
import { defineRule } from "../../../rules/define.ts";

export const CONTINUOUS_ARCHIVING = "ContinuousArchiving";

export const rule = defineRule({
  meta: {
    id: "wal-archiving-failing",
    appliesTo: [CLUSTER],
    defaultAction: "deny",
    auditOnly: true,
    params: {},
    docs: {
      summary: "(audit) A CNPG Cluster's ContinuousArchiving condition must be True: WAL that is not archived cannot be restored.",
      rationale:
        "Every time PostgreSQL archives a WAL segment, CloudNativePG's instance manager (the wal-archive command, for the in-tree barmanObjectStore and for plugins alike) sets the Cluster condition ContinuousArchiving: True with reason ContinuousArchivingSuccess, or False with reason ContinuousArchivingFailing and the archiver's error as message. While it is False no new WAL reaches the archive: point-in-time recovery stops at the last archived segment, and pg_wal fills the volume until the database stops. A Cluster without the condition has not archived yet and is not reported; a Cluster without a WAL archive is cnpg-wal-archive-required's.",
      bad: "status:\n  conditions:\n  - type: ContinuousArchiving\n    status: \"False\"\n    reason: ContinuousArchivingFailing\n    message: \"unexpected failure invoking barman-cloud-wal-archive: exit status 4\"",
      good: "status:\n  conditions:\n  - type: ContinuousArchiving\n    status: \"True\"\n    reason: ContinuousArchivingSuccess",
      fix: "Read the condition's message and the primary's logs (kubectl logs POD -c postgres, or the plugin sidecar), fix the archive's credentials, endpoint or bucket, and check that the condition turns True.",
    },
  },
  check(resource, ctx) {
    if (!hasWalArchiveConfigured(resource) || walArchivingSkipped(resource)) return [];
    const found = conditionOf(resource, CONTINUOUS_ARCHIVING);
    if (!found || found.condition.status === "True") return [];
    const c = found.condition;
    const since = timeOf(c.lastTransitionTime);
    const reason = typeof c.reason === "string" && c.reason !== "" ? c.reason : "no reason given";
    const message = typeof c.message === "string" && c.message !== "" ? `: ${shown(c.message)}` : "";
    const when = since !== undefined ? ` since ${new Date(since).toISOString()} (${ago(since, ctx.now.getTime())})` : "";
    return [
      problem(
        `status.conditions[${found.index}]`,
        `WAL archiving is failing${when}: ContinuousArchiving is ${shown(c.status, 20) || "unset"} (${shown(reason, 100)})${message}. ` +
          "No WAL reaches the archive, so point-in-time recovery ends at the last archived segment and pg_wal fills the volume. " +
          "Fix the archive's credentials, endpoint or bucket (see the primary's logs) until the condition is True again.",
      ),
    ];
  },
});
