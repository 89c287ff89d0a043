import type { Resource } from "../../../engine/types.ts";
import { effectiveArchiveTimeoutProblems } from "../../../rules/archive-timeout.ts";
import { getObject } from "../../../util/object.ts";
import { APPLIES_TO, PARAMETERS_PATH, PATRONI_PARAMETERS_PATH, hasRepos } from "../model.ts";
import { operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

/** PGO's default archive_timeout (a Default, not Mandatory: internal/pgbackrest/postgres.go L40-L54). */
export const PGO_DEFAULT_ARCHIVE_TIMEOUT_SECONDS = 60;

/** The archive_timeout PostgreSQL gets and where it comes from: config.parameters > patroni dynamicConfiguration > 60s. */
export function effectiveArchiveTimeout(resource: Resource): { value: unknown; path: string } | undefined {
  const config = getObject(resource, PARAMETERS_PATH);
  if (config?.archive_timeout != null) return { value: config.archive_timeout, path: `${PARAMETERS_PATH}.archive_timeout` };
  const patroni = getObject(resource, PATRONI_PARAMETERS_PATH);
  if (patroni?.archive_timeout != null) return { value: patroni.archive_timeout, path: `${PATRONI_PARAMETERS_PATH}.archive_timeout` };
  return undefined;
}

export const rule = defineRule({
  meta: {
    id: "pgo-archive-timeout-rpo",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "The effective archive_timeout (PGO's default 60s) must be set and not longer than the policy's rpo.",
      rationale:
        "PostgreSQL archives a WAL segment only when it is full or archive_timeout has passed, so on a quiet database archive_timeout " +
        `bounds how much committed data exists only on the primary. PGO sets archive_timeout=60s as a default (${operatorCode("internal/pgbackrest/postgres.go", 40, 54)}); ` +
        "spec.patroni.dynamicConfiguration.postgresql.parameters overrides it and spec.config.parameters overrides both " +
        `(${operatorCode("internal/controller/postgrescluster/postgres.go", 123, 149)}). A bare number means seconds; 0 disables the timeout. ` +
        "The mutating side sets it from the rpo when the rpo is below 60 s (pgo-archive-timeout).",
      bad: "config:\n  parameters:\n    archive_timeout: 30min   # rpo 5m",
      good: "config:\n  parameters:\n    archive_timeout: 5min",
      fix: "Set spec.config.parameters.archive_timeout to at most the policy's rpo, or remove it to get PGO's 60s.",
    },
  },
  check(resource, ctx) {
    if (!hasRepos(resource)) return []; // no archiving at all: pgo-backups-required reports it
    return effectiveArchiveTimeoutProblems(
      effectiveArchiveTimeout(resource),
      ctx.policy.rpoSeconds,
      {
        seconds: PGO_DEFAULT_ARCHIVE_TIMEOUT_SECONDS,
        path: PARAMETERS_PATH,
        applies: "PGO's default of 60s applies",
        loss: "a minute",
        fix: (want) => `Set \`archive_timeout: '${want}'\` in spec.config.parameters.`,
      },
      { stringsOnly: false },
    );
  },
});
