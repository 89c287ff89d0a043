// Small builders for CNPG test resources.
import type { Resource } from "../../../../src/engine/types.ts";

export const PLUGIN = "barman-cloud.cloudnative-pg.io";

export function cluster(spec: unknown, metadata: Record<string, unknown> = {}): Resource {
  return { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "pg", namespace: "db", ...metadata }, spec };
}

export function backup(spec: unknown, metadata: Record<string, unknown> = {}): Resource {
  return { apiVersion: "postgresql.cnpg.io/v1", kind: "Backup", metadata: { name: "pg-backup", namespace: "db", ...metadata }, spec };
}

export function scheduled(spec: unknown, metadata: Record<string, unknown> = {}): Resource {
  return { apiVersion: "postgresql.cnpg.io/v1", kind: "ScheduledBackup", metadata: { name: "pg-daily", namespace: "db", ...metadata }, spec };
}

export function objectStore(name: string, spec: unknown = { configuration: { destinationPath: "s3://b/" }, retentionPolicy: "30d" }, namespace = "db"): Resource {
  return { apiVersion: "barmancloud.cnpg.io/v1", kind: "ObjectStore", metadata: { name, namespace }, spec };
}

export function snapshotClass(name: string, isDefault = false, driver = "hostpath.csi.k8s.io"): Resource {
  const metadata: Record<string, unknown> = { name };
  if (isDefault) metadata.annotations = { "snapshot.storage.kubernetes.io/is-default-class": "true" };
  return { apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata, driver, deletionPolicy: "Delete" } as Resource;
}

export function storageClass(name: string, provisioner = "hostpath.csi.k8s.io"): Resource {
  return { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name }, provisioner } as Resource;
}

export const archiver = { name: PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: "pg-store" } };

/** A Cluster whose barman-cloud plugin archives to ObjectStore pg-store. */
export const pluginCluster = cluster({ plugins: [archiver] });

/** A Backup/ScheduledBackup spec for Cluster pg through the barman-cloud plugin. */
export const pluginBackup = { cluster: { name: "pg" }, method: "plugin", pluginConfiguration: { name: PLUGIN } };

/** An in-tree (deprecated) barmanObjectStore section. */
export const bos = { destinationPath: "s3://b/", s3Credentials: { inheritFromIAMRole: true } };

/** A plugin-archiving Cluster with this spec.backup.volumeSnapshot (and more spec fields). */
export const vs = (volumeSnapshot: unknown, extra: Record<string, unknown> = {}): Resource => cluster({ plugins: [archiver], backup: { volumeSnapshot }, ...extra });

export const EBS = "ebs.csi.aws.com";
export const HOST = "hostpath.csi.k8s.io";
