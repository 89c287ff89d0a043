import type { Problem, Resource, RuleContext } from "../../../engine/types.ts";
import { BoundedProblems, MAX_LISTED, findObject, indexOf, placeholderReason, problem } from "../../../rules/util.ts";
import { getString, isObject } from "../../../util/object.ts";
import { hasPlaceholder, mayBeEqual } from "../../../util/placeholder.ts";
import {
  CLUSTER,
  DEFAULT_SNAPSHOT_CLASS_ANNOTATION,
  isNonEmptyString,
  snapshotVolumes as volumesOf,
  volumeDriver,
  volumeSnapshotConfig,
  type SnapshotVolume as Volume,
} from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

// What happens to a VolumeSnapshot that CNPG creates without volumeSnapshotClassName (CNPG passes the class of the
// volume's role, or nothing: persistentvolumeclaim/calculator.go GetVolumeSnapshotClass): the external
// snapshot-controller's SetDefaultSnapshotClass lists the classes annotated is-default-class "true" whose `driver` is
// the CSI driver of the snapshotted PV; none gives "cannot find default snapshot class", several give "<n> default
// snapshot classes were found", and either becomes the VolumeSnapshot's status.error
// "Failed to set default snapshot class with error ..." (common-controller/snapshot_controller.go).

/** What CNPG does with a VolumeSnapshot error (the same text in every snapshot rule). */
const ON_SNAPSHOT_ERROR =
  "CNPG 1.22 to 1.30.0 fail the Backup on that error at once; since cloudnative-pg#11132 (main, backported to " +
  "release-1.28/1.29/1.30) CNPG retries every 10 s until cnpg.io/volumeSnapshotDeadline (10 minutes by default), " +
  "keeping a cold backup's instance fenced (shut down) or a hot one in backup mode, and then fails it.";

const VS = "spec.backup.volumeSnapshot";

/** Default VolumeSnapshotClasses by driver (placeholder names count: the class exists at deploy time). */
function defaultsByDriver(classes: Resource[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of classes) {
    const a = c.metadata.annotations;
    if (!isObject(a) || a[DEFAULT_SNAPSHOT_CLASS_ANNOTATION] !== "true") continue;
    const driver = getString(c, "driver");
    if (!isNonEmptyString(driver)) continue;
    out.set(driver, [...(out.get(driver) ?? []), String(c.metadata.name)]);
  }
  return out;
}

/** What the snapshot controller will do for a class-less snapshot of a volume. */
type Outcome =
  | { kind: "ok" }
  /** `reason` why no single default class applies, `error` what the snapshot controller reports. */
  | { kind: "fail"; key: string; reason: string; error: string }
  | { kind: "unknown"; key: string; message: string }
  /** The VolumeSnapshotClass kind is not known: no default can be relied on (denied by design). */
  | { kind: "no-classes"; key: string };

const NONE = "cannot find default snapshot class";

/** Default classes by driver, built once per state of the VolumeSnapshotClass cache; `undefined` when the kind is unknown. */
function defaultClasses(ctx: RuleContext): Map<string, string[]> | undefined {
  const classes = ctx.lookups.list("VolumeSnapshotClass");
  if (classes === undefined) return undefined;
  return indexOf(ctx.lookups, ["VolumeSnapshotClass"], "cnpg-default-snapshot-classes-by-driver", () => defaultsByDriver(classes));
}

function outcomeFor(ctx: RuleContext, v: Volume, byDriver: Map<string, string[]> | undefined): Outcome {
  if (byDriver === undefined) return { kind: "no-classes", key: "no-classes" };
  const d = volumeDriver(ctx, v);
  if (d.driver !== undefined) {
    const names = byDriver.get(d.driver) ?? [];
    if (names.length === 1) return { kind: "ok" };
    // A driver still holding a placeholder (the volume's, or a default class's) may be the one once substituted.
    const driver = d.driver;
    const maybe = hasPlaceholder(driver) ? driver : names.length === 0 ? [...byDriver.keys()].find((k) => mayBeEqual(k, driver)) : undefined;
    if (maybe !== undefined) {
      const what = maybe === driver ? `the CSI driver of ${v.what} (the provisioner of ${d.via})` : "the driver of a default VolumeSnapshotClass";
      return {
        kind: "unknown",
        key: `placeholder:${maybe}`,
        message: `${v.what} has no snapshot class, so the snapshot controller gives its VolumeSnapshot the default VolumeSnapshotClass of its CSI driver, but ${placeholderReason(what, maybe)}`,
      };
    }
    const of = `of driver ${d.driver} (the provisioner of ${d.via})`;
    return names.length === 0
      ? { kind: "fail", key: `driver:${d.driver}`, reason: `no VolumeSnapshotClass ${of} carries ${DEFAULT_SNAPSHOT_CLASS_ANNOTATION}: "true"`, error: NONE }
      : {
          kind: "fail",
          key: `driver:${d.driver}`,
          reason: `${names.length} VolumeSnapshotClasses ${of} are annotated as the default (${names.join(", ")})`,
          error: `${names.length} default snapshot classes were found`,
        };
  }
  // The driver is not known: the snapshot fails for certain only when no driver has exactly one default class.
  const usable = [...byDriver].filter(([, names]) => names.length === 1);
  if (usable.length === 0) {
    const several = [...byDriver].map(([driver, names]) => `${names.length} for ${driver}`);
    return {
      kind: "fail",
      key: "no-usable-default",
      reason:
        several.length === 0
          ? `no VolumeSnapshotClass carries ${DEFAULT_SNAPSHOT_CLASS_ANNOTATION}: "true"`
          : `no CSI driver has exactly one default VolumeSnapshotClass (${several.join(", ")}), whatever the volume's driver is`,
      error: several.length === 0 ? NONE : `${NONE}" or "<n> default snapshot classes were found`,
    };
  }
  const list = usable.map(([driver, names]) => `${names[0]} for ${driver}`).join(", ");
  return {
    kind: "unknown",
    key: `unknown:${d.why}`,
    message:
      `${v.what} has no snapshot class, so the snapshot controller will give its VolumeSnapshot the ` +
      `default VolumeSnapshotClass of the volume's CSI driver (known defaults: ${list}), but that driver is not known: ` +
      `${d.why}. Pass the StorageClasses with --lookup, or set ${v.classPath}.`,
  };
}

function classLessMessage(v: Volume, outcome: Exclude<Outcome, { kind: "ok" } | { kind: "unknown" }>, alsoCovered: Volume[]): string {
  const field = v.classPath.slice(VS.length + 1);
  const has = v.isData ? "spec.backup.volumeSnapshot has no className" : `${v.what} has no ${field} and spec.backup.volumeSnapshot no className`;
  const one = alsoCovered.length === 1;
  const names = alsoCovered.map((o) => o.what).join(" and ");
  const also =
    alsoCovered.length > 0
      ? ` ${names.charAt(0).toUpperCase()}${names.slice(1)} ${one ? "has" : "have"} no class of ${one ? "its" : "their"} ` +
        `own either and ${one ? "falls" : "fall"} back to className, so className covers ${one ? "it" : "them"} too (on ` +
        "another CSI driver, set walClassName or tablespaceClassName for it instead)."
      : "";
  if (outcome.kind === "no-classes") {
    return (
      `${has}, and no VolumeSnapshotClass is known here, so no default class can be relied on (pass the cluster's ` +
      "VolumeSnapshotClasses and StorageClasses with --lookup, or validate against the live cluster). CNPG creates " +
      "the VolumeSnapshot without a class; the snapshot controller then uses the VolumeSnapshotClass annotated " +
      `${DEFAULT_SNAPSHOT_CLASS_ANNOTATION}: "true" whose driver is the volume's CSI driver, and fails with "${NONE}" ` +
      `when there is none (or "<n> default snapshot classes were found" when there are several). ${ON_SNAPSHOT_ERROR} ` +
      `Set ${v.classPath}: <VolumeSnapshotClass of that CSI driver> (kubectl get volumesnapshotclass).${also}`
    );
  }
  return (
    `${has}, so CNPG creates its VolumeSnapshot without a class and the snapshot controller must pick the default ` +
    `class of the volume's CSI driver, but ${outcome.reason}: it sets the VolumeSnapshot's status.error to "Failed ` +
    `to set default snapshot class with error ${outcome.error}" and takes no snapshot. ${ON_SNAPSHOT_ERROR} Set ` +
    `${v.classPath} to a VolumeSnapshotClass of that driver (kubectl get volumesnapshotclass), or annotate exactly one ` +
    `class of the driver as the default.${also}`
  );
}

/** The driver of a VolumeSnapshotClass named by className, when it is known. */
function classDriver(ctx: RuleContext, name: string): string | undefined {
  const found = findObject(ctx.lookups, "VolumeSnapshotClass", undefined, name);
  if (found.state !== "found") return undefined;
  const d = getString(found.object, "driver");
  return isNonEmptyString(d) ? d : undefined;
}

/**
 * A WAL or tablespace volume without a class of its own takes className. When that class (or, if the class is not
 * known, PGDATA's driver that className is meant for) is of another CSI driver than the volume, the snapshot is sent
 * to the wrong driver's snapshotter and fails. Checked only when both drivers are known.
 */
function mismatchProblem(ctx: RuleContext, v: Volume, className: string, data: Volume): Problem | undefined {
  const own = volumeDriver(ctx, v);
  if (own.driver === undefined) return undefined;
  let classDrv = classDriver(ctx, className);
  let whose = `the VolumeSnapshotClass "${className}" (driver ${classDrv})`;
  if (classDrv === undefined) {
    const dataDriver = volumeDriver(ctx, data);
    if (dataDriver.driver === undefined || hasPlaceholder(className)) return undefined;
    classDrv = dataDriver.driver;
    whose = `className "${className}", a class for PGDATA's CSI driver ${classDrv} (${dataDriver.via})`;
  }
  if (classDrv === own.driver) return undefined;
  if (mayBeEqual(classDrv, own.driver)) {
    const [what, value] = hasPlaceholder(own.driver) ? [`the CSI driver of ${v.what}`, own.driver] : [`the driver of ${whose}`, classDrv];
    return { path: v.classPath, message: placeholderReason(what, value), notChecked: true };
  }
  const field = v.classPath.slice(VS.length + 1);
  return problem(
    v.classPath,
    `${v.what} is on CSI driver ${own.driver} (${own.via}) and has no ${field}, so CNPG snapshots it with ${whose}. ` +
      `The snapshot controller then creates a VolumeSnapshotContent for driver ${classDrv} holding the handle of a ` +
      `${own.driver} volume: ${classDrv}'s snapshotter is asked to snapshot a volume it does not manage (and with no ` +
      `snapshotter for ${classDrv} nothing picks it up), so that volume is not snapshotted and the Backup does not ` +
      `complete. Set ${v.classPath} to a VolumeSnapshotClass of driver ${own.driver}.`,
  );
}

export const rule = defineRule({
  meta: {
    id: "cnpg-snapshot-class-required",
    appliesTo: [CLUSTER],
    defaultAction: "deny",
    params: {},
    lookups: ["VolumeSnapshotClass", "StorageClass"],
    docs: {
      summary: "Every snapshotted volume needs a VolumeSnapshotClass: className (or walClassName / tablespaceClassName), or exactly one default class of its CSI driver.",
      rationale:
        "className is optional in the CRD and CNPG never checks it: without it (and without walClassName or " +
        "tablespaceClassName for those volumes, which fall back to className) CNPG creates VolumeSnapshots with no " +
        "class. The external snapshot-controller then picks the VolumeSnapshotClass annotated " +
        `${DEFAULT_SNAPSHOT_CLASS_ANNOTATION}: "true" whose driver is the CSI driver of the snapshotted volume; with ` +
        "none it fails with \"cannot find default snapshot class\", with several with \"<n> default snapshot classes " +
        "were found\". A volume's driver is the provisioner of its StorageClass (storageClass, else " +
        "pvcTemplate.storageClassName, else the cluster's default StorageClass), each volume on its own. The rule " +
        "passes when that driver has exactly one default class, denies when it has none or several (or when no " +
        "driver has exactly one, whatever the volume's driver), and reports \"not checked\" when defaults exist but " +
        "the volume's driver is not known. With no VolumeSnapshotClass known at all it denies (nothing can be relied " +
        `on). ${ON_SNAPSHOT_ERROR} A WAL or tablespace volume that falls back to className while it is on another ` +
        "CSI driver than className's class is reported too.",
      bad: "spec:\n  backup:\n    volumeSnapshot:\n      online: true",
      good: "spec:\n  backup:\n    volumeSnapshot:\n      className: csi-hostpath-snapclass\n      online: true",
      fix: "Set spec.backup.volumeSnapshot.className to a VolumeSnapshotClass of the CSI driver behind spec.storage (kubectl get volumesnapshotclass), or annotate exactly one class of that driver as the default.",
    },
  },
  check(resource, ctx) {
    const vs = volumeSnapshotConfig(resource);
    if (!vs) return [];
    const volumes = volumesOf(resource, vs);
    const data = volumes[0]!;
    const className = data.ownClass;
    const out: Problem[] = [];
    if (className === undefined) {
      // Every volume without its own class is class-less; one finding per distinct outcome, PGDATA's first.
      const classless = volumes.filter((v) => v.ownClass === undefined);
      const byDriver = defaultClasses(ctx);
      const results = classless.map((v) => ({ v, o: outcomeFor(ctx, v, byDriver) }));
      const reported = new Set<Volume>();
      // Linear: only PGDATA (the first volume) folds the volumes that fail like it; every other volume is listed on its
      // own, bounded (a Cluster may have thousands of tablespaces).
      const listed = new BoundedProblems();
      const unknown = new BoundedProblems();
      for (const { v, o } of results) {
        if (reported.has(v) || o.kind === "ok") continue;
        // Volumes that fail like PGDATA are fixed by className; others need their own field.
        const folded = v.isData ? results.filter((r) => r.v !== v && r.o.kind !== "ok" && r.o.key === o.key).map((r) => r.v) : [];
        reported.add(v);
        for (const f of folded) reported.add(f);
        if (o.kind === "unknown") unknown.add(() => ({ path: v.classPath, message: o.message, notChecked: true }));
        else listed.add(() => problem(v.classPath, classLessMessage(v, o, folded)));
      }
      out.push(...listed.finish(`${VS}.tablespaceClassName`, "volumes without a usable default VolumeSnapshotClass"));
      out.push(...unknown.finish(`${VS}.tablespaceClassName`, "volumes whose CSI driver is not known").map((p, i) => (i >= MAX_LISTED ? { ...p, notChecked: true } : p)));
    } else {
      const listed = new BoundedProblems();
      for (const v of volumes) {
        if (v.isData || v.ownClass !== undefined) continue;
        const p = mismatchProblem(ctx, v, className, data);
        if (p) listed.add(() => p);
      }
      out.push(...listed.finish(`${VS}.tablespaceClassName`, "volumes that fall back to className on another CSI driver"));
    }
    return out;
  },
});
