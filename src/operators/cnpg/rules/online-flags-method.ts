import type { Problem } from "../../../engine/types.ts";
import { problem } from "../../../rules/util.ts";
import { getPath } from "../../../util/object.ts";
import { BACKUP, SCHEDULED_BACKUP, effectiveMethod, writtenMethod } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

export const rule = defineRule({
  meta: {
    id: "cnpg-online-flags-method",
    appliesTo: [BACKUP, SCHEDULED_BACKUP],
    defaultAction: "warn",
    params: {},
    docs: {
      summary: "online/onlineConfiguration only apply to method: volumeSnapshot.",
      rationale:
        "CNPG uses online and onlineConfiguration only for volume snapshots. With method: plugin they are accepted " +
        "and silently ignored (GetOnlineOrDefault returns true), so an intended cold or fast-checkpoint backup does " +
        "not happen; with barmanObjectStore (also the default when method is unset) CNPG's webhook rejects them.",
      bad: "spec:\n  method: plugin\n  pluginConfiguration: {name: barman-cloud.cloudnative-pg.io}\n  online: false",
      good: "spec:\n  method: plugin\n  pluginConfiguration: {name: barman-cloud.cloudnative-pg.io}",
      fix: "Remove online/onlineConfiguration, or use method: volumeSnapshot if a snapshot was intended.",
    },
  },
  check(resource) {
    const method = effectiveMethod(resource);
    if (method === "volumeSnapshot") return [];
    const how =
      writtenMethod(resource) === undefined
        ? "method is unset, so CNPG uses barmanObjectStore and its webhook rejects this field"
        : method === "barmanObjectStore"
          ? "CNPG's webhook rejects it for method: barmanObjectStore"
          : `CNPG ignores it for method: ${method}, so the backup runs as if it were not there`;
    const out: Problem[] = [];
    for (const field of ["online", "onlineConfiguration"]) {
      if (getPath(resource, `spec.${field}`) === undefined) continue;
      out.push(
        problem(
          `spec.${field}`,
          `spec.${field} only applies to method: volumeSnapshot; ${how}. Remove spec.${field}, or set method: ` +
            "volumeSnapshot if a snapshot backup was intended.",
        ),
      );
    }
    return out;
  },
});
