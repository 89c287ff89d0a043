// The CNPG rules, in catalog order (DESIGN.md).
import { rule as scheduleSixFields } from "./schedule-six-fields.ts";
import { rule as backupRequired } from "./backup-required.ts";
import { rule as walArchiveRequired } from "./wal-archive-required.ts";
import { rule as barmanObjectStoreDeprecated } from "./barman-object-store-deprecated.ts";
import { rule as pluginObjectNameRequired } from "./plugin-object-name-required.ts";
import { rule as objectStoreExists } from "./object-store-exists.ts";
import { rule as snapshotClassRequired } from "./snapshot-class-required.ts";
import { rule as snapshotClassExists } from "./snapshot-class-exists.ts";
import { rule as offlineSnapshotDowntime } from "./offline-snapshot-downtime.ts";
import { rule as waitForArchive } from "./wait-for-archive.ts";
import { rule as backupMethodExplicit } from "./backup-method-explicit.ts";
import { rule as backupMethodMatchesCluster } from "./backup-method-matches-cluster.ts";
import { rule as pluginConfigurationRequired } from "./plugin-configuration-required.ts";
import { rule as onlineFlagsMethod } from "./online-flags-method.ts";
import { rule as backupTarget } from "./backup-target.ts";
import { rule as scheduledBackupNameLength } from "./scheduled-backup-name-length.ts";
import { rule as backupOwnerReference } from "./backup-owner-reference.ts";
import { rule as retentionRequired } from "./retention-required.ts";
import { rule as archiveTimeoutRpo } from "./archive-timeout-rpo.ts";
import { rule as archiveDestinationUnique } from "./archive-destination-unique.ts";
import { rule as skipEmptyArchiveCheck } from "./skip-empty-archive-check.ts";
import { rule as validationDisabled } from "./validation-disabled.ts";
import { rule as backupPluginParameters } from "./backup-plugin-parameters.ts";
import { rule as walSnapshotClass } from "./wal-snapshot-class.ts";
import { rule as credentialsExist } from "./credentials-exist.ts";
import type { CatalogRule } from "../../../rules/define.ts";

export const cnpgRules: CatalogRule[] = [
  scheduleSixFields,
  backupRequired,
  walArchiveRequired,
  barmanObjectStoreDeprecated,
  pluginObjectNameRequired,
  objectStoreExists,
  snapshotClassRequired,
  snapshotClassExists,
  offlineSnapshotDowntime,
  waitForArchive,
  backupMethodExplicit,
  backupMethodMatchesCluster,
  pluginConfigurationRequired,
  onlineFlagsMethod,
  backupTarget,
  scheduledBackupNameLength,
  backupOwnerReference,
  retentionRequired,
  archiveTimeoutRpo,
  archiveDestinationUnique,
  skipEmptyArchiveCheck,
  validationDisabled,
  backupPluginParameters,
  walSnapshotClass,
  credentialsExist,
];
