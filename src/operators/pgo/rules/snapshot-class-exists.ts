import { findObject, lookupNotChecked, problem } from "../../../rules/util.ts";
import { getString } from "../../../util/object.ts";
import { APPLIES_TO } from "../model.ts";
import { operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

const FIELD = "spec.backups.snapshots.volumeSnapshotClassName";

export const rule = defineRule({
  meta: {
    id: "pgo-snapshot-class-exists",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    lookups: ["VolumeSnapshotClass"],
    docs: {
      summary: "spec.backups.snapshots.volumeSnapshotClassName must name an existing VolumeSnapshotClass.",
      rationale:
        "PGO copies the name into every VolumeSnapshot it creates without checking it " +
        `(${operatorCode("internal/controller/postgrescluster/snapshots.go", 405, 440)}); for a missing class the snapshot controller ` +
        "fails the VolumeSnapshot and no snapshot is ever taken. A StorageClass name instead of a VolumeSnapshotClass name is the usual " +
        "mistake. Checked whether or not the VolumeSnapshots gate is on (pgo-snapshots-gate reports that): a missing class is wrong either " +
        "way. A name with an unresolved ${…} placeholder is reported as not checked.",
      bad: "backups:\n  snapshots:\n    volumeSnapshotClassName: gp3   # a StorageClass",
      good: "backups:\n  snapshots:\n    volumeSnapshotClassName: csi-aws-vsc   # kubectl get volumesnapshotclass",
      fix: "Use the name of a VolumeSnapshotClass (kubectl get volumesnapshotclass) whose driver matches the data volume's StorageClass provisioner.",
    },
  },
  check(resource, ctx) {
    const name = getString(resource, FIELD);
    if (name === undefined || name.trim() === "") return [];
    const found = findObject(ctx.lookups, "VolumeSnapshotClass", undefined, name);
    if (found.state === "unknown") return [lookupNotChecked(found, FIELD)];
    if (found.state === "found") return [];
    const storageClass = ctx.lookups.get("StorageClass", undefined, name);
    const known = (ctx.lookups.list("VolumeSnapshotClass") ?? [])
      .map((c) => c.metadata.name)
      .filter((n): n is string => typeof n === "string")
      .slice(0, 10);
    return [
      problem(
        FIELD,
        `${storageClass ? `"${name}" is a StorageClass, not a VolumeSnapshotClass: no` : "no"} VolumeSnapshotClass named "${name}" exists. PGO copies the name into its VolumeSnapshots unchecked, ` +
          `so the snapshot controller fails them and no snapshot is taken. Set volumeSnapshotClassName to an existing VolumeSnapshotClass` +
          (known.length > 0 ? ` (known: ${known.join(", ")})` : " (kubectl get volumesnapshotclass)") +
          ".",
      ),
    ];
  },
});
