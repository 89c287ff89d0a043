import type { Problem, Resource, RuleContext } from "../../../engine/types.ts";
import { BoundedProblems, findObject, lookupNotChecked, problem } from "../../../rules/util.ts";
import { getString, isObject } from "../../../util/object.ts";
import { CLUSTER, isNonEmptyString, volumeSnapshotConfig } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

const VS = "spec.backup.volumeSnapshot";

/** What CNPG does with a VolumeSnapshot error (the same text in every snapshot rule). */
const ON_SNAPSHOT_ERROR =
  "CNPG 1.22 to 1.30.0 fail the Backup on that error at once; since cloudnative-pg#11132 (main, backported to " +
  "release-1.28/1.29/1.30) CNPG retries every 10 s until cnpg.io/volumeSnapshotDeadline (10 minutes by default), " +
  "keeping a cold backup's instance fenced (shut down) or a hot one in backup mode, and then fails it.";

/** A string with something other than whitespace, without allocating for the usual case (no leading blank). */
function nonBlank(v: unknown): v is string {
  return typeof v === "string" && v !== "" && (v.charCodeAt(0) > 32 || v.trim() !== "");
}

/**
 * Calls `visit` with every class name the Cluster's snapshot configuration uses and a function giving its field path
 * (built only when a problem needs it: tablespaceClassName may hold tens of thousands of keys).
 */
function forEachClassReference(vs: Record<string, unknown>, visit: (name: string, path: () => string) => void): void {
  for (const key of ["className", "walClassName"]) {
    const v = vs[key];
    if (isNonEmptyString(v)) visit(v, () => `${VS}.${key}`);
  }
  const perTablespace = vs.tablespaceClassName;
  if (isObject(perTablespace)) {
    for (const tablespace in perTablespace) {
      const v = perTablespace[tablespace];
      if (nonBlank(v) && Object.hasOwn(perTablespace, tablespace)) visit(v, () => `${VS}.tablespaceClassName.${tablespace}`);
    }
  }
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

export const rule = defineRule({
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
    // One problem per missing class, bounded: tablespaceClassName may name thousands, and each message lists the
    // known classes (so an unbounded list cost refs x classes).
    const missing = new BoundedProblems();
    const unknown = new BoundedProblems();
    // Looked up once per distinct name (thousands of tablespaces usually share a few classes).
    const seen = new Map<string, ReturnType<typeof findObject>>();
    forEachClassReference(vs, (name, path) => {
      let found = seen.get(name);
      if (!found) seen.set(name, (found = findObject(ctx.lookups, "VolumeSnapshotClass", undefined, name)));
      if (found.state === "unknown") unknown.add(() => lookupNotChecked(found, path()));
      else if (found.state === "missing") missing.add(() => problem(path(), missingMessage(ctx, path(), name)));
    });
    const out: Problem[] = missing.finish(`${VS}.tablespaceClassName`, "VolumeSnapshotClass names that do not exist");
    for (const p of unknown.finish(`${VS}.tablespaceClassName`, "VolumeSnapshotClass names that could not be checked")) out.push({ ...p, notChecked: true });
    return out;
  },
});
