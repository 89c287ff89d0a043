import type { Problem, Resource, Rule, RuleContext } from "../../engine/types.ts";
import { problem } from "../util.ts";
import { getObject, getString } from "../../util/object.ts";
import {
  CLUSTER,
  DEFAULT_SNAPSHOT_CLASS_ANNOTATION,
  defaultSnapshotClasses,
  isNonEmptyString,
  storageClassProvisioner,
  volumeSnapshotConfig,
} from "./model.ts";

function hasWalStorage(cluster: Resource): boolean {
  return getObject(cluster, "spec.walStorage") !== undefined;
}

/**
 * PGDATA and WAL on storage classes of different CSI drivers: className (a class of one driver) cannot snapshot
 * the other volume, so the WAL volume needs its own walClassName. Checked only when both StorageClasses are known.
 */
function walClassProblem(cluster: Resource, ctx: RuleContext): Problem | undefined {
  if (!hasWalStorage(cluster)) return undefined;
  const vs = volumeSnapshotConfig(cluster);
  if (!vs || isNonEmptyString(vs.walClassName)) return undefined;
  const dataSc = getString(cluster, "spec.storage.storageClass");
  const walSc = getString(cluster, "spec.walStorage.storageClass");
  const dataDriver = storageClassProvisioner(ctx, dataSc);
  const walDriver = storageClassProvisioner(ctx, walSc);
  if (!dataDriver || !walDriver || dataDriver === walDriver) return undefined;
  return problem(
    "spec.backup.volumeSnapshot.walClassName",
    `the WAL volume (spec.walStorage, StorageClass "${walSc}", driver ${walDriver}) and PGDATA (StorageClass "${dataSc}", ` +
      `driver ${dataDriver}) use different CSI drivers, and without walClassName CNPG snapshots the WAL volume with ` +
      "className, a class of another driver: the WAL snapshot fails and a snapshot restore misses its WAL volume " +
      `(#9053). Set spec.backup.volumeSnapshot.walClassName to a VolumeSnapshotClass of driver ${walDriver}.`,
  );
}

export const rule: Rule = {
  meta: {
    id: "cnpg-snapshot-class-required",
    appliesTo: [CLUSTER],
    defaultAction: "deny",
    params: {},
    lookups: ["VolumeSnapshotClass", "StorageClass"],
    docs: {
      summary: "spec.backup.volumeSnapshot needs a className unless a default VolumeSnapshotClass is known.",
      rationale:
        "className is optional in the CRD and CNPG never checks it. Without it CNPG creates VolumeSnapshots with no " +
        "class; the snapshot-controller then fails with \"cannot find default snapshot class\" unless one class carries " +
        `${DEFAULT_SNAPSHOT_CLASS_ANNOTATION}: "true". CNPG retries every 10 s until cnpg.io/volumeSnapshotDeadline ` +
        "(10 min), keeping a cold backup's pod fenced or a hot backup in backup mode (#5505, #3934, #7392). " +
        "walClassName falls back to className; the WAL volume (spec.walStorage) needs its own class when it is on " +
        "another CSI driver (#9053).",
      bad: "spec:\n  backup:\n    volumeSnapshot:\n      online: true",
      good: "spec:\n  backup:\n    volumeSnapshot:\n      className: csi-hostpath-snapclass\n      online: true",
      fix: "Set spec.backup.volumeSnapshot.className to a VolumeSnapshotClass of the CSI driver behind spec.storage (kubectl get volumesnapshotclass).",
    },
  },
  check(resource, ctx) {
    const vs = volumeSnapshotConfig(resource);
    if (!vs) return [];
    const out: Problem[] = [];
    if (!isNonEmptyString(vs.className)) {
      const defaults = defaultSnapshotClasses(ctx);
      if (defaults === undefined || defaults.length === 0) {
        const wal = hasWalStorage(resource) && !isNonEmptyString(vs.walClassName)
          ? " The WAL volume (spec.walStorage) falls back to className too: set walClassName if it is on another driver."
          : "";
        const why =
          defaults === undefined
            ? "no VolumeSnapshotClass is known here, so no default class can be relied on (pass the cluster's " +
              "VolumeSnapshotClasses with --lookup if one is annotated as the default)"
            : `no VolumeSnapshotClass carries the annotation ${DEFAULT_SNAPSHOT_CLASS_ANNOTATION}: "true"`;
        out.push(
          problem(
            "spec.backup.volumeSnapshot.className",
            `spec.backup.volumeSnapshot has no className and ${why}. CNPG then creates class-less VolumeSnapshots that ` +
              "the snapshot-controller rejects (\"cannot find default snapshot class\"); CNPG retries for 10 minutes " +
              "with the pod fenced (cold) or in backup mode (hot) and the backup fails. Set " +
              "spec.backup.volumeSnapshot.className: <VolumeSnapshotClass of your storage's CSI driver> " +
              `(kubectl get volumesnapshotclass).${wal}`,
          ),
        );
      }
    }
    const wal = walClassProblem(resource, ctx);
    if (wal) out.push(wal);
    return out;
  },
};
