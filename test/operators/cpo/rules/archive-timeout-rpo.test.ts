// cpo-archive-timeout-rpo: archive_timeout must be set and within the policy's rpo (the image's default is 1800s).
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/archive-timeout-rpo.ts";
import { cluster, good, withParameters } from "./fixtures.ts";
import { KEYCLOAK, SHOP, WIKI, edit } from "./manifests.ts";

const P = "spec.postgresql.parameters";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "300 seconds", resource: withParameters({ archive_timeout: "300" }) },
    { name: "60s with a 5m rpo", resource: withParameters({ archive_timeout: "60s" }) },
    { name: "unset but rpo 1h", resource: withParameters({}), rpoSeconds: 3600 },
    { name: "no pgbackrest: other rule", resource: cluster() },
    { name: "realistic: 5min", resource: SHOP },
    { name: "realistic: '300'", resource: KEYCLOAK },
    { name: "realistic: 60s", resource: WIKI },
    {
      name: "realistic: from a Flux placeholder (known only after substitution)", notChecked: true,
      resource: edit(SHOP, ({ spec }) => {
        ((spec.postgresql as Record<string, unknown>).parameters as Record<string, unknown>).archive_timeout = "${ARCHIVE_TIMEOUT}";
      }),
    },
  ],
  invalid: [
    { name: "unset", resource: withParameters({}), problems: [{ path: P, message: "archive_timeout: '5min'" }] },
    { name: "parameters missing", resource: withParameters(undefined), problems: [{ path: P, message: "1800s" }] },
    { name: "no spec.postgresql (docs snippets)", resource: (() => { const r = good(); delete (r.spec as Record<string, unknown>).postgresql; return r; })(), problems: [{ path: P, message: "requires spec.postgresql" }] },
    { name: "too long", resource: withParameters({ archive_timeout: "30min" }), problems: [{ path: `${P}.archive_timeout`, message: "longer than the policy's rpo of 5m" }] },
    { name: "unitless seconds too long", resource: withParameters({ archive_timeout: "600" }), problems: [{ message: "10m" }] },
    { name: "zero disables", resource: withParameters({ archive_timeout: "0" }), problems: [{ message: "disables" }] },
    { name: "bad unit", resource: withParameters({ archive_timeout: "5 minutes" }), problems: [{ message: "not valid" }] },
    { name: "number", resource: withParameters({ archive_timeout: 300 }), problems: [{ message: "not a string" }] },
    { name: "object", resource: withParameters({ archive_timeout: { s: 1 } }), problems: [{ message: "not valid" }] },
    {
      name: "realistic: archive_timeout left to the image's 1800s",
      resource: edit(SHOP, ({ spec }) => {
        delete ((spec.postgresql as Record<string, unknown>).parameters as Record<string, unknown>).archive_timeout;
      }),
      problems: [{ path: P, message: "the CPO container image's default of 1800s applies" }],
    },
    {
      name: "realistic: 1h",
      resource: edit(KEYCLOAK, ({ spec }) => {
        ((spec.postgresql as Record<string, unknown>).parameters as Record<string, unknown>).archive_timeout = "1h";
      }),
      problems: [{ path: `${P}.archive_timeout`, message: "longer than the policy's rpo of 5m" }],
    },
  ],
});
