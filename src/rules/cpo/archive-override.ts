import type { Problem, Rule } from "../../engine/types.ts";
import { problem } from "../util.ts";
import { APPLIES_TO, PARAMETERS_PATH, parametersOf, show } from "./model.ts";

const OVERRIDES: Record<string, string> = {
  archive_command:
    "it replaces the operator's `pgbackrest --stanza=db archive-push \"%p\"` (a local Patroni parameter wins), so WAL silently goes elsewhere or nowhere",
  archive_mode: "the operator already sets archive_mode on; any other value (off) silently stops WAL archiving and point-in-time recovery",
};

export const rule: Rule = {
  meta: {
    id: "cpo-archive-override",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "spec.postgresql.parameters must not set archive_command or archive_mode.",
      rationale:
        "The CPO container sets archive_mode on and archive_command to pgBackRest's archive-push when pgBackRest is configured. " +
        "spec.postgresql.parameters overrides both (archive_command is a local Patroni parameter, archive_mode goes to the DCS), so a CR can " +
        "silently disable or repoint WAL archiving while backups keep running and PITR is impossible (research/cpo.md §c, WAL archiving defaults).",
      bad: "postgresql:\n  parameters:\n    archive_command: /bin/true",
      good: "postgresql:\n  parameters:\n    archive_timeout: '300'",
      fix: "Delete archive_command and archive_mode from spec.postgresql.parameters; the operator configures them for pgBackRest.",
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
};
