import { effectiveArchiveTimeoutProblems } from "../../../rules/archive-timeout.ts";
import { getPath, isObject } from "../../../util/object.ts";
import { APPLIES_TO, PARAMETERS_PATH, parametersOf, pgbackrestOf } from "../model.ts";
import { containerCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

/**
 * archive_timeout of the CPO container image (cybertec-pg-container): scripts/configure_spilo.py writes
 * `archive_timeout: 1800s` into Patroni's bootstrap.dcs.postgresql.parameters. The operator itself sets none.
 */
export const CPO_DEFAULT_ARCHIVE_TIMEOUT_SECONDS = 1800;

export const rule = defineRule({
  meta: {
    id: "cpo-archive-timeout-rpo",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "archive_timeout must be set and not longer than the policy's rpo (the CPO container image's default is 1800 s).",
      rationale:
        "PostgreSQL archives a WAL segment only when it is full or archive_timeout has passed. The operator sets no archive_timeout; " +
        "the default comes from the CPO container image (cybertec-pg-container): its scripts/configure_spilo.py puts archive_timeout: 1800s " +
        "into Patroni's bootstrap configuration, so a quiet database can lose up to 30 minutes of commits, more than a typical RPO " +
        `(${containerCode("scripts/configure_spilo.py", 199, 204)}). A value in spec.postgresql.parameters overrides it; 0 disables the ` +
        "timeout altogether. The mutating side sets it from the policy's rpo when unset (cpo-archive-timeout).",
      bad: "postgresql:\n  version: '17'\n  # archive_timeout unset: 1800s",
      good: "postgresql:\n  version: '17'\n  parameters:\n    archive_timeout: '5min'",
      fix: "Set spec.postgresql.parameters.archive_timeout to at most the policy's rpo, e.g. '5min' (quoted: parameters are strings).",
    },
  },
  check(resource, ctx) {
    if (!pgbackrestOf(resource)) return []; // no archiving at all: cpo-pgbackrest-required reports it
    const parameters = parametersOf(resource);
    const value = parameters?.archive_timeout;
    const found = value == null ? undefined : { value, path: `${PARAMETERS_PATH}.archive_timeout` };
    return effectiveArchiveTimeoutProblems(
      found,
      ctx.policy.rpoSeconds,
      {
        seconds: CPO_DEFAULT_ARCHIVE_TIMEOUT_SECONDS,
        path: PARAMETERS_PATH,
        applies: "the CPO container image's default of 1800s applies (archive_timeout: 1800s in its configure_spilo.py)",
        loss: "30 minutes",
        fix: (want) =>
          parameters || isObject(getPath(resource, "spec.postgresql"))
            ? `Set \`archive_timeout: '${want}'\` in spec.postgresql.parameters.`
            : `Add \`postgresql: {version: '<major>', parameters: {archive_timeout: '${want}'}}\` to spec (the CRD requires spec.postgresql anyway).`,
      },
      { stringsOnly: true },
    );
  },
});
