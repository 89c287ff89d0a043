// cpo-archive-override: spec.postgresql.parameters must not set archive_command or archive_mode.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/archive-override.ts";
import { good, withParameters } from "./fixtures.ts";
import { KEYCLOAK, SHOP, edit } from "./manifests.ts";

const P = "spec.postgresql.parameters";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "parameters a string", resource: withParameters("archive_command=/bin/true") },
    { name: "realistic", resource: SHOP },
    { name: "realistic: archive_timeout only", resource: KEYCLOAK },
  ],
  invalid: [
    { name: "archive_command", resource: withParameters({ archive_command: "/bin/true" }), problems: [{ path: `${P}.archive_command`, message: "Delete archive_command" }] },
    { name: "archive_mode off", resource: withParameters({ archive_mode: "off" }), problems: [{ path: `${P}.archive_mode` }] },
    { name: "both", resource: withParameters({ archive_mode: "on", archive_command: "cp %p /x" }), problems: [{ path: `${P}.archive_command` }, { path: `${P}.archive_mode` }] },
    {
      name: "realistic: archive_mode off copied from a load-test setup",
      resource: edit(SHOP, ({ spec }) => {
        ((spec.postgresql as Record<string, unknown>).parameters as Record<string, unknown>).archive_mode = "off";
      }),
      problems: [{ path: `${P}.archive_mode`, message: 'sets archive_mode to "off"' }],
    },
    {
      name: "realistic: archive_command from a WAL-G migration",
      resource: edit(KEYCLOAK, ({ spec }) => {
        ((spec.postgresql as Record<string, unknown>).parameters as Record<string, unknown>).archive_command = "wal-g wal-push %p";
      }),
      problems: [{ path: `${P}.archive_command`, message: "Delete archive_command" }],
    },
  ],
});
