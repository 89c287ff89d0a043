import type { Problem, Resource, RuleContext } from "../../../engine/types.ts";
import { findObject, placeholderReason, problem } from "../../../rules/util.ts";
import { getString, type JsonObject } from "../../../util/object.ts";
import { hasPlaceholder, mayBeEqual } from "../../../util/placeholder.ts";
import {
  BACKUP,
  CLUSTER,
  SCHEDULED_BACKUP,
  isCluster,
  isNonEmptyString,
  lookupCluster,
  snapshotVolumes,
  volumeDriver,
  volumeSnapshotConfig,
  writtenMethod,
} from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

// CNPG v1.30.0 persistentvolumeclaim/calculator.go GetVolumeSnapshotClass: the WAL volume takes walClassName, else
// className; a tablespace its tablespaceClassName entry, else className. A VolumeSnapshotClass of another driver still
// gets a VolumeSnapshotContent (external-snapshotter createSnapshotContent: the class's driver, the PV's handle), which
// that driver's snapshotter cannot cut: the volume is not snapshotted and the Backup does not complete.

const REQUIRED = "cnpg-snapshot-class-required";

/** The driver of the VolumeSnapshotClass `name`, when it is known. */
function classDriver(ctx: RuleContext, name: string): string | undefined {
  const found = findObject(ctx.lookups, "VolumeSnapshotClass", undefined, name);
  if (found.state !== "found") return undefined;
  const d = getString(found.object, "driver");
  return isNonEmptyString(d) ? d : undefined;
}

/** WAL/tablespace volumes that fall back to className while on another CSI driver than that class (both known). */
function mismatches(ctx: RuleContext, cluster: Resource, vs: JsonObject): Problem[] {
  const className = isNonEmptyString(vs.className) ? vs.className : undefined;
  // Without className each class-less volume gets its own driver's default class: cnpg-snapshot-class-required's business.
  if (className === undefined) return [];
  const volumes = snapshotVolumes(cluster, vs);
  const data = volumes[0]!;
  const out: Problem[] = [];
  for (const v of volumes) {
    if (v.isData || v.ownClass !== undefined) continue;
    const own = volumeDriver(ctx, v);
    if (own.driver === undefined) continue; // the volume's driver is not known: not checked, never a finding
    let classDrv = classDriver(ctx, className);
    let whose = `className's VolumeSnapshotClass "${className}" (driver ${classDrv})`;
    if (classDrv === undefined) {
      // className is meant for PGDATA: without the class itself, PGDATA's driver says which driver it is for.
      const dataDriver = volumeDriver(ctx, data);
      if (dataDriver.driver === undefined || hasPlaceholder(className)) continue;
      classDrv = dataDriver.driver;
      whose = `className "${className}", the class for PGDATA's CSI driver ${classDrv} (${dataDriver.via})`;
    }
    if (classDrv === own.driver) continue;
    if (mayBeEqual(classDrv, own.driver)) {
      const [what, value] = hasPlaceholder(own.driver) ? [`the CSI driver of ${v.what}`, own.driver] : [`the driver of ${whose}`, classDrv];
      out.push({ path: v.classPath, message: placeholderReason(what, value), notChecked: true });
      continue;
    }
    const field = v.classPath.slice("spec.backup.volumeSnapshot.".length);
    out.push({
      path: v.classPath,
      message:
        `${v.what} is on CSI driver ${own.driver} (${own.via}) but has no ${field}, so CNPG snapshots it with ${whose}. ` +
        `The snapshot controller then asks ${classDrv}'s snapshotter to cut a ${own.driver} volume: that volume is not ` +
        "snapshotted and the Backup does not complete (a Backup with a missing WAL snapshot cannot be restored: " +
        '"missing StorageSource for PostgreSQL WAL", cloudnative-pg#9053). ' +
        `Set ${v.classPath} to a VolumeSnapshotClass of driver ${own.driver}.`,
    });
  }
  return out;
}

export const rule = defineRule({
  meta: {
    id: "cnpg-wal-snapshot-class",
    appliesTo: [CLUSTER, BACKUP, SCHEDULED_BACKUP],
    defaultAction: "warn",
    params: {},
    lookups: ["StorageClass"],
    docs: {
      summary: "A WAL or tablespace volume on another CSI driver than className's class needs walClassName / tablespaceClassName.",
      rationale:
        "CNPG snapshots the WAL volume with walClassName, else className, and a tablespace with its tablespaceClassName " +
        "entry, else className (calculator.go GetVolumeSnapshotClass). When spec.walStorage or a tablespace uses a " +
        "StorageClass of another CSI driver than the one className is for, the snapshot controller creates the " +
        "VolumeSnapshotContent for className's driver with the other driver's volume handle: that snapshot is never " +
        "cut and the Backup does not complete, and a Backup without the WAL snapshot cannot be restored (\"missing " +
        "StorageSource for PostgreSQL WAL\", cloudnative-pg#9053). A volume's driver is its StorageClass's provisioner " +
        "(storageClass, else pvcTemplate.storageClassName, else the default StorageClass); className's driver is its " +
        "VolumeSnapshotClass's, else PGDATA's. Checked only when both are known. On a Cluster the finding is left to " +
        `${REQUIRED} (which reports it as part of its deny) while that rule is active; on volumeSnapshot ` +
        "Backups/ScheduledBackups it is reported against the referenced Cluster.",
      bad: "spec:\n  storage: {storageClass: local-path}\n  walStorage: {storageClass: gp3}\n  backup:\n    volumeSnapshot:\n      className: local-snap",
      good: "spec:\n  storage: {storageClass: local-path}\n  walStorage: {storageClass: gp3}\n  backup:\n    volumeSnapshot:\n      className: local-snap\n      walClassName: ebs-snap",
      fix: "Set walClassName (or tablespaceClassName.<name>) to a VolumeSnapshotClass of the CSI driver behind that volume's StorageClass.",
    },
  },
  check(resource, ctx) {
    if (isCluster(resource)) {
      if (ctx.ruleActive?.(REQUIRED) !== false) return []; // one problem, one finding: that rule reports it
      const vs = volumeSnapshotConfig(resource);
      return vs ? mismatches(ctx, resource, vs) : [];
    }
    if (writtenMethod(resource) !== "volumeSnapshot") return [];
    const ref = lookupCluster(resource, ctx);
    if (ref.state !== "found") return []; // cnpg-backup-method-matches-cluster reports a Cluster it cannot find
    const vs = volumeSnapshotConfig(ref.cluster);
    if (!vs) return [];
    const out: Problem[] = [];
    for (const m of mismatches(ctx, ref.cluster, vs)) {
      if (m.notChecked) out.push({ path: "spec.cluster.name", message: `on Cluster "${ref.name}", ${m.message}`, notChecked: true });
      else out.push(problem("spec.cluster.name", `This ${resource.kind}'s snapshots of Cluster "${ref.name}" will not complete. On that Cluster, ${m.message}`));
    }
    return out;
  },
});
