import type { ExemptionEntry, Resource } from "./types.ts";
import type { ExemptionSettings } from "../policy/types.ts";

export const EXEMPT_ANNOTATION = "pgbackupguard.io/exempt";
export const EXEMPT_REASON_ANNOTATION = "pgbackupguard.io/exempt-reason";
export const EXEMPT_UNTIL_ANNOTATION = "pgbackupguard.io/exempt-until";

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The end of an exemption: a date (`2026-12-31`, valid through that day, UTC) or an RFC 3339 time.
 * `undefined` for text that is neither.
 */
export function parseUntil(text: string): Date | undefined {
  const trimmed = text.trim();
  if (DATE_ONLY.test(trimmed)) {
    const d = new Date(`${trimmed}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== trimmed) return undefined;
    return new Date(d.getTime() + 86_400_000);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(trimmed)) return undefined;
  const d = new Date(trimmed);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * Reads the exemption annotations of a resource. Every rule named is listed, applied or not, so that
 * reports can say why an exemption did not count (expired, no reason, not allowed, unknown rule).
 */
export function readExemptions(
  resource: Resource,
  settings: ExemptionSettings,
  knownRules: ReadonlySet<string>,
  now: Date,
): ExemptionEntry[] {
  const annotations = resource.metadata.annotations;
  if (!annotations || typeof annotations !== "object") return [];
  const list = annotations[EXEMPT_ANNOTATION];
  if (typeof list !== "string" || list.trim() === "") return [];
  const reasonRaw = annotations[EXEMPT_REASON_ANNOTATION];
  const reason = typeof reasonRaw === "string" ? reasonRaw.trim() : "";
  const untilRaw = annotations[EXEMPT_UNTIL_ANNOTATION];
  const untilText = typeof untilRaw === "string" ? untilRaw.trim() : undefined;
  const until = untilText ? parseUntil(untilText) : undefined;

  const rules = [...new Set(list.split(",").map((s) => s.trim()).filter((s) => s !== ""))];
  return rules.map((rule): ExemptionEntry => {
    const entry: ExemptionEntry = { rule, reason, applied: false };
    if (untilText !== undefined) entry.until = untilText;
    const ignore = (why: string): ExemptionEntry => ({ ...entry, ignoredBecause: why });
    if (!settings.allowed) return ignore("the policy does not honour exemptions");
    if (!knownRules.has(rule)) return ignore(`unknown rule id "${rule}"`);
    if (settings.neverExempt.includes(rule)) return ignore("the policy says this rule can never be exempted");
    if (settings.requireReason && reason === "") return ignore(`${EXEMPT_REASON_ANNOTATION} is missing`);
    if (untilText !== undefined && until === undefined)
      return ignore(`${EXEMPT_UNTIL_ANNOTATION} "${untilText}" is not a date (YYYY-MM-DD) or RFC 3339 time`);
    if (settings.requireExpiry && until === undefined) return ignore(`${EXEMPT_UNTIL_ANNOTATION} is missing`);
    if (until !== undefined && now.getTime() >= until.getTime()) return ignore(`expired on ${untilText}`);
    return { ...entry, applied: true };
  });
}
