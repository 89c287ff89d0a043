import type { ExemptionEntry, Resource } from "./types.ts";
import type { ExemptionSettings, PolicyExemption } from "../policy/types.ts";
import { globMatches, selectorMatches } from "../policy/match.ts";

export const EXEMPT_ANNOTATION = "pgbackupguard.io/exempt";
export const EXEMPT_REASON_ANNOTATION = "pgbackupguard.io/exempt-reason";
export const EXEMPT_UNTIL_ANNOTATION = "pgbackupguard.io/exempt-until";
/** `ExemptionEntry.source` of an exemption read from the resource's annotations. */
export const ANNOTATION_SOURCE = "annotation";

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
    const entry: ExemptionEntry = { rule, reason, applied: false, source: ANNOTATION_SOURCE };
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

function labelsOf(resource: Resource): Record<string, string> {
  const labels = resource.metadata.labels;
  if (!labels || typeof labels !== "object") return {};
  const out: Record<string, string> = {};
  // A null label value decodes to "" (the shape check lets it through); anything else is not a label.
  for (const [k, v] of Object.entries(labels)) if (typeof v === "string" || v === null) out[k] = v ?? "";
  return out;
}

const textOf = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Whether a `spec.exemptions.resources` entry names this resource: every field it gives must hold. */
export function exemptionMatches(entry: PolicyExemption, resource: Resource): boolean {
  if (entry.kinds && entry.kinds.length > 0 && !entry.kinds.includes(resource.kind)) return false;
  if (entry.namespaces && entry.namespaces.length > 0) {
    const ns = textOf(resource.metadata.namespace);
    if (ns === undefined || !entry.namespaces.some((p) => globMatches(p, ns))) return false;
  }
  if (entry.names && entry.names.length > 0) {
    const name = textOf(resource.metadata.name);
    if (name === undefined || !entry.names.some((p) => globMatches(p, name))) return false;
  }
  if (entry.selector && !selectorMatches(entry.selector, labelsOf(resource))) return false;
  return true;
}

/** `policy <name>`: where a policy exemption came from, in reports. */
export function policySource(policy: string): string {
  return `policy ${policy}`;
}

/**
 * The policy's own exemptions (`spec.exemptions.resources`) that name this resource, one entry per rule that
 * applies to it (`applicable`): applied, or ignored with why (expired, neverExempt). `allowed`, `requireReason` and
 * `requireExpiry` are about annotations; a policy entry always has a reason and an expiry (the schema says so).
 */
export function readPolicyExemptions(
  resource: Resource,
  settings: ExemptionSettings,
  applicable: ReadonlySet<string>,
  now: Date,
): ExemptionEntry[] {
  const out: ExemptionEntry[] = [];
  for (const x of settings.resources ?? []) {
    if (!exemptionMatches(x, resource)) continue;
    const until = parseUntil(x.until);
    for (const rule of new Set(x.rules)) {
      if (!applicable.has(rule)) continue;
      const entry: ExemptionEntry = { rule, reason: x.reason, until: x.until, applied: false, source: policySource(x.policy) };
      if (settings.neverExempt.includes(rule)) entry.ignoredBecause = "the policy says this rule can never be exempted";
      else if (until === undefined) entry.ignoredBecause = `until "${x.until}" is not a date (YYYY-MM-DD) or RFC 3339 time`;
      else if (now.getTime() >= until.getTime()) entry.ignoredBecause = `expired on ${x.until}`;
      else entry.applied = true;
      out.push(entry);
    }
  }
  return out;
}
