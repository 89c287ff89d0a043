// The `kubernetes` dialect: the CYBERTEC operator and PGO copy repo schedules verbatim into Kubernetes CronJobs, so
// what counts is the API server's CronJob validation: robfig/cron v3.0.1 `ParseStandard` (5 fields,
// minute first, descriptors incl. `@every`) plus `validateScheduleFormat` in kubernetes
// pkg/apis/batch/validation/validation.go, which on create refuses any schedule containing "TZ".
import type { ParseResult } from "./types.ts";
import { goFields } from "./golang.ts";
import { fromSixFields, MAX_SCHEDULE_LENGTH, parseDescriptor, tooLong, type SpecResult } from "./spec.ts";

export const K8S_TZ_MESSAGE = "cannot use TZ or CRON_TZ in schedule, use timeZone field instead";

const GO_TRIM = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** robfig/cron v3 `ParseStandard`, minus time-zone loading (any TZ is refused by Kubernetes anyway). */
function parseStandard(text: string): SpecResult {
  if (text.length === 0) return { ok: false, error: "empty spec string" };
  let spec = text;
  if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
    const space = spec.indexOf(" ");
    // Upstream slices spec[eq+1:i] and panics when there is no space; the API server turns that into an error.
    if (space < 0) return { ok: false, error: `provided bad location ${spec.slice(spec.indexOf("=") + 1)}` };
    spec = spec.slice(space).replace(GO_TRIM, "");
  }
  if (spec.startsWith("@")) return parseDescriptor(spec, "v3", "kubernetes");
  const fields = goFields(spec);
  if (fields.length !== 5) return { ok: false, error: `expected exactly 5 fields, found ${fields.length}: [${fields.join(" ")}]` };
  return fromSixFields(["0", ...fields], "v3", { dialect: "kubernetes", source: text, fieldCount: 5 });
}

export function parseCpo(text: string): ParseResult {
  if (text.length > MAX_SCHEDULE_LENGTH) return { ok: false, error: tooLong(text) };
  const parsed = parseStandard(text);
  const errors: string[] = [];
  if (!parsed.ok) errors.push(parsed.error);
  if (text.includes("TZ")) errors.push(K8S_TZ_MESSAGE);
  if (errors.length > 0 || !parsed.ok) return { ok: false, error: errors.join("; ") };
  return { ok: true, schedule: { ...parsed.schedule, source: text }, warnings: [] };
}
