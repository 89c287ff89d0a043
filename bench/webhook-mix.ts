// The webhook benchmark's request mix (bench/webhook.ts): realistic AdmissionReviews and the lookups they need.

// ---- realistic AdmissionReviews -------------------------------------------------------------------

let uid = 0;
export function review(object: any, operation = "CREATE", oldObject?: any): string {
  const [group, version] = object.apiVersion.split("/");
  return JSON.stringify({
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: `00000000-0000-4000-8000-${String(++uid).padStart(12, "0")}`,
      kind: { group, version, kind: object.kind },
      resource: { group, version, resource: `${object.kind.toLowerCase()}s` },
      requestKind: { group, version, kind: object.kind },
      requestResource: { group, version, resource: `${object.kind.toLowerCase()}s` },
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      operation,
      userInfo: { username: "system:serviceaccount:argocd:argocd-application-controller", uid: "5b2c", groups: ["system:serviceaccounts", "system:authenticated"] },
      object,
      oldObject: oldObject ?? null,
      dryRun: false,
      options: { apiVersion: "meta.k8s.io/v1", kind: "CreateOptions", fieldManager: "argocd-controller" },
    },
  });
}

const meta = (name: string) => ({
  name,
  namespace: "payments",
  labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "payments", team: "payments" },
  annotations: { "argocd.argoproj.io/tracking-id": `payments:postgresql.cnpg.io/Cluster:payments/${name}` },
});

const cluster = {
  apiVersion: "postgresql.cnpg.io/v1",
  kind: "Cluster",
  metadata: meta("payments-db"),
  spec: {
    instances: 3,
    imageName: "ghcr.io/cloudnative-pg/postgresql:17.5",
    primaryUpdateStrategy: "unsupervised",
    storage: { size: "50Gi", storageClass: "fast-ssd" },
    walStorage: { size: "10Gi", storageClass: "fast-ssd" },
    postgresql: { parameters: { max_connections: "200", shared_buffers: "1GB", archive_timeout: "5min" } },
    resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { memory: "4Gi" } },
    affinity: { enablePodAntiAffinity: true, topologyKey: "kubernetes.io/hostname" },
    monitoring: { enablePodMonitor: true },
    backup: { target: "prefer-standby", volumeSnapshot: { className: "csi-snapclass" } },
    plugins: [{ name: "barman-cloud.cloudnative-pg.io", isWALArchiver: true, parameters: { barmanObjectName: "payments-store" } }],
  },
};
const deniedCluster = { ...cluster, metadata: meta("legacy-db"), spec: { ...cluster.spec, backup: undefined, plugins: [] } };
const scheduled = {
  apiVersion: "postgresql.cnpg.io/v1",
  kind: "ScheduledBackup",
  metadata: meta("payments-db-daily"),
  spec: { schedule: "0 0 2 * * *", cluster: { name: "payments-db" }, method: "plugin", pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" } },
};
const cpo = {
  apiVersion: "cpo.opensource.cybertec.at/v1",
  kind: "postgresql",
  metadata: meta("orders"),
  spec: {
    teamId: "payments",
    numberOfInstances: 2,
    postgresql: { version: "17", parameters: { max_connections: "200" } },
    volume: { size: "20Gi" },
    backup: {
      pgbackrest: {
        image: "docker.io/cybertecpostgresql/cybertec-pg-container:pgbackrest-17.5-1",
        global: { "repo1-retention-full": "7" },
        repos: [{ name: "repo1", storage: "pvc", volume: { size: "50Gi" }, schedule: { full: "30 2 * * *", incr: "30 */6 * * *" } }],
      },
    },
  },
};
export const lookupObjects = [
  { apiVersion: "barmancloud.cnpg.io/v1", kind: "ObjectStore", metadata: { name: "payments-store", namespace: "payments" }, spec: { retentionPolicy: "30d", configuration: { destinationPath: "s3://backups/payments" } } },
  { apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "csi-snapclass" }, driver: "ebs.csi.aws.com", deletionPolicy: "Retain" },
  cluster,
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "payments", labels: { team: "payments" } } },
];

const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: meta("payments-config"), data: { "app.properties": "x=1\n".repeat(200) } };

/** The mix: mostly allowed, some denied, some warned, an UPDATE. */
export const mix = [review(cluster), review(scheduled), review(cpo), review(deniedCluster), review(cluster, "UPDATE", cluster), review(scheduled)];

/** Uncovered kinds: the webhook decodes, skips and encodes them (the codec alone, no rules run). */
export const uncovered = [review(configMap), review(configMap)];
