// cpo-credentials-exist: spec.backup.pgbackrest.configuration.secret must name an existing Secret. Names only: the
// Secret's data (the *.conf files with the repo keys) is never read.

import { getPath, isObject } from "../../../util/object.ts";
import { findObject, lookupNotChecked, namespaceOf, problem } from "../../../rules/util.ts";
import { APPLIES_TO, PGBACKREST_PATH, pgbackrestOf } from "../model.ts";
import { operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

const SECRET_PATH = `${PGBACKREST_PATH}.configuration.secret`;
const DOCS_TYPO = "https://github.com/cybertec-postgresql/CYBERTEC-pg-operator/blob/v0.9.2/docs/hugo/content/en/backup/aws.md";

export const rule = defineRule({
  meta: {
    id: "cpo-credentials-exist",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    lookups: ["Secret"],
    docs: {
      summary: "spec.backup.pgbackrest.configuration.secret must name a Secret that exists in the cluster's namespace.",
      rationale:
        "The operator projects the Secret into /etc/pgbackrest/conf.d of the database pods, the repo host and the backup jobs with " +
        `optional: true (${operatorCode("pkg/cluster/k8sres.go", 2095, 2137)}, used at ${operatorCode("pkg/cluster/k8sres.go", 1657, 1665)}), ` +
        "so a wrong name is accepted and the pods start without it. pgBackRest then runs without the options the Secret carries: the " +
        "object-storage keys (repoN-s3-key, repoN-s3-key-secret, ...) and repoN-cipher-pass exist only there, so for such repos " +
        "archive-push and every backup job fail, and the typo shows only when WAL piles up or a backup job fails. The operator's own S3 page creates " +
        `cluster-1-s3-credentials and references cluster-1-s3-credential (${DOCS_TYPO}#L27 and #L64). Names only: the Secret's data is ` +
        "never read. Secrets are looked up from the inputs and --lookup (a Secret manifest counts by name), from --kubeconfig (metadata " +
        "only), and in the webhook only with serve --lookup-secrets; otherwise the rule is not checked, never denied.",
      bad: "spec:\n  backup:\n    pgbackrest:\n      configuration:\n        secret: cluster-1-s3-credential   # the Secret is cluster-1-s3-credentials",
      good: "spec:\n  backup:\n    pgbackrest:\n      configuration:\n        secret: cluster-1-s3-credentials",
      fix: "Create the Secret in the cluster's namespace (keys ending in .conf, e.g. s3.conf with [global] repo1-s3-key=…), or correct the name.",
    },
  },
  check(resource, ctx) {
    // The operator mounts the Secret only with spec.backup.pgbackrest set (k8sres.go L1657).
    if (!pgbackrestOf(resource)) return [];
    const configuration = getPath(resource, `${PGBACKREST_PATH}.configuration`);
    if (!isObject(configuration)) return [];
    const name = configuration.secret;
    if (typeof name !== "string" || name.trim() === "") return [];
    const ns = namespaceOf(resource);
    const found = findObject(ctx.lookups, "Secret", ns, name);
    if (found.state === "unknown") return [lookupNotChecked(found, SECRET_PATH)];
    if (found.state === "found") return [];
    const where = ns === undefined ? "the cluster's namespace" : `namespace ${ns}`;
    return [
      problem(
        SECRET_PATH,
        `Secret "${name}" is not among the known Secrets of ${where}. The operator mounts it optional, so the pods start without ` +
          "it and pgBackRest runs without the options it should hold: for object-storage repos (whose keys exist only there) or an " +
          `encrypted repo, archive-push and the backup jobs fail and WAL piles up on the primary. Create the Secret "${name}" in that namespace (keys ending in .conf), or correct the name.`,
      ),
    ];
  },
});
