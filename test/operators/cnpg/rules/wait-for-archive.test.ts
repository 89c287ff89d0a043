// cnpg-wait-for-archive: waitForArchive reaches pg_backup_stop(wait_for_archive) (webserver/backup_connection.go);
// PostgreSQL waits on a primary, and on a standby only with archive_mode = always; CNPG sets archive_mode = on in a
// Cluster and always in a replica cluster (pkg/postgres/configuration.go).
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/wait-for-archive.ts";
import { archiver, backup, cluster, scheduled, vs } from "./fixtures.ts";
import { WIKI_CLUSTER, WIKI_SNAPSHOTS, lookupsAll, swap } from "./manifests.ts";

const off = { waitForArchive: false };
const withVs = (volumeSnapshot: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  cluster({ plugins: [archiver], backup: { volumeSnapshot: { className: "c", ...volumeSnapshot } }, ...extra }, { name: "pg" });
const snapBackup = (spec: Record<string, unknown> = {}) => backup({ cluster: { name: "pg" }, method: "volumeSnapshot", onlineConfiguration: off, ...spec });

ruleTester(rule, {
  valid: [
    { name: "default", resource: vs({ className: "c" }) },
    { name: "true", resource: backup({ method: "volumeSnapshot", onlineConfiguration: { waitForArchive: true } }) },
    { name: "cold snapshot: flag unused", resource: vs({ online: false, onlineConfiguration: { waitForArchive: false } }) },
    { name: "wrong type", resource: backup({ onlineConfiguration: "x" }) },
    { name: "plugin backups ignore onlineConfiguration", resource: backup({ cluster: { name: "pg" }, method: "plugin", onlineConfiguration: off }) },
    { name: "method unset (barmanObjectStore, which rejects the field)", resource: scheduled({ cluster: { name: "pg" }, onlineConfiguration: off }) },
    { name: "Backup with online unset on a cold Cluster: no pg_backup_stop", resource: snapBackup(), lookups: [withVs({ online: false })] },
    { name: "Backup's own onlineConfiguration without the flag (default true)", resource: backup({ cluster: { name: "pg" }, method: "volumeSnapshot", onlineConfiguration: { immediateCheckpoint: true } }) },
    { name: "realistic: hot snapshots with the default waitForArchive", resource: WIKI_CLUSTER },
    { name: "realistic: a volumeSnapshot ScheduledBackup without onlineConfiguration", resource: WIKI_SNAPSHOTS, lookups: lookupsAll() },
  ],
  invalid: [
    { name: "cluster", resource: vs({ onlineConfiguration: { waitForArchive: false } }), problems: [{ path: "spec.backup.volumeSnapshot.onlineConfiguration.waitForArchive" }] },
    { name: "backup", resource: backup({ method: "volumeSnapshot", onlineConfiguration: { waitForArchive: false } }), problems: [{ path: "spec.onlineConfiguration.waitForArchive", message: "cannot be restored" }] },
    { name: "the message says where PostgreSQL waits", resource: vs({ onlineConfiguration: { waitForArchive: false } }), problems: [{ message: "on a standby PostgreSQL waits only with archive_mode = always" }] },
    { name: "scheduled backup", resource: scheduled({ method: "volumeSnapshot", online: true, onlineConfiguration: { waitForArchive: false } }), problems: [{ path: "spec.onlineConfiguration.waitForArchive" }] },
    {
      name: "several instances: usually a standby, where PostgreSQL does not wait anyway",
      resource: withVs({ onlineConfiguration: off }, { instances: 3 }),
      problems: [
        {
          path: "spec.backup.volumeSnapshot.onlineConfiguration.waitForArchive",
          message: /pg_backup_stop\(wait_for_archive => false\).*archive_mode = always.*archive_mode = on.*normally run on a standby, where the flag changes nothing.*falls back to the primary/,
        },
      ],
    },
    {
      name: "single instance: every snapshot on the primary",
      resource: withVs({ onlineConfiguration: off }),
      problems: [{ message: "With a single instance every snapshot is taken on the primary" }],
    },
    {
      name: "target primary",
      resource: withVs({ onlineConfiguration: off }, { instances: 3, backup: { target: "primary", volumeSnapshot: { onlineConfiguration: off } } }),
      problems: [{ message: "This Cluster's backups target the primary, so the flag applies to every snapshot" }],
    },
    {
      name: "Backup online: true overrides a cold Cluster",
      resource: snapBackup({ online: true }),
      lookups: [withVs({ online: false }, { instances: 3 })],
      problems: [{ path: "spec.onlineConfiguration.waitForArchive", message: "normally run on a standby" }],
    },
    {
      name: "Backup's own target primary",
      resource: snapBackup({ target: "primary" }),
      lookups: [withVs({}, { instances: 3 })],
      problems: [{ message: "This backup targets the primary" }],
    },
    {
      name: "replica cluster: the designated primary",
      resource: snapBackup(),
      lookups: [withVs({}, { instances: 1, replica: { enabled: true, source: "origin" } })],
      problems: [{ message: "(the designated primary: this is a replica cluster)" }],
    },
    {
      name: "distributed topology: replica.primary names another cluster, so this one is a replica cluster",
      resource: snapBackup({ target: "primary" }),
      lookups: [withVs({}, { instances: 3, replica: { primary: "eu", self: "us", source: "eu" } })],
      problems: [{ message: "This backup targets the primary (the designated primary: this is a replica cluster)" }],
    },
    {
      name: "replica.primary names this cluster (self defaults to metadata.name): not a replica cluster",
      resource: snapBackup({ target: "primary" }),
      lookups: [withVs({}, { instances: 3, replica: { primary: "pg", source: "eu" } })],
      problems: [{ message: /This backup targets the primary, so the flag applies/ }],
    },
    {
      name: "Cluster not known: the general explanation",
      resource: snapBackup(),
      problems: [{ message: /cannot be restored.*only changes anything when the snapshot is taken on the primary/ }],
    },
    {
      name: "realistic: waitForArchive: false to make snapshots finish sooner",
      resource: swap(WIKI_CLUSTER, "immediateCheckpoint: true", "immediateCheckpoint: true\n        waitForArchive: false"),
      problems: [{ path: "spec.backup.volumeSnapshot.onlineConfiguration.waitForArchive", message: "normally run on a standby" }],
    },
  ],
});
