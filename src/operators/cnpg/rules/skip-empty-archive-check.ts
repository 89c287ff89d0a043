import { problem } from "../../../rules/util.ts";
import { isObject } from "../../../util/object.ts";
import { CLUSTER } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

/** CNPG pkg/utils/labels_annotations.go: IsEmptyWalArchiveCheckEnabled is `annotation != "enabled"`. */
export const SKIP_EMPTY_WAL_ARCHIVE_CHECK_ANNOTATION = "cnpg.io/skipEmptyWalArchiveCheck";

export const rule = defineRule({
  meta: {
    id: "cnpg-skip-empty-archive-check",
    appliesTo: [CLUSTER],
    defaultAction: "warn",
    params: {},
    docs: {
      summary: "cnpg.io/skipEmptyWalArchiveCheck: enabled switches off CNPG's guard against archiving into a used archive.",
      rationale:
        "Before the first WAL is archived (and after a recovery) CNPG, in-tree and through the barman-cloud plugin, runs " +
        "barman-cloud-check-wal-archive and refuses to archive into a destination that already holds WAL (\"Expected " +
        "empty archive\"). The annotation, with exactly the value enabled, skips that check for the Cluster's whole " +
        "life (IsEmptyWalArchiveCheckEnabled in pkg/utils/labels_annotations.go). The documentation calls it strongly " +
        "discouraged and for experts only; it is meant for one recovery and is commonly left on, so a later rebuild " +
        "into the same destinationPath/serverName mixes two clusters' WAL without any error.",
      bad: "metadata:\n  annotations:\n    cnpg.io/skipEmptyWalArchiveCheck: enabled",
      good: "metadata:\n  annotations: {}   # and a new serverName for each incarnation of the Cluster",
      fix: "Remove the annotation once the recovery it was added for has finished, and give each incarnation of the Cluster its own serverName instead.",
    },
  },
  check(resource) {
    const a = resource.metadata.annotations;
    if (!isObject(a) || a[SKIP_EMPTY_WAL_ARCHIVE_CHECK_ANNOTATION] !== "enabled") return [];
    return [
      problem(
        `metadata.annotations.${SKIP_EMPTY_WAL_ARCHIVE_CHECK_ANNOTATION}`,
        `${SKIP_EMPTY_WAL_ARCHIVE_CHECK_ANNOTATION}: enabled switches off CNPG's "Expected empty archive" check for as ` +
          "long as it is set: this Cluster (and any later Cluster built from this manifest) archives WAL and base backups " +
          "into its destinationPath/serverName even when another cluster's WAL is already there, and the two histories " +
          "mix silently (a restore then replays the wrong WAL or fails). The annotation is meant for one recovery into a " +
          "non-empty archive. Remove it, and give each incarnation its own serverName (parameters.serverName of the " +
          "barman-cloud plugin entry).",
      ),
    ];
  },
});
