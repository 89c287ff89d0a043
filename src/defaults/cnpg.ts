// Defaults the mutating side injects into CNPG objects. Each works on the engine's private copy, touches only
// fields that are unset, never replaces a value of the wrong type, and appends to arrays instead of replacing them.
import type { Defaulter, Resource, RuleContext } from "../engine/types.ts";
import { ensureObject, getObject, getPath, getString, isObject, type JsonObject } from "../util/object.ts";
import {
  BACKUP,
  BARMAN_CLOUD_PLUGIN,
  CLUSTER,
  CNPG_DEFAULT_ARCHIVE_TIMEOUT_SECONDS,
  SCHEDULED_BACKUP,
  type BackupMethod,
  archiveTimeoutValue,
  clusterBackupMethods,
  clusterPlugins,
  defaultSnapshotClasses,
  enabledPluginNames,
  hasWalArchiveConfigured,
  inTreeObjectStore,
  isBarmanCloud,
  lookupCluster,
  storageClassProvisioner,
  volumeSnapshotConfig,
  walArchivingSkipped,
} from "../rules/cnpg/model.ts";

/** `spec` when it is an object (a defaulter never creates or replaces it). */
function specOf(r: Resource): JsonObject | undefined {
  return isObject(r.spec) ? r.spec : undefined;
}

function unset(v: unknown): boolean {
  return v === undefined || v === null || v === "";
}

const backupTarget: Defaulter<{ target: string }> = {
  meta: {
    id: "cnpg-backup-target",
    appliesTo: [CLUSTER],
    enabledByDefault: true,
    params: { target: { type: "string", enum: ["prefer-standby", "primary"], default: "prefer-standby" } },
    description: "Sets spec.backup.target (default prefer-standby) when spec.backup exists without one.",
  },
  apply(resource, ctx) {
    const backup = getObject(resource, "spec.backup");
    if (!backup || !unset(backup.target)) return [];
    const target = typeof ctx.params.target === "string" ? ctx.params.target : "prefer-standby";
    backup.target = target;
    return [`set spec.backup.target: ${target}`];
  },
};

const snapshotClass: Defaulter = {
  meta: {
    id: "cnpg-snapshot-class",
    appliesTo: [CLUSTER],
    enabledByDefault: true,
    params: {},
    description:
      "Sets spec.backup.volumeSnapshot.className to the default VolumeSnapshotClass when it is unset and exactly one " +
      "default is known (or exactly one of the storage's CSI driver).",
  },
  apply(resource, ctx) {
    const vs = volumeSnapshotConfig(resource);
    if (!vs || !unset(vs.className)) return [];
    let candidates = defaultSnapshotClasses(ctx) ?? [];
    if (candidates.length > 1) {
      const driver = storageClassProvisioner(ctx, getString(resource, "spec.storage.storageClass"));
      if (driver) candidates = candidates.filter((c) => getString(c, "driver") === driver);
    }
    const name = candidates.length === 1 ? candidates[0]!.metadata.name : undefined;
    if (typeof name !== "string") return [];
    vs.className = name;
    return [`set spec.backup.volumeSnapshot.className: ${name} (the default VolumeSnapshotClass)`];
  },
};

const walArchiver: Defaulter<{ objectStore?: string }> = {
  meta: {
    id: "cnpg-wal-archiver",
    appliesTo: [CLUSTER],
    enabledByDefault: true,
    params: {
      objectStore: {
        type: "string",
        minLength: 1,
        description:
          "ObjectStore to archive WAL to when a Cluster has no WAL archive; {cluster} is replaced by the Cluster's " +
          "name (the plugin recommends one ObjectStore per Cluster). Unset: nothing is injected.",
      },
    },
    description:
      "Appends a barman-cloud WAL-archiver plugin entry (isWALArchiver: true, barmanObjectName from the policy) to a " +
      "Cluster that archives no WAL. Never next to an in-tree barmanObjectStore or an existing barman-cloud entry.",
  },
  apply(resource, ctx) {
    const template = ctx.params.objectStore;
    const spec = specOf(resource);
    if (typeof template !== "string" || template.trim() === "" || !spec) return [];
    if (hasWalArchiveConfigured(resource) || walArchivingSkipped(resource)) return [];
    // An existing barman-cloud entry is the user's; the rules say what to change in it.
    if (clusterPlugins(resource).some(isBarmanCloud)) return [];
    if (spec.plugins !== undefined && !Array.isArray(spec.plugins)) return [];
    const clusterName = resource.metadata.name;
    if (template.includes("{cluster}") && typeof clusterName !== "string") return [];
    const store = template.replaceAll("{cluster}", String(clusterName));
    // Naming a store that is known not to exist would stall the Cluster; let cnpg-wal-archive-required deny instead.
    if (ctx.lookups.get("ObjectStore", resource.metadata.namespace, store) === null) return [];
    const entry = { name: BARMAN_CLOUD_PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: store } };
    if (Array.isArray(spec.plugins)) spec.plugins.push(entry);
    else spec.plugins = [entry];
    return [`added spec.plugins entry ${BARMAN_CLOUD_PLUGIN} (isWALArchiver: true, barmanObjectName: ${store})`];
  },
};

/** The method (and plugin name) to write, or `undefined` when the Cluster does not make it unambiguous. */
function inferMethod(
  backupSpec: JsonObject,
  cluster: Resource,
  backupPlugins: readonly string[],
): { method: BackupMethod; plugin?: string } | undefined {
  const enabled = enabledPluginNames(cluster);
  const pluginNames = enabled.filter((n) => backupPlugins.includes(n));
  const methods = clusterBackupMethods(cluster, backupPlugins);
  // What the Backup itself says: a plugin name, or snapshot-only flags.
  const written = getString(backupSpec, "pluginConfiguration.name");
  if (written !== undefined && enabled.includes(written)) return { method: "plugin" };
  if ((backupSpec.online !== undefined || backupSpec.onlineConfiguration !== undefined) && methods.includes("volumeSnapshot")) {
    return { method: "volumeSnapshot" };
  }
  if (methods.length !== 1) return undefined;
  const method = methods[0]!;
  if (method !== "plugin") return { method };
  return pluginNames.length === 1 ? { method, plugin: pluginNames[0]! } : undefined;
}

/**
 * The API server applies CRD defaults before admission, so at the webhook an omitted method already reads
 * `barmanObjectStore`. With `replaceUnusableDefault`, that value is treated as unset on CREATE when the Cluster
 * has no in-tree store (where it could only fail, #8445).
 */
function methodIsOpen(spec: JsonObject, cluster: Resource, ctx: RuleContext<any>): boolean {
  if (spec.method === undefined) return true;
  return (
    ctx.params.replaceUnusableDefault === true &&
    ctx.operation === "CREATE" &&
    spec.method === "barmanObjectStore" &&
    inTreeObjectStore(cluster) === undefined
  );
}

const backupMethod: Defaulter<{ backupPlugins: string[]; replaceUnusableDefault: boolean }> = {
  meta: {
    id: "cnpg-backup-method",
    appliesTo: [BACKUP, SCHEDULED_BACKUP],
    enabledByDefault: true,
    params: {
      backupPlugins: { type: "array", items: { type: "string", minLength: 1 }, default: [BARMAN_CLOUD_PLUGIN] },
      replaceUnusableDefault: {
        type: "boolean",
        default: false,
        description:
          "For the webhook: the API server fills an omitted method with the CRD default barmanObjectStore before " +
          "admission. When true, on CREATE a barmanObjectStore method on a Cluster without spec.backup.barmanObjectStore " +
          "is replaced like an unset one.",
      },
    },
    description:
      "Sets method (and pluginConfiguration.name for plugin) on a Backup/ScheduledBackup without one, from the " +
      "referenced Cluster (lookup) when it supports exactly one method; never guesses between several.",
  },
  apply(resource, ctx) {
    const spec = specOf(resource);
    if (!spec || (spec.method !== undefined && ctx.params.replaceUnusableDefault !== true)) return [];
    if (spec.pluginConfiguration !== undefined && !isObject(spec.pluginConfiguration)) return [];
    const ref = lookupCluster(resource, ctx);
    if (ref.state !== "found" || !methodIsOpen(spec, ref.cluster, ctx)) return [];
    const replaced = spec.method !== undefined ? ` (replacing ${String(spec.method)}, which the Cluster cannot run)` : "";
    const plugins = Array.isArray(ctx.params.backupPlugins) ? ctx.params.backupPlugins : [BARMAN_CLOUD_PLUGIN];
    const inferred = inferMethod(spec, ref.cluster, plugins);
    if (!inferred || inferred.method === spec.method) return [];
    spec.method = inferred.method;
    const notes = [`set spec.method: ${inferred.method} (from Cluster ${ref.name})${replaced}`];
    if (inferred.plugin !== undefined && unset(getPath(spec, "pluginConfiguration.name"))) {
      ensureObject(spec, ["pluginConfiguration"]).name = inferred.plugin;
      notes.push(`set spec.pluginConfiguration.name: ${inferred.plugin}`);
    }
    return notes;
  },
};

const backupOwnerReference: Defaulter<{ value: string }> = {
  meta: {
    id: "cnpg-backup-owner-reference",
    appliesTo: [SCHEDULED_BACKUP],
    enabledByDefault: true,
    params: { value: { type: "string", enum: ["self", "cluster", "none"], default: "self" } },
    description: "Sets ScheduledBackup spec.backupOwnerReference (default self) when unset, so its Backups are garbage-collected.",
  },
  apply(resource, ctx) {
    const spec = specOf(resource);
    if (!spec || !unset(spec.backupOwnerReference)) return [];
    const value = typeof ctx.params.value === "string" ? ctx.params.value : "self";
    spec.backupOwnerReference = value;
    return [`set spec.backupOwnerReference: ${value}`];
  },
};

const archiveTimeout: Defaulter = {
  meta: {
    id: "cnpg-archive-timeout",
    appliesTo: [CLUSTER],
    enabledByDefault: true,
    params: {},
    description:
      "Sets spec.postgresql.parameters.archive_timeout to the policy RPO when it is unset and the RPO is shorter than " +
      "CNPG's 5min default.",
  },
  apply(resource, ctx) {
    const spec = specOf(resource);
    const rpo = Math.floor(ctx.policy.rpoSeconds);
    if (!spec || !(rpo >= 1 && rpo < CNPG_DEFAULT_ARCHIVE_TIMEOUT_SECONDS)) return [];
    // null is unset, as for the other defaulters and cnpg-archive-timeout-rpo (which reads it as CNPG's 5min).
    if (archiveTimeoutValue(resource) != null) return [];
    if (spec.postgresql !== undefined && !isObject(spec.postgresql)) return [];
    if (isObject(spec.postgresql) && spec.postgresql.parameters !== undefined && !isObject(spec.postgresql.parameters)) return [];
    const value = `${rpo}s`;
    ensureObject(spec, ["postgresql", "parameters"]).archive_timeout = value;
    return [`set spec.postgresql.parameters.archive_timeout: "${value}" (policy RPO; CNPG's default is 5min)`];
  },
};

export const cnpgDefaulters: Defaulter<any>[] = [
  backupTarget,
  snapshotClass,
  walArchiver,
  backupMethod,
  backupOwnerReference,
  archiveTimeout,
];
