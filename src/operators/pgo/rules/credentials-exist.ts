// pgo-credentials-exist: every Secret projected through spec.backups.pgbackrest.configuration (and
// spec.dataSource.pgbackrest.configuration) must exist. Names only: the Secret's data is never read.

import { BoundedProblems, findObject, namespaceOf, problem } from "../../../rules/util.ts";
import { getArray, isObject } from "../../../util/object.ts";
import { APPLIES_TO, PGBACKREST_PATH } from "../model.ts";
import { operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

const LISTS = [`${PGBACKREST_PATH}.configuration`, "spec.dataSource.pgbackrest.configuration"] as const;
/** Projections read per list (a pod's projected volume holds a handful). */
const MAX_PROJECTIONS = 200;

export const rule = defineRule({
  meta: {
    id: "pgo-credentials-exist",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    lookups: ["Secret"],
    docs: {
      summary: "Secrets projected by backups.pgbackrest.configuration (and dataSource.pgbackrest.configuration) must exist in the cluster's namespace.",
      rationale:
        "PGO copies the configuration projections as they are into the projected pgBackRest config volume of the database pods, the repo " +
        `host, the backup Jobs and the restore Job (${operatorCode("internal/pgbackrest/reconcile.go", 118, 241)}). A Secret projection without ` +
        "optional: true whose Secret does not exist keeps those pods from starting (kubelet: FailedMount, secret not found): the database " +
        "instances do not come up, or backups and restores never run. Projections marked optional: true are not checked. Names only: the " +
        "Secret's data is never read. Secrets are looked up from the inputs and --lookup, from --kubeconfig (metadata only), and in the " +
        "webhook only with serve --lookup-secrets; otherwise the rule is not checked, never denied.",
      bad: "backups:\n  pgbackrest:\n    configuration:\n      - secret: {name: hippo-s3-cred}   # the Secret is hippo-s3-creds",
      good: "backups:\n  pgbackrest:\n    configuration:\n      - secret: {name: hippo-s3-creds}",
      fix: "Create the Secret in the cluster's namespace (keys such as s3.conf with [global] repo1-s3-key=...), or correct the name.",
    },
  },
  check(resource, ctx) {
    const ns = namespaceOf(resource);
    const missing = new BoundedProblems();
    const unknown = new BoundedProblems();
    const seen = new Map<string, ReturnType<typeof findObject>>();
    for (const base of LISTS) {
      const projections = (getArray(resource, base) ?? []).slice(0, MAX_PROJECTIONS);
      for (const [i, projection] of projections.entries()) {
        if (!isObject(projection) || !isObject(projection.secret)) continue;
        const secret = projection.secret;
        const name = secret.name;
        if (typeof name !== "string" || name.trim() === "" || secret.optional === true) continue;
        let found = seen.get(name);
        if (!found) seen.set(name, (found = findObject(ctx.lookups, "Secret", ns, name)));
        const path = `${base}[${i}].secret.name`;
        if (found.state === "unknown") {
          const reason = found.reason;
          unknown.add(() => ({ path, message: reason, notChecked: true }));
        } else if (found.state === "missing") {
          const where = ns === undefined ? "the cluster's namespace" : `namespace ${ns}`;
          missing.add(() =>
            problem(
              path,
              `Secret "${name}" is not among the known Secrets of ${where}: PGO projects it into the pgBackRest configuration volume without optional: true, so the pods that mount it ` +
                `(database instances, repo host, backup or restore Jobs) cannot start. Create the Secret "${name}" there, correct the name, or mark the projection optional: true.`,
            ),
          );
        }
      }
    }
    const out = missing.finish(LISTS[0], "missing Secrets");
    for (const p of unknown.finish(LISTS[0], "Secrets that could not be checked")) out.push({ ...p, notChecked: true });
    return out;
  },
});
