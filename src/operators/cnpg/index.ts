// CloudNativePG: Cluster, Backup, ScheduledBackup, the barman-cloud plugin's ObjectStore, and the CSI
// VolumeSnapshotClasses its volume-snapshot backups name.
import type { Operator } from "../types.ts";
import { kinds, lookupKinds } from "./kinds.ts";
import { cnpgRules } from "./rules/index.ts";
import { auditRules } from "./audit/index.ts";
import { cnpgDefaulters } from "./defaults.ts";
import { scheduleSources } from "./schedules.ts";

export const operator: Operator = {
  name: "cnpg",
  title: "CloudNativePG",
  docsUrl: "https://cloudnative-pg.io/documentation/current/",
  kinds,
  rules: [...cnpgRules, ...auditRules],
  defaulters: cnpgDefaulters,
  dialect: "robfig-v1",
  scheduleSources,
  lookupKinds,
  crds: [
    { file: "cnpg/postgresql.cnpg.io_clusters.yaml", kind: "Cluster" },
    { file: "cnpg/postgresql.cnpg.io_backups.yaml", kind: "Backup" },
    { file: "cnpg/postgresql.cnpg.io_scheduledbackups.yaml", kind: "ScheduledBackup" },
    { file: "cnpg/barmancloud.cnpg.io_objectstores.yaml", kind: "ObjectStore" },
    { file: "snapshot/snapshot.storage.k8s.io_volumesnapshotclasses.yaml", kind: "VolumeSnapshotClass" },
  ],
};
