import { problem } from "../../../rules/util.ts";
import { getObject } from "../../../util/object.ts";
import { APPLIES_TO, PATRONI_PARAMETERS_PATH } from "../model.ts";
import { operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

const MANDATORY = ["archive_mode", "archive_command", "restore_command"] as const;

export const rule = defineRule({
  meta: {
    id: "pgo-archive-override",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: {},
    docs: {
      summary: "patroni.dynamicConfiguration must not set archive_mode, archive_command or restore_command: PGO overrides them.",
      rationale:
        "PGO makes archive_mode=on, archive_command (pgbackrest archive-push, or `true` without repos) and restore_command mandatory " +
        `(${operatorCode("internal/pgbackrest/postgres.go", 23, 70)}); mandatory values win over everything the spec sets ` +
        `(${operatorCode("internal/controller/postgrescluster/postgres.go", 151, 167)}). The CRD refuses them in spec.config.parameters, but ` +
        "spec.patroni.dynamicConfiguration has no schema, so they are accepted there and silently ignored: a custom archiver never runs.",
      bad: "patroni:\n  dynamicConfiguration:\n    postgresql:\n      parameters:\n        archive_command: 'wal-g wal-push %p'",
      good: "backups:\n  pgbackrest:\n    repos: [...]   # PGO archives WAL with pgBackRest",
      fix: "Remove the key; configure WAL archiving through spec.backups.pgbackrest.",
    },
  },
  check(resource) {
    const parameters = getObject(resource, PATRONI_PARAMETERS_PATH);
    if (!parameters) return [];
    return MANDATORY.filter((k) => Object.hasOwn(parameters, k)).map((k) =>
      problem(
        `${PATRONI_PARAMETERS_PATH}.${k}`,
        `${k} in spec.patroni.dynamicConfiguration is ignored: PGO always sets ${k} itself (its mandatory value wins), so this value never takes effect. ` +
          "Remove it; WAL archiving is configured through spec.backups.pgbackrest.",
      ),
    );
  },
});
