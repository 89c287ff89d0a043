// The CPO (cpo.opensource.cybertec.at/v1 postgresql) rules, in catalog order.
import { rule as pgbackrestRequired } from "./pgbackrest-required.ts";
import { rule as reposRequired } from "./repos-required.ts";
import { rule as repoNames } from "./repo-names.ts";
import { rule as fullScheduleRequired } from "./full-schedule-required.ts";
import { rule as scheduleKeys } from "./schedule-keys.ts";
import { rule as incrementalInterval } from "./incremental-interval.ts";
import { rule as scheduleCollision } from "./schedule-collision.ts";
import { rule as retentionRequired } from "./retention-required.ts";
import { rule as offsiteRepo } from "./offsite-repo.ts";
import { rule as repoPathUnique } from "./repo-path-unique.ts";
import { rule as restoreRepoRequired } from "./restore-repo-required.ts";
import { rule as restoreOptionsSafe } from "./restore-options-safe.ts";
import { rule as clusterNameLength } from "./cluster-name-length.ts";
import { rule as archiveOverride } from "./archive-override.ts";
import { rule as archiveTimeoutRpo } from "./archive-timeout-rpo.ts";
import { rule as pvcRepoRemoved } from "./pvc-repo-removed.ts";
import { rule as credentialsExist } from "./credentials-exist.ts";
import { rule as repoStorageFields } from "./repo-storage-fields.ts";
import { rule as pvcNameOverlap } from "./pvc-name-overlap.ts";
import { rule as standbyBackups } from "./standby-backups.ts";
import type { CatalogRule } from "../../../rules/define.ts";

export const cpoRules: CatalogRule[] = [
  pgbackrestRequired,
  reposRequired,
  repoNames,
  fullScheduleRequired,
  scheduleKeys,
  incrementalInterval,
  scheduleCollision,
  retentionRequired,
  offsiteRepo,
  repoPathUnique,
  restoreRepoRequired,
  restoreOptionsSafe,
  clusterNameLength,
  archiveOverride,
  archiveTimeoutRpo,
  pvcRepoRemoved,
  credentialsExist,
  repoStorageFields,
  pvcNameOverlap,
  standbyBackups,
];
