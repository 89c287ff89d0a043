import { placeholderNotChecked, problem } from "../../../rules/util.ts";
import { formatDuration } from "../../../util/duration.ts";
import { formatPgDuration, parsePgDuration } from "../../../util/pgduration.ts";
import { CLUSTER, CNPG_DEFAULT_ARCHIVE_TIMEOUT_SECONDS, archiveTimeoutValue } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

const PATH = "spec.postgresql.parameters.archive_timeout";

/** PostgreSQL rounds an integer setting to its base unit with rint(), i.e. half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** archive_timeout in whole seconds as PostgreSQL applies it, or an error message. */
export function effectiveArchiveTimeout(value: unknown): { ok: true; seconds: number; written: string } | { ok: false; error: string } {
  if (value === undefined || value === null) return { ok: true, seconds: CNPG_DEFAULT_ARCHIVE_TIMEOUT_SECONDS, written: "archive_timeout is unset, so CNPG's default 5min applies: it" };
  // CNPG's own mutating webhook writes 5min into every Cluster without a value, before this webhook sees it.
  if (value === "5min") return { ok: true, seconds: CNPG_DEFAULT_ARCHIVE_TIMEOUT_SECONDS, written: 'archive_timeout: "5min" (also what CNPG\'s webhook writes when it is unset)' };
  const parsed = parsePgDuration(value, "s");
  if (!parsed.ok) return parsed;
  if (parsed.seconds < 0) return { ok: false, error: `${JSON.stringify(value)} is negative; archive_timeout must be 0 or more` };
  return { ok: true, seconds: roundHalfEven(parsed.seconds), written: `archive_timeout: ${JSON.stringify(value)}` };
}

export const rule = defineRule({
  meta: {
    id: "cnpg-archive-timeout-rpo",
    appliesTo: [CLUSTER],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "archive_timeout must not exceed the policy's RPO (unset means CNPG's default 5min; 0 disables it).",
      rationale:
        "PostgreSQL archives a WAL segment when it is full or when archive_timeout has passed. On a quiet database the " +
        "last writes can therefore stay unarchived for up to archive_timeout: that is the worst-case data loss (RPO) if " +
        "the volumes are lost. CNPG's mutating webhook writes archive_timeout: 5min into every Cluster that has none, " +
        "before other webhooks run, so at admission an unset value arrives as 5min. With an RPO under 5min the " +
        "cnpg-archive-timeout default replaces exactly that 5min on CREATE (and fills an unset value), so nobody is " +
        "denied for a value they never wrote; on UPDATE a 5min is kept and reported, since it may be the user's. 0 disables the timeout, " +
        "leaving the RPO unbounded. Values use PostgreSQL's syntax (300, 300s, 5min, 1h; no unit means seconds).",
      bad: "spec:\n  postgresql:\n    parameters:\n      archive_timeout: 30min",
      good: "spec:\n  postgresql:\n    parameters:\n      archive_timeout: 5min",
      fix: "Set spec.postgresql.parameters.archive_timeout to at most the RPO, e.g. \"5min\" or \"120s\".",
    },
  },
  check(resource, ctx) {
    const rpo = ctx.policy.rpoSeconds;
    const fix = `Set ${PATH}: "${formatPgDuration(rpo)}" (at most the policy RPO of ${formatDuration(rpo)}).`;
    const value = archiveTimeoutValue(resource);
    const unresolved = placeholderNotChecked(value, PATH, "archive_timeout");
    if (unresolved) return [unresolved];
    const t = effectiveArchiveTimeout(value);
    if (!t.ok) return [problem(PATH, `archive_timeout is not a valid PostgreSQL duration: ${t.error}. PostgreSQL rejects the setting. ${fix}`)];
    if (t.seconds === 0) {
      return [
        problem(
          PATH,
          `${t.written} disables the archive timeout: on a quiet database a partly filled WAL segment is never archived ` +
            `until it fills up, so the data loss after losing the volumes is unbounded. ${fix}`,
        ),
      ];
    }
    if (t.seconds <= rpo) return [];
    return [
      problem(
        PATH,
        `${t.written} lets up to ${formatDuration(t.seconds)} of writes wait unarchived on a quiet database, more than ` +
          `the policy RPO of ${formatDuration(rpo)}. ${fix}`,
      ),
    ];
  },
});
