// The `robfig-v1` dialect: robfig/cron v1.2.0 `cron.Parse`, which CloudNativePG calls for
// ScheduledBackup.spec.schedule (webhook and controller). Seconds first; 5 or 6 fields (a missing day of
// week is `*`); descriptors when the very first character is `@`.
import type { ParseResult } from "./types.ts";
import { goFields } from "./golang.ts";
import { fromSixFields, MAX_SCHEDULE_LENGTH, parseDescriptor, tooLong } from "./spec.ts";

/** CNPG's admission warning when `len(strings.Fields(schedule)) != 6` (scheduledbackup_webhook.go). */
export const CNPG_FIELD_COUNT_WARNING =
  "Schedule parameter may not have the right number of arguments (usually six arguments are needed)";

export function parseCnpg(text: string): ParseResult {
  if (text.length > MAX_SCHEDULE_LENGTH) return { ok: false, error: tooLong(text) };
  if (text.length === 0) return { ok: false, error: "Empty spec string" };
  const fields = goFields(text);
  const warnings = fields.length === 6 ? [] : [CNPG_FIELD_COUNT_WARNING];
  if (text[0] === "@") {
    const r = parseDescriptor(text, "v1", "robfig-v1");
    return r.ok ? { ok: true, schedule: r.schedule, warnings } : r;
  }
  if (fields.length < 5 || fields.length > 6) {
    return { ok: false, error: `Expected 5 to 6 fields, found ${fields.length}: ${text}` };
  }
  const six = fields.length === 5 ? [...fields, "*"] : fields;
  const r = fromSixFields(six, "v1", { dialect: "robfig-v1", source: text, fieldCount: fields.length });
  return r.ok ? { ok: true, schedule: r.schedule, warnings } : r;
}
