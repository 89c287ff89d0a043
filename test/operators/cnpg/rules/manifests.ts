// CNPG manifests as people keep them in a GitOps repository: no namespace (kustomize or Flux sets it), Flux `${VAR}`
// placeholders, the barman-cloud plugin (CNPG >= 1.26) next to volume snapshots, recovery sources as a second plugin
// entry. Field shapes follow the CRDs in ../shared/upstream/cnpg (postgresql.cnpg.io_clusters.yaml,
// _scheduledbackups.yaml, barmancloud.cnpg.io_objectstores.yaml) and the plugin-barman-cloud examples; the pairing
// "volumeSnapshot base backups + plugin WAL archive" is the one the CNPG docs recommend (research/cnpg.md d).
// Every one of them passes every rule (realistic.test.ts checks that through the engine, with LOOKUPS).
import { parse } from "yaml";
import type { Resource } from "../../../../src/engine/types.ts";

/** S3 with access keys from a Secret; the bucket is a Flux variable. */
export const SHOP_STORE = `apiVersion: barmancloud.cnpg.io/v1
kind: ObjectStore
metadata:
  name: orders-db-store
spec:
  retentionPolicy: "30d"
  configuration:
    destinationPath: s3://\${BACKUP_BUCKET}/orders
    s3Credentials:
      accessKeyId:
        name: orders-db-s3
        key: ACCESS_KEY_ID
      secretAccessKey:
        name: orders-db-s3
        key: ACCESS_SECRET_KEY
    wal:
      compression: zstd
      maxParallel: 4
    data:
      compression: bzip2
      jobs: 2
  instanceSidecarConfiguration:
    resources:
      requests: {cpu: 100m, memory: 128Mi}
      limits: {memory: 512Mi}
`;

/** Three instances, base backups and WAL through the barman-cloud plugin. */
export const SHOP_CLUSTER = `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: orders-db
  labels:
    app.kubernetes.io/part-of: shop
spec:
  instances: 3
  imageName: ghcr.io/cloudnative-pg/postgresql:17.5
  primaryUpdateStrategy: unsupervised
  storage:
    size: 20Gi
    storageClass: \${STORAGE_CLASS}
  postgresql:
    parameters:
      archive_timeout: 5min
      max_connections: "200"
  resources:
    requests: {cpu: "1", memory: 2Gi}
    limits: {memory: 2Gi}
  plugins:
    - name: barman-cloud.cloudnative-pg.io
      isWALArchiver: true
      parameters:
        barmanObjectName: orders-db-store
`;

/** Nightly plugin base backup, owned by the ScheduledBackup. */
export const SHOP_NIGHTLY = `apiVersion: postgresql.cnpg.io/v1
kind: ScheduledBackup
metadata:
  name: orders-db-nightly
spec:
  schedule: "0 30 2 * * *"
  backupOwnerReference: self
  cluster:
    name: orders-db
  method: plugin
  pluginConfiguration:
    name: barman-cloud.cloudnative-pg.io
`;

/** A per-app template (Flux postBuild substitutes APP): IAM role credentials, a short retention. */
export const WIKI_STORE = `apiVersion: barmancloud.cnpg.io/v1
kind: ObjectStore
metadata:
  name: \${APP}-store
spec:
  retentionPolicy: "14d"
  configuration:
    destinationPath: s3://wal-archive/\${APP}
    s3Credentials:
      inheritFromIAMRole: true
    wal:
      compression: gzip
`;

/** Volume snapshots (PGDATA and WAL on gp3) for base backups, the plugin for WAL, a placeholder name. */
export const WIKI_CLUSTER = `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: \${APP}-db
  annotations:
    kustomize.toolkit.fluxcd.io/prune: disabled
spec:
  instances: 2
  storage:
    size: 10Gi
    storageClass: gp3
  walStorage:
    size: 2Gi
    storageClass: gp3
  postgresql:
    parameters:
      archive_timeout: 60s
  backup:
    target: prefer-standby
    volumeSnapshot:
      className: ebs-snapclass
      online: true
      onlineConfiguration:
        immediateCheckpoint: true
  plugins:
    - name: barman-cloud.cloudnative-pg.io
      isWALArchiver: true
      parameters:
        barmanObjectName: \${APP}-store
`;

/** Daily hot snapshot of the wiki Cluster, owned by the Cluster. */
export const WIKI_SNAPSHOTS = `apiVersion: postgresql.cnpg.io/v1
kind: ScheduledBackup
metadata:
  name: \${APP}-db-snapshot
spec:
  schedule: "0 0 3 * * *"
  immediate: true
  backupOwnerReference: cluster
  cluster:
    name: \${APP}-db
  method: volumeSnapshot
`;

/** Azure Blob Storage with a storage account key. */
export const LEDGER_STORE = `apiVersion: barmancloud.cnpg.io/v1
kind: ObjectStore
metadata:
  name: ledger-store
spec:
  retentionPolicy: "12w"
  configuration:
    destinationPath: https://ledgerbackups.blob.core.windows.net/ledger
    azureCredentials:
      storageAccount:
        name: ledger-azure
        key: AZURE_STORAGE_ACCOUNT
      storageKey:
        name: ledger-azure
        key: AZURE_STORAGE_KEY
`;

/** Restored from its predecessor's archive (recovery source: a second barman-cloud entry), archiving under a new serverName. */
export const LEDGER_CLUSTER = `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: ledger-db
spec:
  instances: 3
  storage:
    size: 50Gi
  bootstrap:
    recovery:
      source: ledger-db-v1
  externalClusters:
    - name: ledger-db-v1
      plugin:
        name: barman-cloud.cloudnative-pg.io
        parameters:
          barmanObjectName: ledger-store
          serverName: ledger-db
  plugins:
    - name: barman-cloud.cloudnative-pg.io
      isWALArchiver: true
      parameters:
        barmanObjectName: ledger-store
        serverName: ledger-db-v2
`;

/** An on-demand plugin backup before a migration (kubectl cnpg backup writes the same). */
export const LEDGER_BACKUP = `apiVersion: postgresql.cnpg.io/v1
kind: Backup
metadata:
  name: ledger-db-before-v3
spec:
  cluster:
    name: ledger-db
  method: plugin
  pluginConfiguration:
    name: barman-cloud.cloudnative-pg.io
`;

export const MANIFESTS = {
  SHOP_STORE,
  SHOP_CLUSTER,
  SHOP_NIGHTLY,
  WIKI_STORE,
  WIKI_CLUSTER,
  WIKI_SNAPSHOTS,
  LEDGER_STORE,
  LEDGER_CLUSTER,
  LEDGER_BACKUP,
} as const;

const namespaceless = (kind: string, name: string, more: Record<string, unknown>): Resource => ({ apiVersion: "v1", kind, metadata: { name }, ...more }) as Resource;

/** What the cluster holds next to the manifests: the credential Secrets, the EBS StorageClass and its snapshot class. */
export const CLUSTER_OBJECTS: Resource[] = [
  namespaceless("Secret", "orders-db-s3", { data: { ACCESS_KEY_ID: "", ACCESS_SECRET_KEY: "" } }),
  namespaceless("Secret", "ledger-azure", { data: { AZURE_STORAGE_ACCOUNT: "", AZURE_STORAGE_KEY: "" } }),
  { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "gp3" }, provisioner: "ebs.csi.aws.com" } as Resource,
  { apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "ebs-snapclass" }, driver: "ebs.csi.aws.com", deletionPolicy: "Retain" } as Resource,
];

/** Every manifest parsed, plus CLUSTER_OBJECTS: the lookups of a repository checked as a whole. */
export function lookupsAll(): Resource[] {
  return [...Object.values(MANIFESTS).map((y) => parse(y) as Resource), ...CLUSTER_OBJECTS];
}

/** The manifest parsed, with `change` applied to it (`spec` is its spec, `meta` its metadata; loosely typed, as in YAML). */
export function edit(yaml: string, change: (m: { r: Resource; spec: any; meta: any }) => void): Resource {
  const r = parse(yaml) as Resource;
  change({ r, spec: r.spec, meta: r.metadata });
  return r;
}

/** The manifest with `from` replaced by `to`; throws when `from` is not in it (a case must never test the original by mistake). */
export function swap(yaml: string, from: string, to: string): string {
  if (!yaml.includes(from)) throw new Error(`swap: ${JSON.stringify(from)} is not in the manifest`);
  return yaml.replace(from, to);
}
