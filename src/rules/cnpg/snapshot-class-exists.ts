import type { Problem, Rule, RuleContext } from "../../engine/types.ts";
import { notChecked, problem } from "../util.ts";
import { isObject } from "../../util/object.ts";
import { CLUSTER, isNonEmptyString, volumeSnapshotConfig } from "./model.ts";

/** Every class name the Cluster's snapshot configuration uses, with its field path. */
function classReferences(vs: Record<string, unknown>): { path: string; name: string }[] {
  const base = "spec.backup.volumeSnapshot";
  const out: { path: string; name: string }[] = [];
  for (const key of ["className", "walClassName"]) {
    const v = vs[key];
    if (isNonEmptyString(v)) out.push({ path: `${base}.${key}`, name: v });
  }
  if (isObject(vs.tablespaceClassName)) {
    for (const [tablespace, v] of Object.entries(vs.tablespaceClassName)) {
      if (isNonEmptyString(v)) out.push({ path: `${base}.tablespaceClassName.${tablespace}`, name: v });
    }
  }
  return out;
}

function missingMessage(ctx: RuleContext, path: string, name: string): string {
  const isStorageClass = Boolean(ctx.lookups.get("StorageClass", undefined, name));
  const known = (ctx.lookups.list("VolumeSnapshotClass") ?? [])
    .map((c) => c.metadata.name)
    .filter((n): n is string => typeof n === "string");
  const field = path.slice(path.lastIndexOf(".") + 1);
  const what = isStorageClass
    ? `"${name}" is a StorageClass, not a VolumeSnapshotClass (a common mix-up, #3934): no VolumeSnapshotClass has that name.`
    : `no VolumeSnapshotClass named "${name}" exists.`;
  return (
    `${what} CNPG does not check the class; the snapshot-controller fails every snapshot ("Failed to get snapshot ` +
    "class ... not found\"), CNPG retries for 10 minutes with the pod fenced (cold) or in backup mode (hot), and the " +
    `backup fails. Set ${field} to an existing VolumeSnapshotClass` +
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
        "CNPG copies the names into the VolumeSnapshots it creates without checking them. A missing class makes the " +
        "snapshot-controller fail (\"Failed to get snapshot class\"); CNPG treats it as retryable until the 10-minute " +
        "deadline, with a cold backup's pod fenced meanwhile. Giving a StorageClass name instead of a " +
        "VolumeSnapshotClass made a single-instance database inaccessible in #3934 (also #5505).",
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
      const found = ctx.lookups.get("VolumeSnapshotClass", undefined, ref.name);
      if (found === undefined) out.push(notChecked(ctx.lookups, "VolumeSnapshotClass", ref.path));
      else if (found === null) out.push(problem(ref.path, missingMessage(ctx, ref.path, ref.name)));
    }
    return out;
  },
};
