// cpo-schedule-collision: two backup types of one repo (or, when asked, of two repos) must not start in the same minute.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/schedule-collision.ts";
import { good, withSchedule } from "./fixtures.ts";
import { KEYCLOAK, SHOP, WIKI, edit } from "./manifests.ts";

const S0 = "spec.backup.pgbackrest.repos[0].schedule";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "full at :30, incr at :15/:45", resource: withSchedule({ full: "30 2 * * *", incr: "15,45 * * * *" }) },
    { name: "same string on different weekdays", resource: withSchedule({ full: "30 2 * * 0", diff: "30 2 * * 1-6" }) },
    { name: "different repos by default", resource: withSchedule({ full: "30 2 * * *" }, { full: "30 2 * * *" }) },
    { name: "@every counts from creation: not compared", resource: withSchedule({ full: "@every 24h", incr: "@hourly" }) },
    { name: "dom and dow OR never meet a month", resource: withSchedule({ full: "0 0 31 2 *", incr: "0 0 1 * *" }) },
    { name: "realistic: full Sundays and diff Mon-Sat at 02:30, incr at :15", resource: SHOP },
    { name: "realistic: acrossRepos, no minute shared between the repos", resource: SHOP, params: { acrossRepos: true } },
    { name: "realistic: pvc + s3", resource: KEYCLOAK },
    { name: "realistic: @weekly full, incr at :30", resource: WIKI },
    { name: "a placeholder full next to an incr: compared once substituted", notChecked: true, resource: withSchedule({ full: "${FULL_SCHEDULE}", incr: "15,45 * * * *" }) },
    { name: "a placeholder incr", notChecked: true, resource: withSchedule({ full: "30 2 * * *", incr: "${INCR_MINUTE:=15},45 * * * *" }) },
    { name: "a placeholder full with nothing to meet", resource: withSchedule({ full: "${FULL_SCHEDULE}" }, { full: "30 2 * * *" }) },
  ],
  invalid: [
    {
      name: "docs example: full 02:30 + incr */30",
      resource: withSchedule({ full: "30 2 * * *", incr: "*/30 * * * *" }),
      problems: [{ path: `${S0}.incr`, message: "first at 2026-11-23 02:30 UTC" }],
    },
    {
      name: "different strings, same minute",
      resource: withSchedule({ full: "0 0 * * 0", diff: "0 0 1 * *" }),
      problems: [{ path: `${S0}.diff`, message: "2027-08-01 00:00 UTC" }],
    },
    {
      name: "across repos when asked",
      resource: withSchedule({ full: "30 2 * * *" }, { full: "30 2 * * 1" }),
      params: { acrossRepos: true },
      problems: [{ path: "spec.backup.pgbackrest.repos[1].schedule.full", message: "repo1 full" }],
    },
    {
      name: "acrossRepos: a collision in repo1 and a placeholder full in repo2",
      resource: withSchedule({ full: "30 2 * * *", incr: "*/30 * * * *" }, { full: "${OFFSITE_FULL}" }),
      params: { acrossRepos: true },
      problems: [
        { path: `${S0}.incr`, message: "02:30 UTC" },
        { path: "spec.backup.pgbackrest.repos[1].schedule.full", message: 'the schedule "${OFFSITE_FULL}" contains the unresolved placeholder', notChecked: true },
      ],
    },
    { name: "@every 1m meets everything", resource: withSchedule({ full: "30 2 * * *", incr: "@every 1m" }), problems: [{ path: `${S0}.incr`, message: "02:30 UTC" }] },
    {
      name: "three types, all at midnight",
      resource: withSchedule({ full: "@weekly", incr: "@daily", diff: "@midnight" }),
      problems: [{ path: `${S0}.incr` }, { path: `${S0}.diff` }, { path: `${S0}.diff` }],
    },
    {
      name: "realistic: @weekly and @hourly meet every Sunday at midnight",
      resource: edit(WIKI, ({ repos }) => {
        (repos[0]!.schedule as Record<string, unknown>).incr = "@hourly";
      }),
      problems: [{ path: `${S0}.incr`, message: "repo1 incr '@hourly' fires in the same minute as repo1 full '@weekly', first at 2026-11-29 00:00 UTC" }],
    },
    {
      name: "realistic: acrossRepos, the off-site full meets the pvc repo's 2-hourly incr",
      resource: edit(KEYCLOAK, ({ repos }) => {
        (repos[1]!.schedule as Record<string, unknown>).full = "0 2 * * 6";
      }),
      params: { acrossRepos: true },
      problems: [{ path: "spec.backup.pgbackrest.repos[1].schedule.full", message: "fires in the same minute as repo1 incr '0 */2 * * *'" }],
    },
  ],
});
