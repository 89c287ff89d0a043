import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { judgeBaseSchedules } from "../../../src/rules/schedule/of.ts";
import { suggestSchedule } from "../../../src/rules/schedule/common.ts";
import { cpoCluster, scheduledBackup } from "./fixtures.ts";

describe("judgeBaseSchedules", () => {
  it("reports the judge's message for each base/full schedule that fires, at its path, with its note", () => {
    const seen: string[] = [];
    const problems = judgeBaseSchedules(scheduledBackup("0 0 0 * * *", { suspend: true }), ({ s, gaps }) => {
      seen.push(s.text);
      return `every ${gaps.shortestGapSeconds}s`;
    });
    assert.deepEqual(seen, ["0 0 0 * * *"]);
    assert.deepEqual(problems.map((p) => [p.path, p.message]), [
      ["spec.schedule", "every 86400s Note: spec.suspend is true, so CNPG currently takes no scheduled backups at all."],
    ]);
  });
  it("asks only about full schedules that fire, and answers not checked for a full still holding a placeholder first", () => {
    const seen: string[] = [];
    const r = cpoCluster([{ full: "0 0 30 2 *", incr: "0 * * * *" }, { full: "${FULL}" }, { full: "0 1 * * *" }]);
    const problems = judgeBaseSchedules(r, ({ s }) => {
      seen.push(s.path);
      return undefined;
    });
    assert.deepEqual(seen, ["spec.backup.pgbackrest.repos[2].schedule.full"]);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.path, "spec.backup.pgbackrest.repos[1].schedule.full");
    assert.equal(problems[0]!.notChecked, true);
  });
});

describe("suggestSchedule", () => {
  it("offers an example within the bounds, else the fallback", () => {
    assert.match(suggestSchedule("kubernetes", 3600, Infinity, "fallback"), /^Write e\.g\. "0 0 \* \* \*" \(.*every 1d\)\.$/);
    assert.equal(suggestSchedule("kubernetes", 0, 60, "fallback"), "fallback");
  });
});
