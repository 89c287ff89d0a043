import type { Problem, Resource, Rule, RuleContext } from "../../engine/types.ts";
import { findObject, problem } from "../util.ts";
import { getString, isObject } from "../../util/object.ts";
import { CLUSTER, isNonEmptyString, volumeSnapshotConfig } from "./model.ts";

const VS = "spec.backup.volumeSnapshot";

/** What CNPG does with a VolumeSnapshot error (the same text in every snapshot rule). */
const ON_SNAPSHOT_ERROR =
  "CNPG 1.22 to 1.30.0 fail the Backup on that error at once; since cloudnative-pg#11132 (main, backported to " +
  "release-1.28/1.29/1.30) CNPG retries every 10 s until cnpg.io/volumeSnapshotDeadline (10 minutes by default), " +
  "keeping a cold backup's instance fenced (shut down) or a hot one in backup mode, and then fails it.";

/** Every class name the Cluster's snapshot configuration uses, with its field path. */
function classReferences(vs: Record<string, unknown>): { path: string; name: string }[] {
  const out: { path: string; name: string }[] = [];
  for (const key of ["className", "walClassName"]) {
    const v = vs[key];
    if (isNonEmptyString(v)) out.push({ path: `${VS}.${key}`, name: v });
  }
  if (isObject(vs.tablespaceClassName)) {
    for (const [tablespace, v] of Object.entries(vs.tablespaceClassName)) {
      if (isNonEmptyString(v)) out.push({ path: `${VS}.tablespaceClassName.${tablespace}`, name: v });
    }
  }
  return out;
}

function names(classes: Resource[]): string[] {
  return classes.map((c) => c.metadata.name).filter((n): n is string => typeof n === "string");
}

function missingMessage(ctx: RuleContext, path: string, name: string): string {
  const storageClass = ctx.lookups.get("StorageClass", undefined, name);
  const classes = ctx.lookups.list("VolumeSnapshotClass") ?? [];
  const field = path.slice(VS.length + 1);
  let what = `no VolumeSnapshotClass named "${name}" exists.`;
  if (storageClass) {
    const provisioner = getString(storageClass, "provisioner");
    const sameDriver = isNonEmptyString(provisioner) ? names(classes.filter((c) => getString(c, "driver") === provisioner)) : [];
    what =
      `"${name}" is a StorageClass, not a VolumeSnapshotClass (a common mix-up, cloudnative-pg#3934): no ` +
      "VolumeSnapshotClass has that name." +
      (sameDriver.length > 0 ? ` VolumeSnapshotClasses of its provisioner ${provisioner}: ${sameDriver.slice(0, 10).join(", ")}.` : "");
  }
  const known = names(classes);
  return (
    `${what} CNPG does not check the class: it copies the name into the VolumeSnapshot, and the snapshot controller ` +
    `sets the VolumeSnapshot's status.error to 'Failed to get snapshot class with error ` +
    `volumesnapshotclass.snapshot.storage.k8s.io "${name}" not found' and takes no snapshot. ${ON_SNAPSHOT_ERROR} ` +
    `Set ${field} to an existing VolumeSnapshotClass` +
    (known.length > 0 ? ` (known: ${known.slice(0, 10).join(", ")})` : " (kubectl get volumesnapshotclass)") +
    "."
  );
}

export const rule: Rule = {
  meta: {
    id: "cnpg-snapshot-class-exists",
    appliesTo: [CLUSTER],
    defaultAction: "deny",
    params: {},
    lookups: ["VolumeSnapshotClass", "StorageClass"],
    docs: {
      summary: "className, walClassName and tablespaceClassName values must name existing VolumeSnapshotClasses.",
      rationale:
        "CNPG copies the names into the VolumeSnapshots it creates without checking them. For a missing class the " +
        "snapshot controller sets the VolumeSnapshot's status.error to 'Failed to get snapshot class with error " +
        `volumesnapshotclass.snapshot.storage.k8s.io "<name>" not found'. ${ON_SNAPSHOT_ERROR} Giving a StorageClass ` +
        "name instead of a VolumeSnapshotClass made a single-instance database inaccessible in cloudnative-pg#3934 " +
        "(also #5505). A name with an unresolved ${…} placeholder is reported as not checked.",
      bad: "spec:\n  backup:\n    volumeSnapshot:\n      className: managed-csi   # a StorageClass",
      good: "spec:\n  backup:\n    volumeSnapshot:\n      className: csi-azuredisk-vsc   # kubectl get volumesnapshotclass",
      fix: "Use the name of a VolumeSnapshotClass (kubectl get volumesnapshotclass) whose driver matches the volume's StorageClass provisioner.",
    },
  },
  check(resource, ctx) {
    const vs = volumeSnapshotConfig(resource);
    if (!vs) return [];
    const out: Problem[] = [];
    for (const ref of classReferences(vs)) {
      const found = findObject(ctx.lookups, "VolumeSnapshotClass", undefined, ref.name);
      if (found.state === "unknown") out.push({ path: ref.path, message: found.reason, notChecked: true });
      else if (found.state === "missing") out.push(problem(ref.path, missingMessage(ctx, ref.path, ref.name)));
    }
    return out;
  },
};
