// CPO postgresql manifests as people keep them in a GitOps repository: no namespace (kustomize or Flux sets it),
// Flux `${VAR}` placeholders, several repos, quoted and unquoted cron strings. Field shapes follow the Go CRD of
// CYBERTEC-pg-operator v0.9.2 (pkg/apis/cpo.opensource.cybertec.at/v1/crds.go) and the operator's docs/tutorials
// (../shared/upstream/cpo/samples). Every one of them passes every rule (realistic.test.ts checks that through the engine).
import { parse } from "yaml";
import type { Resource } from "../../../../src/engine/types.ts";

/** s3 (with a bucket placeholder) + gcs DR repo; weekly full, daily diff, 4-hourly incr; encrypted repo1. */
export const SHOP = `apiVersion: cpo.opensource.cybertec.at/v1
kind: postgresql
metadata:
  name: orders-db
  labels:
    app.kubernetes.io/part-of: shop
spec:
  teamId: shop
  dockerImage: containers.cybertec.at/cybertec-pg-container/postgres:rocky9-18.3-2
  numberOfInstances: 2
  postgresql:
    version: "18"
    parameters:
      archive_timeout: 5min
      max_connections: "200"
  volume:
    size: 20Gi
    storageClass: \${STORAGE_CLASS}
  backup:
    pgbackrest:
      image: containers.cybertec.at/cybertec-pg-container/pgbackrest:rocky9-18.3-2
      configuration:
        secret: orders-db-pgbackrest
      global:
        repo1-path: /\${CLUSTER_ENV}/orders-db/repo1/
        repo1-retention-full: "7"
        repo1-retention-full-type: count
        repo1-s3-uri-style: path
        repo1-cipher-type: aes-256-cbc
        repo2-path: /orders-db/repo2/
        repo2-retention-full: "30"
        repo2-retention-full-type: time
      repos:
        - name: repo1
          storage: s3
          resource: \${BACKUP_BUCKET}
          endpoint: s3.eu-central-1.amazonaws.com
          region: eu-central-1
          schedule:
            full: "30 2 * * 0"
            diff: "30 2 * * 1-6"
            incr: 15 */4 * * *
        - name: repo2
          storage: gcs
          resource: orders-db-dr
          key: gcs.json
          keyType: service
          schedule:
            full: "@daily"
`;

/** The tutorial's pvc repo-host repo plus an off-site MinIO repo (kustomize secretGenerator names the Secret). */
export const KEYCLOAK = `apiVersion: cpo.opensource.cybertec.at/v1
kind: postgresql
metadata:
  name: keycloak-pg
spec:
  teamId: iam
  numberOfInstances: 3
  postgresql:
    version: "17"
    parameters:
      archive_timeout: "300"
  volume:
    size: 10Gi
  resources:
    requests: {cpu: 500m, memory: 1Gi}
    limits: {cpu: "1", memory: 1Gi}
  backup:
    pgbackrest:
      image: containers.cybertec.at/cybertec-pg-container/pgbackrest:rocky9-18.3-2
      configuration:
        secret: keycloak-pg-pgbackrest
      global:
        repo1-retention-full: "7"
        repo1-retention-full-type: count
        repo2-path: /keycloak-pg/repo2/
        repo2-retention-full: "4"
        repo2-retention-full-type: count
        repo2-s3-uri-style: path
        archive-async: "y"
      repos:
        - name: repo1
          storage: pvc
          volume:
            size: 50Gi
            storageClass: fast-ssd
          schedule:
            full: 0 1 * * *
            incr: 0 */2 * * *
        - name: repo2
          storage: s3
          resource: backups
          endpoint: minio.minio.svc:9000
          region: us-east-1
          schedule:
            full: 0 3 * * 6
            diff: 0 3 * * 0-5
`;

/** One azure repo, a macro full, values from Flux placeholders. */
export const WIKI = `apiVersion: cpo.opensource.cybertec.at/v1
kind: postgresql
metadata:
  name: \${APP}-pg
  annotations:
    kustomize.toolkit.fluxcd.io/prune: disabled
spec:
  teamId: \${TEAM}
  numberOfInstances: 1
  postgresql:
    version: "16"
    parameters:
      archive_timeout: 60s
  volume:
    size: 5Gi
  backup:
    pgbackrest:
      image: containers.cybertec.at/cybertec-pg-container/pgbackrest:rocky9-18.3-2
      global:
        repo1-path: /\${APP}/repo1/
        repo1-retention-full: "2"
      repos:
        - name: repo1
          storage: azure
          resource: pg-backups
          endpoint: \${AZURE_ACCOUNT}.blob.core.windows.net
          account: \${AZURE_ACCOUNT}
          key: \${AZURE_KEY}
          schedule:
            full: "@weekly"
            incr: "30 * * * *"
`;

export const MANIFESTS = { SHOP, KEYCLOAK, WIKI } as const;

type Obj = Record<string, unknown>;

/** The manifest parsed, with `change` applied to a copy of it (spec.backup.pgbackrest is `p`, its repos `repos`). */
export function edit(yaml: string, change: (m: { r: Resource; spec: Obj; p: Obj; repos: Obj[]; global: Obj }) => void): Resource {
  const r = parse(yaml) as Resource;
  const spec = r.spec as Obj;
  const p = ((spec.backup as Obj | undefined)?.pgbackrest ?? {}) as Obj;
  change({ r, spec, p, repos: (p.repos ?? []) as Obj[], global: (p.global ?? {}) as Obj });
  return r;
}
