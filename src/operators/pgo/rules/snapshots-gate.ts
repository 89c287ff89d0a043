import { problem } from "../../../rules/util.ts";
import { getArray, getObject, isObject } from "../../../util/object.ts";
import { APPLIES_TO } from "../model.ts";
import { operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

interface Params {
  featureGateEnabled: boolean;
}

const SNAPSHOTS = "spec.backups.snapshots";

export const rule = defineRule<Params>({
  meta: {
    id: "pgo-snapshots-gate",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: {
      featureGateEnabled: {
        type: "boolean",
        default: false,
        description: "Whether the operator runs with PGO_FEATURE_GATES containing VolumeSnapshots=true.",
      },
    },
    docs: {
      summary: "spec.backups.snapshots does nothing unless the operator's VolumeSnapshots feature gate (alpha, off by default) is on, nor with tablespace volumes.",
      rationale:
        `VolumeSnapshots is an alpha feature gate, off by default (${operatorCode("internal/feature/features.go", 96, 114)}); with it off PGO ` +
        `ignores spec.backups.snapshots without an event (${operatorCode("internal/controller/postgrescluster/snapshots.go", 55, 58)}). With it on, ` +
        "a cluster using tablespace volumes (and the TablespaceVolumes gate) gets only an IncompatibleFeatures event and no snapshot " +
        `(${operatorCode("internal/controller/postgrescluster/snapshots.go", 71, 80)}). Set featureGateEnabled when your operator runs ` +
        "with PGO_FEATURE_GATES=\"VolumeSnapshots=true\".",
      bad: "backups:\n  snapshots:\n    volumeSnapshotClassName: csi-snapclass   # operator without the VolumeSnapshots gate",
      good: "# operator started with PGO_FEATURE_GATES=\"VolumeSnapshots=true\" (policy: featureGateEnabled: true)\nbackups:\n  snapshots:\n    volumeSnapshotClassName: csi-snapclass",
      fix: "Enable the gate on the operator (PGO_FEATURE_GATES=\"VolumeSnapshots=true\") and set featureGateEnabled, or remove spec.backups.snapshots.",
    },
  },
  check(resource, ctx) {
    if (!getObject(resource, SNAPSHOTS)) return [];
    if (ctx.params.featureGateEnabled !== true) {
      return [
        problem(
          SNAPSHOTS,
          "spec.backups.snapshots only works when the operator runs with the alpha feature gate VolumeSnapshots (PGO_FEATURE_GATES=\"VolumeSnapshots=true\"), off by default; " +
            "without it PGO silently takes no snapshots. Enable the gate (and set this rule's featureGateEnabled), or remove spec.backups.snapshots.",
        ),
      ];
    }
    const tablespaces = (getArray(resource, "spec.instances") ?? []).some((i) => isObject(i) && Array.isArray(i.tablespaceVolumes) && i.tablespaceVolumes.length > 0);
    if (!tablespaces) return [];
    return [
      problem(
        SNAPSHOTS,
        "an instance set has tablespaceVolumes: with the TablespaceVolumes gate on, PGO takes no snapshot at all and only records an IncompatibleFeatures event. Remove spec.backups.snapshots or the tablespace volumes.",
      ),
    ];
  },
});
