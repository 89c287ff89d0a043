// Defaults the mutating side injects into CNPG objects. Each works on the engine's private copy, touches only
// fields that are unset (or hold a default the API server or CNPG wrote, where that is documented), never replaces a
// value of the wrong type, and appends to arrays instead of replacing them. A default may only make an object safer
// and must not change anything already running: the ones that would (a WAL archiver, snapshot classes, owner
// references) run on CREATE only, and none names an object that is not known to exist.
import type { Defaulter, Injection, Resource, RuleContext } from "../../engine/types.ts";
import { findObject, namespaceOf } from "../../rules/util.ts";
import { hasPlaceholder } from "../../util/placeholder.ts";
import { ensureObject, getArray, getObject, getPath, getString, isObject, type JsonObject } from "../../util/object.ts";
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
  storageProvisioner,
  volumeSnapshotConfig,
  walArchivingSkipped,
} from "./model.ts";
import type { CatalogDefaulter } from "../../rules/define.ts";

/** `spec` when it is an object (a defaulter never creates or replaces it). */
function specOf(r: Resource): JsonObject | undefined {
  return isObject(r.spec) ? r.spec : undefined;
}

function unset(v: unknown): boolean {
  return v === undefined || v === null || v === "";
}

/** What CNPG's mutating webhook writes into spec.postgresql.parameters when archive_timeout is unset. */
const CNPG_WEBHOOK_ARCHIVE_TIMEOUT = "5min";

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
    return [{ path: "spec.backup.target", value: target }];
  },
};

/** The volumes that take a snapshot class from `className` when they have none of their own: WAL, tablespaces. */
function fallbackVolumes(resource: Resource, vs: JsonObject): { what: string; storageClass: string | undefined }[] {
  const out: { what: string; storageClass: string | undefined }[] = [];
  const wal = getObject(resource, "spec.walStorage");
  if (wal && unset(vs.walClassName)) out.push({ what: "spec.walStorage", storageClass: getString(wal, "storageClass") });
  const perTablespace = isObject(vs.tablespaceClassName) ? vs.tablespaceClassName : {};
  for (const [i, ts] of (getArray(resource, "spec.tablespaces") ?? []).entries()) {
    if (!isObject(ts)) continue;
    const name = typeof ts.name === "string" ? ts.name : undefined;
    if (name !== undefined && !unset(perTablespace[name])) continue;
    out.push({ what: `spec.tablespaces[${i}]`, storageClass: getString(ts, "storage.storageClass") });
  }
  return out;
}

const snapshotClass: Defaulter = {
  meta: {
    id: "cnpg-snapshot-class",
    appliesTo: [CLUSTER],
    operations: ["CREATE"],
    enabledByDefault: true,
    params: {},
    description:
      "On CREATE, sets spec.backup.volumeSnapshot.className when it is unset to the one default VolumeSnapshotClass whose " +
      "driver is the provisioner of the data volume's StorageClass (what the snapshot controller would pick), and only " +
      "when WAL and tablespace volumes without a class of their own use that same driver (they fall back to className).",
  },
  apply(resource, ctx) {
    const vs = volumeSnapshotConfig(resource);
    if (!vs || !unset(vs.className)) return [];
    const driver = storageProvisioner(ctx, getString(resource, "spec.storage.storageClass"));
    if (driver === undefined) return [];
    const candidates = (defaultSnapshotClasses(ctx) ?? []).filter((c) => getString(c, "driver") === driver);
    // Several defaults for one driver make the snapshot controller fail too: guessing one would hide that.
    const name = candidates.length === 1 ? candidates[0]!.metadata.name : undefined;
    if (typeof name !== "string") return [];
    // Setting className moves every volume without its own class onto it: only when that changes nothing for them.
    if (fallbackVolumes(resource, vs).some((v) => storageProvisioner(ctx, v.storageClass ?? getString(resource, "spec.storage.storageClass")) !== driver)) {
      return [];
    }
    vs.className = name;
    return [{ path: "spec.backup.volumeSnapshot.className", value: name, why: `the default VolumeSnapshotClass of driver ${driver}` }];
  },
};

const walArchiver: Defaulter<{ objectStore?: string }> = {
  meta: {
    id: "cnpg-wal-archiver",
    appliesTo: [CLUSTER],
    operations: ["CREATE"],
    enabledByDefault: true,
    params: {
      objectStore: {
        type: "string",
        minLength: 1,
        description:
          "ObjectStore to archive WAL to when a Cluster has no WAL archive; {cluster} is replaced by the Cluster's " +
          "name (the plugin recommends one ObjectStore per Cluster). Unset: nothing is injected. The ObjectStore must be " +
          "known to exist (an input, a --lookup object or the live cluster); otherwise nothing is injected.",
      },
    },
    description:
      "On CREATE, appends a barman-cloud WAL-archiver plugin entry (isWALArchiver: true, barmanObjectName from the policy) " +
      "to a Cluster that archives no WAL, when that ObjectStore is known to exist. Never next to an in-tree " +
      "barmanObjectStore or an existing plugin entry, never on UPDATE (a rolling restart, and CNPG's empty-archive " +
      "check is skipped for archivers added later, cloudnative-pg#11126).",
  },
  apply(resource, ctx) {
    const template = ctx.params.objectStore;
    const spec = specOf(resource);
    if (typeof template !== "string" || template.trim() === "" || !spec) return [];
    if (hasWalArchiveConfigured(resource) || walArchivingSkipped(resource)) return [];
    // An existing plugin entry is the user's (another archiver, an unflagged one): the rules say what to change in it.
    if (clusterPlugins(resource).some((p) => isBarmanCloud(p) || p.enabled)) return [];
    if (spec.plugins !== undefined && !Array.isArray(spec.plugins)) return [];
    const clusterName = resource.metadata.name;
    if (template.includes("{cluster}") && (typeof clusterName !== "string" || hasPlaceholder(clusterName))) return [];
    const store = template.replaceAll("{cluster}", String(clusterName));
    // Only a store known to exist: naming another one would stall the Cluster ("barman object configuration not
    // found") while validation reported ok. Without it cnpg-wal-archive-required says what is missing.
    if (findObject(ctx.lookups, "ObjectStore", namespaceOf(resource), store).state !== "found") return [];
    const entry = { name: BARMAN_CLOUD_PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: store } };
    const index = Array.isArray(spec.plugins) ? spec.plugins.length : 0;
    if (Array.isArray(spec.plugins)) spec.plugins.push(entry);
    else spec.plugins = [entry];
    return [{ path: `spec.plugins[${index}]`, value: entry, why: `WAL archive to ObjectStore ${store}` }];
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
function methodIsOpen(spec: JsonObject, cluster: Resource, ctx: RuleContext<{ replaceUnusableDefault: boolean }>): boolean {
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
        default: true,
        description:
          "The API server fills an omitted method with the CRD default barmanObjectStore before any webhook, so an " +
          "omitted method cannot be told from a written one. When true, on CREATE a barmanObjectStore method on a " +
          "Cluster without spec.backup.barmanObjectStore (where it can only fail) is replaced like an unset one.",
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
    // A Cluster named by a placeholder is not found: nothing is guessed, cnpg-backup-method-explicit answers not checked.
    if (ref.state !== "found" || !methodIsOpen(spec, ref.cluster, ctx)) return [];
    const replaced = spec.method !== undefined ? `; replacing ${String(spec.method)}, which the Cluster cannot run` : "";
    const plugins = Array.isArray(ctx.params.backupPlugins) ? ctx.params.backupPlugins : [BARMAN_CLOUD_PLUGIN];
    const inferred = inferMethod(spec, ref.cluster, plugins);
    if (!inferred || inferred.method === spec.method) return [];
    spec.method = inferred.method;
    const out: Injection[] = [{ path: "spec.method", value: inferred.method, why: `from Cluster ${ref.name}${replaced}` }];
    if (inferred.plugin !== undefined && unset(getPath(spec, "pluginConfiguration.name"))) {
      ensureObject(spec, ["pluginConfiguration"]).name = inferred.plugin;
      out.push({ path: "spec.pluginConfiguration.name", value: inferred.plugin, why: `the backup plugin of Cluster ${ref.name}` });
    }
    return out;
  },
};

/** Whether deleting this schedule's Backups would delete volume snapshots (the Cluster's snapshotOwnerReference: backup). */
function backupsOwnSnapshots(resource: Resource, ctx: RuleContext<unknown>): boolean | undefined {
  // An omitted method is the CRD default barmanObjectStore: no snapshots.
  if ((getString(resource, "spec.method") ?? "barmanObjectStore") !== "volumeSnapshot") return false;
  const ref = lookupCluster(resource, ctx);
  if (ref.state !== "found") return undefined;
  return getString(ref.cluster, "spec.backup.volumeSnapshot.snapshotOwnerReference") === "backup";
}

const backupOwnerReference: Defaulter<{ value: string; replaceNone: boolean }> = {
  meta: {
    id: "cnpg-backup-owner-reference",
    appliesTo: [SCHEDULED_BACKUP],
    operations: ["CREATE"],
    enabledByDefault: true,
    params: {
      value: { type: "string", enum: ["self", "cluster"], default: "self" },
      replaceNone: {
        type: "boolean",
        default: true,
        description:
          "The CRD defaults backupOwnerReference to none, and the API server writes that before any webhook, so an omitted " +
          "value cannot be told from a written none. When true, none is replaced like an unset value on CREATE.",
      },
    },
    description:
      "On CREATE, sets ScheduledBackup spec.backupOwnerReference (default self) when it is unset or none, so its Backups " +
      "are garbage-collected; never when those Backups own volume snapshots (the Cluster's snapshotOwnerReference: " +
      "backup, where deleting or recreating the ScheduledBackup would delete the snapshots) or that cannot be checked.",
  },
  apply(resource, ctx) {
    const spec = specOf(resource);
    if (!spec) return [];
    const current = spec.backupOwnerReference;
    if (!unset(current) && !(current === "none" && ctx.params.replaceNone !== false)) return [];
    if (backupsOwnSnapshots(resource, ctx) !== false) return [];
    const value = ctx.params.value === "cluster" ? "cluster" : "self";
    spec.backupOwnerReference = value;
    const injected: Injection = { path: "spec.backupOwnerReference", value };
    if (!unset(current)) injected.why = "replacing none, the CRD default";
    return [injected];
  },
};

const archiveTimeout: Defaulter = {
  meta: {
    id: "cnpg-archive-timeout",
    appliesTo: [CLUSTER],
    enabledByDefault: true,
    params: {},
    description:
      "Sets spec.postgresql.parameters.archive_timeout to the policy RPO when the RPO is shorter than CNPG's 5min " +
      "default and the parameter is unset, or, on CREATE, holds exactly \"5min\": CNPG's own mutating webhook writes " +
      "that value into every Cluster without one, and it runs before this webhook, so at admission an unset " +
      "archive_timeout arrives as 5min. A shorter archive_timeout only makes WAL reach the archive sooner.",
  },
  apply(resource, ctx) {
    const spec = specOf(resource);
    const rpo = Math.floor(ctx.policy.rpoSeconds);
    if (!spec || !(rpo >= 1 && rpo < CNPG_DEFAULT_ARCHIVE_TIMEOUT_SECONDS)) return [];
    // null is unset, as for the other defaulters and cnpg-archive-timeout-rpo (which reads it as CNPG's 5min).
    const current = archiveTimeoutValue(resource);
    const cnpgDefault = current === CNPG_WEBHOOK_ARCHIVE_TIMEOUT && ctx.operation === "CREATE";
    if (current != null && !cnpgDefault) return [];
    if (spec.postgresql !== undefined && !isObject(spec.postgresql)) return [];
    if (isObject(spec.postgresql) && spec.postgresql.parameters !== undefined && !isObject(spec.postgresql.parameters)) return [];
    const value = `${rpo}s`;
    ensureObject(spec, ["postgresql", "parameters"]).archive_timeout = value;
    const why = cnpgDefault ? "the policy RPO; replacing 5min, the value CNPG's webhook writes when it is unset" : "the policy RPO; CNPG's default is 5min";
    return [{ path: "spec.postgresql.parameters.archive_timeout", value, why }];
  },
};

export const cnpgDefaulters: CatalogDefaulter[] = [
  backupTarget,
  snapshotClass,
  walArchiver,
  backupMethod,
  backupOwnerReference,
  archiveTimeout,
];
