// Correct manifests as people keep them in a GitOps repository (Flux `${VAR}` placeholders, no namespace or one set by
// kustomize), each set with the objects its rules look up. Every rule passes on every object of a set
// (placeholders.test.ts checks that before sweeping them).
import { parseAllDocuments } from "yaml";
import type { Resource } from "../../src/engine/types.ts";

function objects(yaml: string): Resource[] {
  return parseAllDocuments(yaml).map((d) => d.toJS() as Resource);
}

/** CNPG with the barman-cloud plugin: Cluster, its ObjectStore and credentials, a ScheduledBackup and an on-demand Backup. */
export const CNPG_PLUGIN = objects(`apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: orders-pg
  namespace: shop
  labels:
    app.kubernetes.io/part-of: \${APP}
spec:
  instances: 3
  imageName: ghcr.io/cloudnative-pg/postgresql:17.5
  storage:
    size: 20Gi
    storageClass: \${STORAGE_CLASS}
  postgresql:
    parameters:
      archive_timeout: 5min
      max_connections: "200"
  plugins:
    - name: barman-cloud.cloudnative-pg.io
      isWALArchiver: true
      parameters:
        barmanObjectName: orders-store
        serverName: orders-pg
---
apiVersion: barmancloud.cnpg.io/v1
kind: ObjectStore
metadata:
  name: orders-store
  namespace: shop
spec:
  retentionPolicy: 30d
  configuration:
    destinationPath: s3://\${BACKUP_BUCKET}/orders/
    endpointURL: https://s3.eu-central-1.amazonaws.com
    s3Credentials:
      accessKeyId:
        name: orders-s3
        key: ACCESS_KEY_ID
      secretAccessKey:
        name: orders-s3
        key: ACCESS_SECRET_KEY
    wal:
      compression: gzip
---
apiVersion: v1
kind: Secret
metadata:
  name: orders-s3
  namespace: shop
---
apiVersion: postgresql.cnpg.io/v1
kind: ScheduledBackup
metadata:
  name: orders-pg-daily
  namespace: shop
spec:
  schedule: "0 30 2 * * *"
  backupOwnerReference: self
  method: plugin
  pluginConfiguration:
    name: barman-cloud.cloudnative-pg.io
  cluster:
    name: orders-pg
---
apiVersion: postgresql.cnpg.io/v1
kind: Backup
metadata:
  name: orders-pg-before-upgrade
  namespace: shop
spec:
  method: plugin
  pluginConfiguration:
    name: barman-cloud.cloudnative-pg.io
  cluster:
    name: orders-pg
`);

/**
 * CNPG with volume snapshots for base backups and the barman-cloud plugin for WAL, a weekly ScheduledBackup whose name
 * is 46 characters (CNPG allows 48 for volumeSnapshot backups).
 */
export const CNPG_SNAPSHOTS = objects(`apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: wiki-pg
spec:
  instances: 2
  storage:
    size: 10Gi
    storageClass: csi-hostpath-sc
  walStorage:
    size: 5Gi
    storageClass: csi-hostpath-sc
  backup:
    volumeSnapshot:
      className: csi-hostpath-snapclass
      online: true
  plugins:
    - name: barman-cloud.cloudnative-pg.io
      isWALArchiver: true
      parameters:
        barmanObjectName: wiki-store
---
apiVersion: barmancloud.cnpg.io/v1
kind: ObjectStore
metadata:
  name: wiki-store
spec:
  retentionPolicy: 14d
  configuration:
    destinationPath: s3://wiki-backups/\${CLUSTER_ENV}/
    endpointURL: https://minio.minio.svc:9000
    s3Credentials:
      accessKeyId:
        name: wiki-s3
        key: ACCESS_KEY_ID
      secretAccessKey:
        name: wiki-s3
        key: ACCESS_SECRET_KEY
---
apiVersion: v1
kind: Secret
metadata:
  name: wiki-s3
---
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshotClass
metadata:
  name: csi-hostpath-snapclass
driver: hostpath.csi.k8s.io
deletionPolicy: Delete
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: csi-hostpath-sc
provisioner: hostpath.csi.k8s.io
---
apiVersion: postgresql.cnpg.io/v1
kind: ScheduledBackup
metadata:
  name: wiki-pg-production-eu-central-1-weekly-snap-01
spec:
  schedule: "0 0 3 * * 0"
  backupOwnerReference: cluster
  method: volumeSnapshot
  immediate: true
  cluster:
    name: wiki-pg
`);

/**
 * PGO with a volume repo and an s3 repo (weekly full, daily differential), retention and credentials; the cluster name
 * is 39 characters (PGO's CronJob names allow 41).
 */
export const PGO = objects(`apiVersion: postgres-operator.crunchydata.com/v1beta1
kind: PostgresCluster
metadata:
  name: hippo-orders-eu-west-1-production-db-01
  namespace: prod
spec:
  postgresVersion: 17
  instances:
    - name: instance1
      replicas: 2
      dataVolumeClaimSpec:
        accessModes: [ReadWriteOnce]
        storageClassName: \${STORAGE_CLASS}
        resources:
          requests:
            storage: 10Gi
  patroni:
    dynamicConfiguration:
      postgresql:
        parameters:
          archive_timeout: 60s
  backups:
    pgbackrest:
      configuration:
        - secret:
            name: hippo-pgbackrest-s3
      global:
        repo1-path: /pgbackrest/prod/hippo/repo1
        repo1-retention-full: "4"
        repo1-retention-full-type: count
        repo2-path: /pgbackrest/\${CLUSTER_ENV}/hippo/repo2
        repo2-retention-full: "14"
        repo2-retention-full-type: time
        repo2-s3-uri-style: path
      repos:
        - name: repo1
          volume:
            volumeClaimSpec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 50Gi
          schedules:
            full: "0 1 * * 0"
            differential: "0 1 * * 1-6"
        - name: repo2
          s3:
            bucket: \${BACKUP_BUCKET}
            endpoint: s3.eu-west-1.amazonaws.com
            region: eu-west-1
          schedules:
            full: "30 2 * * 0"
            differential: "30 2 * * 1-6"
            incremental: "30 */6 * * *"
---
apiVersion: v1
kind: Secret
metadata:
  name: hippo-pgbackrest-s3
  namespace: prod
`);
