import type { Problem } from "../../../engine/types.ts";
import { problem } from "../../../rules/util.ts";
import { APPLIES_TO, PARAMETERS_PATH, parametersOf, show } from "../model.ts";
import { containerCode, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

const OVERRIDES: Record<string, string> = {
  archive_command:
    "it replaces the CPO container's `pgbackrest --stanza=db archive-push \"%p\"` (the operator passes it as a local Patroni parameter, which wins), so WAL silently goes elsewhere or nowhere",
  archive_mode: "the CPO container already sets archive_mode on; any other value (off) silently stops WAL archiving and point-in-time recovery",
};

export const rule = defineRule({
  meta: {
    id: "cpo-archive-override",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "spec.postgresql.parameters must not set archive_command or archive_mode.",
      rationale:
        "The CPO container image always sets archive_mode on, and archive_command to pgBackRest's archive-push when the operator " +
        `passes USE_PGBACKREST (/bin/true otherwise; ${containerCode("scripts/configure_spilo.py", 741, 743)}). ` +
        "spec.postgresql.parameters overrides both: the operator passes archive_command as a local Patroni parameter and archive_mode " +
        `through the DCS (${operatorCode("pkg/cluster/k8sres.go", 668, 699)}), and the user's values win over the image's. So a CR can ` +
        "silently disable or repoint WAL archiving while backups keep running and PITR is impossible.",
      bad: "postgresql:\n  parameters:\n    archive_command: /bin/true",
      good: "postgresql:\n  parameters:\n    archive_timeout: '300'",
      fix: "Delete archive_command and archive_mode from spec.postgresql.parameters; the CPO container configures them for pgBackRest.",
    },
  },
  check(resource) {
    const parameters = parametersOf(resource);
    if (!parameters) return [];
    const problems: Problem[] = [];
    for (const [key, why] of Object.entries(OVERRIDES)) {
      if (!(key in parameters)) continue;
      problems.push(
        problem(`${PARAMETERS_PATH}.${key}`, `spec.postgresql.parameters sets ${key} to ${show(parameters[key])}: ${why}. Delete ${key} from spec.postgresql.parameters.`),
      );
    }
    return problems;
  },
});
