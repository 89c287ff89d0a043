// Reading CNPG objects the way the operator (and the barman-cloud plugin) reads them. Shared by the cnpg
// rules and the cnpg defaulters. Every function tolerates wrong types: it answers as if the field were absent.
import type { NotCheckedCause, Resource, RuleContext } from "../../engine/types.ts";
import { getArray, getObject, getPath, getString, isObject, type JsonObject } from "../../util/object.ts";
import { hasPlaceholder } from "../../util/placeholder.ts";
import { findObject, indexOf, namespaceOf, notChecked } from "../../rules/util.ts";

export const BARMAN_CLOUD_PLUGIN = "barman-cloud.cloudnative-pg.io";
export const BACKUP_METHODS = ["barmanObjectStore", "volumeSnapshot", "plugin"] as const;
export type BackupMethod = (typeof BACKUP_METHODS)[number];
export const SKIP_WAL_ARCHIVING_ANNOTATION = "cnpg.io/skipWalArchiving";
export const DEFAULT_SNAPSHOT_CLASS_ANNOTATION = "snapshot.storage.kubernetes.io/is-default-class";
/** CNPG's default `archive_timeout` (set by its webhook when the user does not). */
export const CNPG_DEFAULT_ARCHIVE_TIMEOUT_SECONDS = 300;

export const CLUSTER = "postgresql.cnpg.io/v1/Cluster" as const;
export const BACKUP = "postgresql.cnpg.io/v1/Backup" as const;
export const SCHEDULED_BACKUP = "postgresql.cnpg.io/v1/ScheduledBackup" as const;
export const OBJECT_STORE = "barmancloud.cnpg.io/v1/ObjectStore" as const;

export function isCluster(r: Resource): boolean {
  return r.kind === "Cluster";
}

/** A string with something other than whitespace in it (what the operator treats as set). */
export function isNonEmptyString(v: unknown): v is string {
  return typeof v === "string" && v.trim() !== "";
}

function nonEmptyString(v: unknown): string | undefined {
  return isNonEmptyString(v) ? v : undefined;
}

/** One entry of `spec.plugins` or an `externalClusters[i].plugin`, with the CRD defaults applied. */
export interface PluginEntry {
  /** Field path of the entry, e.g. `spec.plugins[0]` or `spec.externalClusters[1].plugin`. */
  path: string;
  name: string | undefined;
  /** CRD default true. */
  enabled: boolean;
  /** CRD default false. */
  isWALArchiver: boolean;
  parameters: JsonObject | undefined;
}

function readPlugin(raw: JsonObject, path: string): PluginEntry {
  return {
    path,
    name: nonEmptyString(raw.name),
    enabled: raw.enabled !== false,
    isWALArchiver: raw.isWALArchiver === true,
    parameters: isObject(raw.parameters) ? raw.parameters : undefined,
  };
}

/** `spec.plugins[]` entries that are objects. */
export function clusterPlugins(cluster: Resource): PluginEntry[] {
  const out: PluginEntry[] = [];
  for (const [i, raw] of (getArray(cluster, "spec.plugins") ?? []).entries()) {
    if (isObject(raw)) out.push(readPlugin(raw, `spec.plugins[${i}]`));
  }
  return out;
}

/** `spec.externalClusters[i].plugin` entries, with the external cluster's name. */
export function externalClusterPlugins(cluster: Resource): (PluginEntry & { externalCluster: string | undefined })[] {
  const out: (PluginEntry & { externalCluster: string | undefined })[] = [];
  for (const [i, ext] of (getArray(cluster, "spec.externalClusters") ?? []).entries()) {
    if (!isObject(ext) || !isObject(ext.plugin)) continue;
    out.push({ ...readPlugin(ext.plugin, `spec.externalClusters[${i}].plugin`), externalCluster: nonEmptyString(ext.name) });
  }
  return out;
}

export function isBarmanCloud(p: PluginEntry): boolean {
  return p.name === BARMAN_CLOUD_PLUGIN;
}

/** Enabled barman-cloud entries of `spec.plugins` and of `spec.externalClusters[].plugin` (the plugin reads both). */
export function barmanCloudEntries(cluster: Resource): PluginEntry[] {
  return [...clusterPlugins(cluster), ...externalClusterPlugins(cluster)].filter((p) => p.enabled && isBarmanCloud(p));
}

/** `parameters.barmanObjectName` when it is a non-empty string. */
export function barmanObjectName(p: PluginEntry): string | undefined {
  return nonEmptyString(p.parameters?.barmanObjectName);
}

export function enabledWalArchivers(cluster: Resource): PluginEntry[] {
  return clusterPlugins(cluster).filter((p) => p.enabled && p.isWALArchiver);
}

/** The in-tree (deprecated) `spec.backup.barmanObjectStore`, when it is an object. */
export function inTreeObjectStore(cluster: Resource): JsonObject | undefined {
  return getObject(cluster, "spec.backup.barmanObjectStore");
}

export function volumeSnapshotConfig(cluster: Resource): JsonObject | undefined {
  return getObject(cluster, "spec.backup.volumeSnapshot");
}

/** Whether the `cnpg.io/skipWalArchiving: enabled` annotation turns `archive_mode` off. */
export function walArchivingSkipped(r: Resource): boolean {
  const a = r.metadata.annotations;
  return isObject(a) && a[SKIP_WAL_ARCHIVING_ANNOTATION] === "enabled";
}

/** Where WALs go: an enabled WAL-archiver plugin, or the in-tree object store. Ignores the skip annotation. */
export function hasWalArchiveConfigured(cluster: Resource): boolean {
  return enabledWalArchivers(cluster).length > 0 || inTreeObjectStore(cluster) !== undefined;
}

/**
 * Enabled plugins of the Cluster that take base backups (`method: plugin`): the listed backup plugins, any plugin
 * that is the WAL archiver (a plugin that archives WAL is a backup plugin: barman-cloud, Dalibo's pgBackRest), and
 * any plugin a Backup/ScheduledBackup names (CNPG sends a plugin backup to any enabled plugin, backup_controller.go).
 */
export function backupPluginEntries(
  cluster: Resource,
  backupPlugins: readonly string[] = [BARMAN_CLOUD_PLUGIN],
  namedByBackups: readonly string[] = [],
): PluginEntry[] {
  return clusterPlugins(cluster).filter(
    (p) => p.enabled && p.name !== undefined && (p.isWALArchiver || backupPlugins.includes(p.name) || namedByBackups.includes(p.name)),
  );
}

/** Base-backup methods the Cluster supports, in CNPG's enum order (see backupPluginEntries for `plugin`). */
export function clusterBackupMethods(
  cluster: Resource,
  backupPlugins: readonly string[] = [BARMAN_CLOUD_PLUGIN],
  namedByBackups: readonly string[] = [],
): BackupMethod[] {
  const out: BackupMethod[] = [];
  if (inTreeObjectStore(cluster)) out.push("barmanObjectStore");
  if (volumeSnapshotConfig(cluster)) out.push("volumeSnapshot");
  if (backupPluginEntries(cluster, backupPlugins, namedByBackups).length > 0) out.push("plugin");
  return out;
}

/**
 * Plugin names that known ScheduledBackups of this Cluster send their backups to (`method: plugin`,
 * `pluginConfiguration.name`). Empty when ScheduledBackups are not known.
 */
export function pluginsNamedBySchedules(cluster: Resource, ctx: RuleContext<unknown>): string[] {
  const name = cluster.metadata.name;
  if (typeof name !== "string" || hasPlaceholder(name)) return [];
  const ns = namespaceOf(cluster);
  const out = new Set<string>();
  // ScheduledBackups by the Cluster they name, built once per state of the ScheduledBackups.
  const byCluster = indexOf(ctx.lookups, ["ScheduledBackup"], "cnpg/scheduled-backups-by-cluster", () => {
    const m = new Map<string, Resource[]>();
    for (const sb of ctx.lookups.list("ScheduledBackup") ?? []) {
      const c = clusterRefName(sb);
      if (c === undefined) continue;
      let bucket = m.get(c);
      if (!bucket) m.set(c, (bucket = []));
      bucket.push(sb);
    }
    return m;
  });
  for (const sb of byCluster.get(name) ?? []) {
    const sbNs = namespaceOf(sb);
    if (ns !== undefined && sbNs !== undefined && sbNs !== ns) continue;
    if (writtenMethod(sb) !== "plugin") continue;
    const plugin = getString(sb, "spec.pluginConfiguration.name");
    if (isNonEmptyString(plugin)) out.add(plugin);
  }
  return [...out];
}

/** Names of the enabled plugins of a Cluster (what a `method: plugin` backup can name). */
export function enabledPluginNames(cluster: Resource): string[] {
  return clusterPlugins(cluster)
    .filter((p) => p.enabled && p.name !== undefined)
    .map((p) => p.name!);
}

/** `spec.instances`: CRD default 1; `undefined` when it is set to something that is not a number. */
export function instancesOf(cluster: Resource): number | undefined {
  const v = getPath(cluster, "spec.instances");
  if (v === undefined || v === null) return 1;
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** `spec.method` of a Backup/ScheduledBackup as written (any string), or `undefined` when absent/not a string. */
export function writtenMethod(backup: Resource): string | undefined {
  return nonEmptyString(getPath(backup, "spec.method"));
}

export function isBackupMethod(v: unknown): v is BackupMethod {
  return typeof v === "string" && (BACKUP_METHODS as readonly string[]).includes(v);
}

/** The method CNPG uses: the written one, else the CRD default `barmanObjectStore`. */
export function effectiveMethod(backup: Resource): string {
  return writtenMethod(backup) ?? "barmanObjectStore";
}

export function clusterRefName(backup: Resource): string | undefined {
  return nonEmptyString(getString(backup, "spec.cluster.name"));
}

export type ClusterLookup =
  | { state: "found"; name: string; cluster: Resource }
  | { state: "unknown"; name: string | undefined; reason: string; cause: NotCheckedCause }
  | { state: "missing"; name: string }
  | { state: "no-reference" };

/** The Cluster a Backup/ScheduledBackup names, in its namespace (see findObject for unset namespaces and placeholders). */
export function lookupCluster(backup: Resource, ctx: RuleContext<unknown>): ClusterLookup {
  const name = clusterRefName(backup);
  if (name === undefined) return { state: "no-reference" };
  const found = findObject(ctx.lookups, "Cluster", namespaceOf(backup), name);
  if (found.state === "unknown") return { state: "unknown", name, reason: found.reason, cause: found.cause };
  if (found.state === "missing") return { state: "missing", name };
  return { state: "found", name, cluster: found.object };
}

/** A not-checked message for a referenced Cluster that is not in the lookups (often applied in the same batch). */
export function clusterMissingReason(name: string): string {
  return `Cluster "${name}" was not found among the known objects (it may be created in the same batch, or the cache may lag); pass it with --lookup to check this`;
}

/** Default VolumeSnapshotClasses (annotation is-default-class "true"), or `undefined` when the kind is unknown. */
export function defaultSnapshotClasses(ctx: RuleContext<unknown>): Resource[] | undefined {
  const all = ctx.lookups.list("VolumeSnapshotClass");
  if (all === undefined) return undefined;
  // A class whose name is still a placeholder is no name a default could copy.
  return all.filter(
    (c) =>
      isObject(c.metadata.annotations) &&
      c.metadata.annotations[DEFAULT_SNAPSHOT_CLASS_ANNOTATION] === "true" &&
      typeof c.metadata.name === "string" &&
      !hasPlaceholder(c.metadata.name),
  );
}

/** The provisioner (CSI driver) of a StorageClass, or `undefined` when it (or the StorageClass kind) is not known. */
export function storageClassProvisioner(ctx: RuleContext<unknown>, storageClass: string | undefined): string | undefined {
  if (storageClass === undefined) return undefined;
  const sc = ctx.lookups.get("StorageClass", undefined, storageClass);
  return sc ? getString(sc, "provisioner") : undefined;
}

export const DEFAULT_STORAGE_CLASS_ANNOTATIONS = [
  "storageclass.kubernetes.io/is-default-class",
  "storageclass.beta.kubernetes.io/is-default-class",
];

/**
 * The CSI driver of a volume: the provisioner of its StorageClass or, when none is named, of the cluster's one
 * default StorageClass (what the PVC then gets). `undefined` when that is not known.
 */
export function storageProvisioner(ctx: RuleContext<unknown>, storageClass: string | undefined): string | undefined {
  if (storageClass !== undefined) return hasPlaceholder(storageClass) ? undefined : storageClassProvisioner(ctx, storageClass);
  const defaults = (ctx.lookups.list("StorageClass") ?? []).filter((sc) =>
    DEFAULT_STORAGE_CLASS_ANNOTATIONS.some((a) => isObject(sc.metadata.annotations) && sc.metadata.annotations[a] === "true"),
  );
  return defaults.length === 1 ? getString(defaults[0], "provisioner") : undefined;
}

/** One volume of an instance that CNPG snapshots, and where its snapshot class comes from. */
export interface SnapshotVolume {
  /** For messages: `PGDATA (spec.storage)`, `the WAL volume (spec.walStorage)`, `tablespace "t1" (...)`. */
  what: string;
  storage: JsonObject | undefined;
  storagePath: string;
  /** The field that gives this volume a class of its own. */
  classPath: string;
  ownClass: string | undefined;
  /** PGDATA has no fallback; WAL and tablespace volumes fall back to className. */
  isData: boolean;
}

/**
 * The volumes CNPG snapshots for a Cluster with `spec.backup.volumeSnapshot` `vs`: PGDATA, the WAL volume when
 * `spec.walStorage` is set, one per named tablespace (persistentvolumeclaim/calculator.go GetVolumeSnapshotClass).
 */
export function snapshotVolumes(cluster: Resource, vs: JsonObject): SnapshotVolume[] {
  const VS = "spec.backup.volumeSnapshot";
  const str = (v: unknown) => (isNonEmptyString(v) ? v : undefined);
  const out: SnapshotVolume[] = [
    {
      what: "PGDATA (spec.storage)",
      storage: getObject(cluster, "spec.storage"),
      storagePath: "spec.storage",
      classPath: `${VS}.className`,
      ownClass: str(vs.className),
      isData: true,
    },
  ];
  const wal = getObject(cluster, "spec.walStorage");
  if (wal) {
    out.push({
      what: "the WAL volume (spec.walStorage)",
      storage: wal,
      storagePath: "spec.walStorage",
      classPath: `${VS}.walClassName`,
      ownClass: str(vs.walClassName),
      isData: false,
    });
  }
  const perTablespace = isObject(vs.tablespaceClassName) ? vs.tablespaceClassName : {};
  for (const [i, ts] of (getArray(cluster, "spec.tablespaces") ?? []).entries()) {
    if (!isObject(ts) || !isNonEmptyString(ts.name)) continue;
    out.push({
      what: `tablespace "${ts.name}" (spec.tablespaces[${i}].storage)`,
      storage: getObject(ts, "storage"),
      storagePath: `spec.tablespaces[${i}].storage`,
      classPath: `${VS}.tablespaceClassName.${ts.name}`,
      ownClass: str(perTablespace[ts.name]),
      isData: false,
    });
  }
  return out;
}

export type VolumeDriver = { driver: string; via: string } | { driver: undefined; why: string };

/**
 * The CSI driver of a volume's PVs: the provisioner of the StorageClass CNPG puts on the PVC (storageClass, else
 * pvcTemplate.storageClassName, persistentvolumeclaim/build.go), or of the cluster's default StorageClass when the
 * PVC names none. `why` says what is not known.
 */
export function volumeDriver(ctx: RuleContext<unknown>, v: { storage: JsonObject | undefined; storagePath: string }): VolumeDriver {
  let name: string | undefined;
  let field: string | undefined;
  if (isNonEmptyString(v.storage?.storageClass)) {
    name = v.storage.storageClass;
    field = `${v.storagePath}.storageClass`;
  } else {
    const tpl = getPath(v.storage, "pvcTemplate.storageClassName");
    if (tpl === "") {
      return { driver: undefined, why: `${v.storagePath}.pvcTemplate.storageClassName is "" (no StorageClass: the PVC binds a pre-provisioned PersistentVolume)` };
    }
    if (isNonEmptyString(tpl)) {
      name = tpl;
      field = `${v.storagePath}.pvcTemplate.storageClassName`;
    }
  }
  if (name !== undefined) {
    const found = findObject(ctx.lookups, "StorageClass", undefined, name);
    if (found.state === "unknown") return { driver: undefined, why: `the StorageClass "${name}" of ${field} cannot be read: ${found.reason}` };
    if (found.state === "missing") return { driver: undefined, why: `${field} names the StorageClass "${name}", which does not exist` };
    const provisioner = getString(found.object, "provisioner");
    return isNonEmptyString(provisioner)
      ? { driver: provisioner, via: `StorageClass "${name}"` }
      : { driver: undefined, why: `the StorageClass "${name}" has no provisioner` };
  }
  const all = ctx.lookups.list("StorageClass");
  if (all === undefined) {
    return { driver: undefined, why: `${v.storagePath} names no StorageClass, so the cluster's default one applies, and ${notChecked(ctx.lookups, "StorageClass", "").message}` };
  }
  // Built once per state of the StorageClass cache, not once per volume (a Cluster may have thousands of tablespaces).
  const defaults = indexOf(ctx.lookups, ["StorageClass"], "cnpg-default-storage-classes", () =>
    all.filter((sc) => {
      const a = sc.metadata.annotations;
      return isObject(a) && DEFAULT_STORAGE_CLASS_ANNOTATIONS.some((k) => a[k] === "true");
    }),
  );
  if (defaults.length === 0) return { driver: undefined, why: `${v.storagePath} names no StorageClass and no StorageClass is annotated ${DEFAULT_STORAGE_CLASS_ANNOTATIONS[0]}: "true"` };
  if (defaults.length > 1) {
    const names = defaults.map((sc) => sc.metadata.name).join(", ");
    return { driver: undefined, why: `${v.storagePath} names no StorageClass and several StorageClasses are the default (${names}; Kubernetes gives the PVC the newest)` };
  }
  const sc = defaults[0]!;
  const provisioner = getString(sc, "provisioner");
  return isNonEmptyString(provisioner)
    ? { driver: provisioner, via: `the default StorageClass "${String(sc.metadata.name)}"` }
    : { driver: undefined, why: `the default StorageClass "${String(sc.metadata.name)}" has no provisioner` };
}

/** `spec.postgresql.parameters.archive_timeout` as written (string or number), or `undefined`. */
export function archiveTimeoutValue(cluster: Resource): unknown {
  return getPath(cluster, "spec.postgresql.parameters.archive_timeout");
}
