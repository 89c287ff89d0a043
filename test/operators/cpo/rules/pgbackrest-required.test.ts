// cpo-pgbackrest-required: a postgresql without spec.backup.pgbackrest discards its WAL (archive_command /bin/true).
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/pgbackrest-required.ts";
import { cluster, good } from "./fixtures.ts";
import { KEYCLOAK, SHOP, edit } from "./manifests.ts";

const standbyOf = (host: string) => ({ standby: { standby_host: host } });

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "a standby cannot back up until promoted", resource: cluster(undefined, standbyOf("acid-primary.db.svc")) },
    { name: "a WAL-path standby", resource: cluster(undefined, { standby: { s3_wal_path: "s3://bucket/spilo/acid/wal" } }) },
    { name: "realistic: s3 + gcs, no namespace, Flux placeholders", resource: SHOP },
    { name: "realistic: pvc + MinIO", resource: KEYCLOAK },
    {
      name: "realistic: a DR standby whose host is a Flux placeholder",
      resource: edit(SHOP, ({ spec }) => {
        delete spec.backup;
        spec.standby = { standby_host: "${PRIMARY_HOST}" };
      }),
    },
  ],
  invalid: [
    { name: "no backup section", resource: cluster(), problems: [{ path: "spec.backup.pgbackrest", message: "/bin/true" }] },
    { name: "an empty standby section is no standby", resource: cluster(undefined, { standby: {} }), problems: [{ path: "spec.backup.pgbackrest" }] },
    { name: "pgbackrest null", resource: cluster(null), problems: [{ path: "spec.backup.pgbackrest", message: "is null" }] },
    {
      name: "spec is a string",
      resource: { apiVersion: "cpo.opensource.cybertec.at/v1", kind: "postgresql", metadata: {}, spec: "x" },
      problems: [{ path: "spec.backup.pgbackrest" }],
    },
    { name: "pgbackrest is a list", resource: cluster([] as never), problems: [{ message: "not a map" }] },
    {
      name: "realistic: backup section dropped, only Zalando's logical backup left",
      resource: edit(SHOP, ({ spec }) => {
        delete spec.backup;
        spec.enableLogicalBackup = true;
        spec.logicalBackupSchedule = "30 00 * * *";
      }),
      problems: [{ path: "spec.backup.pgbackrest", message: "is missing: without it the CPO container sets archive_command to /bin/true" }],
    },
    {
      name: "realistic: spec.backup kept but empty (pgbackrest commented out)",
      resource: edit(KEYCLOAK, ({ spec }) => {
        spec.backup = {};
      }),
      problems: [{ path: "spec.backup.pgbackrest" }],
    },
  ],
});
