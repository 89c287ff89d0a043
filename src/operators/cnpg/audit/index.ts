// Audit-only rules (meta.auditOnly): `pg-backup-guard audit` runs them over live objects and their status.
import { rule as scheduledBackupMissing } from "./scheduled-backup-missing.ts";
import { rule as backupClusterExists } from "./backup-cluster-exists.ts";
import { rule as backupStale } from "./backup-stale.ts";
import { rule as walArchivingFailing } from "./wal-archiving-failing.ts";
import type { CatalogRule } from "../../../rules/define.ts";

export const auditRules: CatalogRule[] = [scheduledBackupMissing, backupClusterExists, backupStale, walArchivingFailing];
