import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule as incrementalInterval } from "../../../../src/operators/cpo/rules/incremental-interval.ts";
import { rule as scheduleCollision } from "../../../../src/operators/cpo/rules/schedule-collision.ts";
import { backup, cluster, good, s3Repo } from "./fixtures.ts";

const S0 = "spec.backup.pgbackrest.repos[0].schedule";

function withSchedule(schedule: unknown, ...more: unknown[]) {
  return cluster(backup([s3Repo(1, schedule), ...more.map((s, i) => s3Repo(i + 2, s))]));
}

ruleTester(incrementalInterval, {
  valid: [
    { resource: good() },
    { name: "weekly full, incr Mon-Sat (2d gap)", resource: withSchedule({ full: "30 2 * * 0", incr: "0 3 * * 1-6" }) },
    { name: "weekly full, daily diff", resource: withSchedule({ full: "0 1 * * 0", diff: "0 1 * * 1-6" }) },
    { name: "incr without full: still bounded", resource: withSchedule({ incr: "*/30 * * * *" }) },
    { name: "unparseable incr: schedule-syntax's job", resource: withSchedule({ full: "30 2 * * *", incr: "TZ=UTC 0 * * * *" }) },
    { name: "6-field incr: schedule-syntax's job", resource: withSchedule({ full: "30 2 * * *", incr: "0 0 * * * *" }) },
    { name: "schedule wrong type", resource: withSchedule(5) },
  ],
  invalid: [
    {
      name: "incr daily like the full",
      resource: withSchedule({ full: "30 2 * * *", incr: "0 3 * * *" }),
      problems: [{ path: `${S0}.incr`, message: "not more frequent than full" }],
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
      name: "an unusable minInterval (overflows) falls back to the default, as the schedule rules do",
      resource: withSchedule({ full: "30 2 * * *", incr: "* * * * *" }),
      params: { minInterval: "99999999999999999999d" },
      problems: [{ message: "minInterval 5m" }],
    },
  ],
});

ruleTester(scheduleCollision, {
  valid: [
    { resource: good() },
    { name: "full at :30, incr at :15/:45", resource: withSchedule({ full: "30 2 * * *", incr: "15,45 * * * *" }) },
    { name: "same string on different weekdays", resource: withSchedule({ full: "30 2 * * 0", diff: "30 2 * * 1-6" }) },
    { name: "different repos by default", resource: withSchedule({ full: "30 2 * * *" }, { full: "30 2 * * *" }) },
    { name: "@every counts from creation: not compared", resource: withSchedule({ full: "@every 24h", incr: "@hourly" }) },
    { name: "dom and dow OR never meet a month", resource: withSchedule({ full: "0 0 31 2 *", incr: "0 0 1 * *" }) },
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
    { name: "@every 1m meets everything", resource: withSchedule({ full: "30 2 * * *", incr: "@every 1m" }), problems: [{ path: `${S0}.incr`, message: "02:30 UTC" }] },
    {
      name: "three types, all at midnight",
      resource: withSchedule({ full: "@weekly", incr: "@daily", diff: "@midnight" }),
      problems: [{ path: `${S0}.incr` }, { path: `${S0}.diff` }, { path: `${S0}.diff` }],
    },
  ],
});
