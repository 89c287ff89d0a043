// The backup schedule of a CNPG ScheduledBackup, with the dialect CNPG parses it in.
import type { Resource } from "../../engine/types.ts";
import type { ScheduleSource } from "../../rules/schedule/sources.ts";
import { getObject } from "../../util/object.ts";

const REJECTED =
  "CNPG's admission webhook rejects the ScheduledBackup with this message, and the controller cannot schedule it";

/**
 * ScheduledBackup: `spec.schedule` (robfig-v1 dialect; reported even when missing or not a string, since the CRD
 * requires a string). Never throws.
 */
export function scheduleSources(resource: Resource): ScheduleSource[] {
  if (resource.kind !== "ScheduledBackup") return [];
  const spec = getObject(resource, "spec");
  if (!spec) return [];
  const value = spec.schedule;
  const source: ScheduleSource = {
    path: "spec.schedule",
    text: typeof value === "string" ? value : null,
    value,
    dialect: "robfig-v1",
    role: "base",
    subject: "this ScheduledBackup's backups",
    rejectedBy: REJECTED,
  };
  if (spec.suspend === true) {
    source.suspended = true;
    source.note = " Note: spec.suspend is true, so CNPG currently takes no scheduled backups at all.";
  }
  return [source];
}
