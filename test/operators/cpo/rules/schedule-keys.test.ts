// cpo-schedule-keys: schedule keys are full, incr and diff only, none of them empty.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/schedule-keys.ts";
import { backup, cluster, good, s3Repo } from "./fixtures.ts";
import { KEYCLOAK, SHOP, WIKI, edit } from "./manifests.ts";

const R0 = "spec.backup.pgbackrest.repos[0]";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "diff", resource: cluster(backup([s3Repo(1, { full: "0 1 * * 0", diff: "0 1 * * 1-6" })])) },
    { name: "no schedule (other rule)", resource: cluster(backup([s3Repo(1, null)])) },
    { name: "number: schedule-syntax's", resource: cluster(backup([s3Repo(1, { full: 30 })])) },
    { name: "blank: schedule-syntax's (the operator only replaces exactly '')", resource: cluster(backup([s3Repo(1, { full: "  " })])) },
    { name: "realistic: full, diff, incr", resource: SHOP },
    { name: "realistic: full + incr and full + diff", resource: KEYCLOAK },
    { name: "realistic: macros", resource: WIKI },
  ],
  invalid: [
    {
      name: "incremental",
      resource: cluster(backup([s3Repo(1, { full: "30 2 * * *", incremental: "0 * * * *" })])),
      problems: [{ path: `${R0}.schedule.incremental`, message: "Rename it to `incr`" }],
    },
    { name: "unknown key", resource: cluster(backup([s3Repo(1, { full: "30 2 * * *", weekly: "0 0 * * 0" })])), problems: [{ message: "Use full, incr or diff" }] },
    { name: "empty full", resource: cluster(backup([s3Repo(1, { full: "" })])), problems: [{ path: `${R0}.schedule.full`, message: "30 00 * * *" }] },
    { name: "empty incr", resource: cluster(backup([s3Repo(1, { full: "30 2 * * *", incr: "" })])), problems: [{ path: `${R0}.schedule.incr`, message: "is empty" }] },
    { name: "schedule a list", resource: cluster(backup([s3Repo(1, ["30 2 * * *"])])), problems: [{ path: `${R0}.schedule`, message: "not a map" }] },
    {
      name: "realistic: PGO's key names on a CPO cluster",
      resource: edit(KEYCLOAK, ({ repos }) => {
        repos[1]!.schedule = { full: "0 3 * * 6", differential: "0 3 * * 0-5" };
      }),
      problems: [{ path: "spec.backup.pgbackrest.repos[1].schedule.differential", message: "Rename it to `diff`" }],
    },
    {
      name: "realistic: an incr left empty for the DR repo",
      resource: edit(SHOP, ({ repos }) => {
        (repos[1]!.schedule as Record<string, unknown>).incr = "";
      }),
      problems: [{ path: "spec.backup.pgbackrest.repos[1].schedule.incr", message: "schedule.incr is empty" }],
    },
  ],
});
