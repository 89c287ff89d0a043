// cpo-incremental-interval: incr/diff must fire more often than the full, within minInterval..maxInterval.
import { it } from "node:test";
import assert from "node:assert/strict";
import { ruleTester, runCase } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/incremental-interval.ts";
import { good, withSchedule } from "./fixtures.ts";
import { KEYCLOAK, SHOP, WIKI, edit } from "./manifests.ts";

const S0 = "spec.backup.pgbackrest.repos[0].schedule";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "weekly full, incr Mon-Sat (2d gap)", resource: withSchedule({ full: "30 2 * * 0", incr: "0 3 * * 1-6" }) },
    { name: "weekly full, daily diff", resource: withSchedule({ full: "0 1 * * 0", diff: "0 1 * * 1-6" }) },
    { name: "incr without full: still bounded", resource: withSchedule({ incr: "*/30 * * * *" }) },
    { name: "unparseable incr: schedule-syntax's job", resource: withSchedule({ full: "30 2 * * *", incr: "TZ=UTC 0 * * * *" }) },
    { name: "6-field incr: schedule-syntax's job", resource: withSchedule({ full: "30 2 * * *", incr: "0 0 * * * *" }) },
    { name: "schedule wrong type", resource: withSchedule(5) },
    { name: "a placeholder incr: judged once substituted", notChecked: true, resource: withSchedule({ full: "30 2 * * 0", incr: "${INCR_SCHEDULE}" }) },
    { name: "a placeholder full next to an incr", notChecked: true, resource: withSchedule({ full: "${FULL_SCHEDULE:=30 2 * * 0}", incr: "0 3 * * 1-6" }) },
    { name: "a placeholder full alone: nothing to judge", resource: withSchedule({ full: "${FULL_SCHEDULE}" }) },
    { name: "realistic: weekly full, daily diff, 4-hourly incr", resource: SHOP },
    { name: "realistic: daily full, 2-hourly incr; weekly full, daily diff", resource: KEYCLOAK },
    { name: "realistic: @weekly full, hourly incr", resource: WIKI },
    {
      name: "realistic: a CRON_TZ incr is schedule-syntax's",
      resource: edit(SHOP, ({ repos }) => {
        (repos[0]!.schedule as Record<string, unknown>).incr = "CRON_TZ=Europe/Berlin 15 */4 * * *";
      }),
    },
  ],
  invalid: [
    {
      name: "incr daily like the full",
      resource: withSchedule({ full: "30 2 * * *", incr: "0 3 * * *" }),
      problems: [{ path: `${S0}.incr`, message: "not more frequent than full" }],
    },
    {
      name: "one repo judged, the placeholder incr of the other not checked",
      resource: withSchedule({ full: "30 2 * * *", incr: "0 3 * * *" }, { full: "30 2 * * 0", incr: "0 ${HOUR} * * *" }),
      problems: [
        { path: `${S0}.incr`, message: "not more frequent than full" },
        { path: "spec.backup.pgbackrest.repos[1].schedule.incr", message: 'the schedule "0 ${HOUR} * * *"', notChecked: true },
      ],
    },
    { name: "diff weekly, full daily", resource: withSchedule({ full: "30 2 * * *", diff: "0 3 * * 1" }), problems: [{ path: `${S0}.diff` }] },
    { name: "incr every minute", resource: withSchedule({ full: "30 2 * * *", incr: "* * * * *" }), problems: [{ message: "minInterval 5m" }] },
    {
      name: "incr gap above maxInterval",
      resource: withSchedule({ full: "0 0 1 * *", incr: "0 3 * * 1" }),
      problems: [{ message: "maxInterval 2d" }],
    },
    {
      name: "policy bounds",
      resource: withSchedule({ full: "30 2 * * *", incr: "0 */6 * * *" }),
      params: { maxInterval: "1h" },
      problems: [{ message: "6h" }],
    },
    { name: "descriptor", resource: withSchedule({ full: "@daily", incr: "@daily" }), problems: [{ message: "not more frequent" }] },
    {
      name: "realistic: a daily diff next to the daily full of the pvc repo",
      resource: edit(KEYCLOAK, ({ repos }) => {
        (repos[0]!.schedule as Record<string, unknown>).diff = "0 4 * * *";
      }),
      problems: [{ path: `${S0}.diff`, message: "diff '0 4 * * *' is not more frequent than full '0 1 * * *'" }],
    },
    {
      name: "realistic: incr every 2 minutes",
      resource: edit(WIKI, ({ repos }) => {
        (repos[0]!.schedule as Record<string, unknown>).incr = "*/2 * * * *";
      }),
      problems: [{ path: `${S0}.incr`, message: "more often than the policy's minInterval 5m" }],
    },
  ],
});

// The policy schema refuses such a value (so ruleTester does too); the rule must still not break on one.
it("cpo-incremental-interval: an unusable minInterval (overflows) falls back to the default, as the schedule rules do", () => {
  const problems = runCase(rule, { resource: withSchedule({ full: "30 2 * * *", incr: "* * * * *" }), params: { minInterval: "99999999999999999999d" } });
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.message, /minInterval 5m/);
});
