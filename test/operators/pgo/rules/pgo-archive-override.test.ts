import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/archive-override.ts";
import { cluster, good } from "../fixtures.ts";

const P = "spec.patroni.dynamicConfiguration.postgresql.parameters";
const patroni = (parameters: unknown) => cluster(undefined, { patroni: { dynamicConfiguration: { postgresql: { parameters } } } });

ruleTester(rule, {
  valid: [{ resource: good() }, { name: "other parameters", resource: patroni({ archive_timeout: "60s", max_wal_size: "2GB" }) }, { name: "not a map", resource: patroni("x") }],
  invalid: [
    { name: "archive_command", resource: patroni({ archive_command: "wal-g wal-push %p" }), problems: [{ path: `${P}.archive_command`, message: "ignored" }] },
    { name: "all three", resource: patroni({ archive_mode: "always", archive_command: "x", restore_command: "y" }), problems: [{ path: `${P}.archive_mode` }, { path: `${P}.archive_command` }, { path: `${P}.restore_command` }] },
  ],
});
