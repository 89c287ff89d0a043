// The PGO (postgres-operator.crunchydata.com PostgresCluster) rules, in catalog order.
import { rule as backupsRequired } from "./backups-required.ts";
import { rule as repoNames } from "./repo-names.ts";
import { rule as repoStorageOneOf } from "./repo-storage-one-of.ts";
import { rule as fullScheduleRequired } from "./full-schedule-required.ts";
import { rule as repoScheduleMissing } from "./repo-schedule-missing.ts";
import { rule as scheduleKeys } from "./schedule-keys.ts";
import { rule as incrementalInterval } from "./incremental-interval.ts";
import { rule as scheduleCollision } from "./schedule-collision.ts";
import { rule as clusterNameLength } from "./cluster-name-length.ts";
import { rule as retentionRequired } from "./retention-required.ts";
import { rule as retentionValues } from "./retention-values.ts";
import { rule as globalOptionKeys } from "./global-option-keys.ts";
import { rule as repoPathUnique } from "./repo-path-unique.ts";
import { rule as repoPathCollision } from "./repo-path-collision.ts";
import { rule as offsiteRepo } from "./offsite-repo.ts";
import { rule as repoRemoval } from "./repo-removal.ts";
import { rule as cloudRepoCredentials } from "./cloud-repo-credentials.ts";
import { rule as credentialsExist } from "./credentials-exist.ts";
import { rule as archiveTimeoutRpo } from "./archive-timeout-rpo.ts";
import { rule as archiveOverride } from "./archive-override.ts";
import { rule as datasourceExclusive } from "./datasource-exclusive.ts";
import { rule as restoreOptionsSafe } from "./restore-options-safe.ts";
import { rule as inplaceRestoreArmed } from "./inplace-restore-armed.ts";
import { rule as standbySource } from "./standby-source.ts";
import { rule as snapshotsGate } from "./snapshots-gate.ts";
import { rule as snapshotClassExists } from "./snapshot-class-exists.ts";
import type { CatalogRule } from "../../../rules/define.ts";

export const pgoRules: CatalogRule[] = [
  backupsRequired,
  repoNames,
  repoStorageOneOf,
  fullScheduleRequired,
  repoScheduleMissing,
  scheduleKeys,
  incrementalInterval,
  scheduleCollision,
  clusterNameLength,
  retentionRequired,
  retentionValues,
  globalOptionKeys,
  repoPathUnique,
  repoPathCollision,
  offsiteRepo,
  repoRemoval,
  cloudRepoCredentials,
  credentialsExist,
  archiveTimeoutRpo,
  archiveOverride,
  datasourceExclusive,
  restoreOptionsSafe,
  inplaceRestoreArmed,
  standbySource,
  snapshotsGate,
  snapshotClassExists,
];
