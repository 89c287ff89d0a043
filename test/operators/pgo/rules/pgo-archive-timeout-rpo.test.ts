import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/archive-timeout-rpo.ts";
import { cluster, good, pgbackrest, s3Repo } from "../fixtures.ts";

const P = "spec.config.parameters.archive_timeout";
const with_ = (extra: Record<string, unknown>) => cluster({ pgbackrest: pgbackrest([s3Repo(1)]) }, extra);

ruleTester(rule, {
  valid: [
    { name: "PGO's 60s default within a 5 min rpo", resource: good() },
    { name: "integer seconds", resource: with_({ config: { parameters: { archive_timeout: 120 } } }) },
    { name: "patroni value", resource: with_({ patroni: { dynamicConfiguration: { postgresql: { parameters: { archive_timeout: "2min" } } } } }) },
    { name: "no backups: other rule", resource: cluster(undefined, { config: { parameters: { archive_timeout: 0 } } }) },
    { name: "config overrides a bad patroni value", resource: with_({ config: { parameters: { archive_timeout: "1min" } }, patroni: { dynamicConfiguration: { postgresql: { parameters: { archive_timeout: "1h" } } } } }) },
  ],
  invalid: [
    { name: "default above a 30s rpo", rpoSeconds: 30, resource: good(), problems: [{ path: "spec.config.parameters", message: "PGO's default of 60s" }] },
    { name: "longer than the rpo", resource: with_({ config: { parameters: { archive_timeout: "30min" } } }), problems: [{ path: P, message: "longer than the policy's rpo" }] },
    { name: "zero", resource: with_({ config: { parameters: { archive_timeout: 0 } } }), problems: [{ path: P, message: "disables" }] },
    { name: "bad unit", resource: with_({ config: { parameters: { archive_timeout: "5 minutes" } } }), problems: [{ path: P, message: "not valid" }] },
    {
      name: "patroni value too long",
      resource: with_({ patroni: { dynamicConfiguration: { postgresql: { parameters: { archive_timeout: 3600 } } } } }),
      problems: [{ path: "spec.patroni.dynamicConfiguration.postgresql.parameters.archive_timeout" }],
    },
  ],
});
