// cpo-schedule-collision on the pairs of bench/mixes.ts (issue 13): the day-disjoint pairs people write (weekly full,
// daily incr at the same time) stay silent, rare meetings are found exactly, and the pairwise work is bounded.
import { it } from "node:test";
import assert from "node:assert/strict";
import { ruleTester, runCase } from "../../../helpers/rule-tester.ts";
import { rule as scheduleCollision } from "../../../../src/operators/cpo/rules/schedule-collision.ts";
import { backup, cluster, s3Repo } from "./fixtures.ts";

const S0 = "spec.backup.pgbackrest.repos[0].schedule";
const withSchedule = (...schedules: unknown[]) => cluster(backup(schedules.map((s, i) => s3Repo(i + 1, s))));

ruleTester(scheduleCollision, {
  valid: [
    { name: "operator docs: weekly full, incr Mon-Sat at the same time", resource: withSchedule({ full: "30 2 * * 0", incr: "30 2 * * 1-6" }) },
    { name: "the 31st vs the 30th", resource: withSchedule({ full: "0 1 31 1,3 *", incr: "0 1 30 * *" }) },
    { name: "every third day, shifted", resource: withSchedule({ full: "0 0 1-31/3 * *", incr: "0 0 2-31/3 * *", diff: "0 0 3-31/3 * *" }) },
    { name: "never fires at all", resource: withSchedule({ full: "0 1 31 2,4 *", incr: "0 1 30 2 *" }) },
    {
      name: "across repos: disjoint days in one repo, another hour in the other",
      resource: withSchedule({ full: "0 2 * * 0", incr: "0 2 * * 1-6" }, { full: "0 4 * * *" }),
      params: { acrossRepos: true },
    },
  ],
  invalid: [
    {
      name: "Feb 29 vs Mondays in February: 2044",
      resource: withSchedule({ full: "0 0 29 2 *", incr: "0 0 * 2 1" }),
      problems: [{ path: `${S0}.incr`, message: "first at 2044-02-29 00:00 UTC" }],
    },
    {
      name: "steps that meet once a day: 5/11 vs 3/7 at minute 38",
      resource: withSchedule({ full: "3/7 5 * * *", incr: "5/11 5 * * *" }),
      problems: [{ path: `${S0}.incr`, message: "2026-11-23 05:38 UTC" }],
    },
  ],
});

it("compares at most 4 repos (the operator uses repo1..repo4), quickly, for any number of repos", () => {
  const many = cluster(backup(Array.from({ length: 5000 }, (_, i) => s3Repo(i + 1, { full: "30 2 * * *", incr: "*/30 * * * *" }))));
  const t0 = performance.now();
  const problems = runCase(scheduleCollision, { resource: many, params: { acrossRepos: true } });
  const ms = performance.now() - t0;
  // 4 repos x 2 schedules, every pair collides: 8 * 7 / 2.
  assert.equal(problems.length, (8 * 7) / 2);
  assert.ok(ms < 2000, `${ms} ms`);
});
