import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/credentials-exist.ts";
import { cluster, good, pgbackrest, s3Repo } from "../fixtures.ts";

const secret = (name: string, namespace = "prod") => ({ apiVersion: "v1", kind: "Secret", metadata: { name, namespace }, data: { "s3.conf": "c2VjcmV0" } });
const C = "spec.backups.pgbackrest.configuration";

ruleTester(rule, {
  valid: [
    { name: "Secret exists", resource: good(), lookups: [secret("hippo-creds")] },
    { name: "optional projection", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1)], { configuration: [{ secret: { name: "gone", optional: true } }] }) }), lookups: [secret("x")] },
    { name: "configMap projection", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1)], { configuration: [{ configMap: { name: "cm" } }] }) }), lookups: [secret("x")] },
    { name: "no configuration", resource: cluster({ pgbackrest: { repos: [s3Repo(1)] } }), lookups: [secret("x")] },
  ],
  invalid: [
    { name: "unknown kind: not checked", resource: good(), problems: [{ path: `${C}[0].secret.name`, notChecked: true }] },
    { name: "missing", resource: good(), lookups: [secret("hippo-creds-s3")], problems: [{ path: `${C}[0].secret.name`, message: 'Secret "hippo-creds" is not among the known Secrets of namespace prod' }] },
    { name: "other namespace only", resource: good(), lookups: [secret("hippo-creds", "staging")], problems: [{ message: "cannot start" }] },
    {
      name: "dataSource.pgbackrest configuration",
      resource: cluster({ pgbackrest: pgbackrest([s3Repo(1)]) }, { dataSource: { pgbackrest: { stanza: "db", repo: s3Repo(1), configuration: [{ secret: { name: "source-creds" } }] } } }),
      lookups: [secret("hippo-creds")],
      problems: [{ path: "spec.dataSource.pgbackrest.configuration[0].secret.name" }],
    },
  ],
});
