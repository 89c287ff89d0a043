import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { scheduleSourcesOf as scheduleSources } from "../../../src/operators/index.ts";
import { scheduleRules } from "../../../src/rules/schedule/index.ts";
import type { Resource } from "../../../src/engine/types.ts";
import { cpoCluster, scheduledBackup } from "./fixtures.ts";
import { checkRule } from "../../../src/rules/define.ts";

describe("scheduleSources", () => {
  it("finds the ScheduledBackup schedule, with suspend", () => {
    assert.deepEqual(scheduleSources(scheduledBackup("0 0 0 * * *", { suspend: true })), [
      {
        path: "spec.schedule",
        text: "0 0 0 * * *",
        value: "0 0 0 * * *",
        dialect: "robfig-v1",
        role: "base",
        subject: "this ScheduledBackup's backups",
        rejectedBy: "CNPG's admission webhook rejects the ScheduledBackup with this message, and the controller cannot schedule it",
        suspended: true,
        note: " Note: spec.suspend is true, so CNPG currently takes no scheduled backups at all.",
      },
    ]);
  });

  it("finds every CPO full/incr/diff with repo index and name, ignoring other keys and empty strings (cpo-schedule-keys)", () => {
    const sources = scheduleSources(cpoCluster([{ full: "30 2 * * *", incr: "", other: "x" }, { diff: 5 }]));
    assert.deepEqual(
      sources.map((s) => [s.path, s.text, s.role, s.repoIndex, s.repoName, s.dialect]),
      [
        ["spec.backup.pgbackrest.repos[0].schedule.full", "30 2 * * *", "full", 0, "repo1", "kubernetes"],
        ["spec.backup.pgbackrest.repos[1].schedule.diff", null, "diff", 1, "repo2", "kubernetes"],
      ],
    );
  });

  it("tolerates wrong types anywhere", () => {
    const weird: unknown[] = [
      null,
      "x",
      { apiVersion: 5, kind: "ScheduledBackup", metadata: {} },
      { apiVersion: "postgresql.cnpg.io/v1", kind: "ScheduledBackup", metadata: {}, spec: [] },
      { apiVersion: "cpo.opensource.cybertec.at/v1", kind: "postgresql", metadata: {}, spec: { backup: { pgbackrest: { repos: [null, 3, { schedule: "x" }, { schedule: [] }] } } } },
      { apiVersion: "cpo.opensource.cybertec.at/v1", kind: "postgresql", metadata: {}, spec: "x" },
    ];
    for (const r of weird) {
      assert.deepEqual(scheduleSources(r as Resource), []);
      for (const rule of scheduleRules) {
        assert.doesNotThrow(() => checkRule(rule, r as Resource, { params: {}, policy: { rpoSeconds: 300 }, lookups: {} as never, now: new Date(), operation: "CREATE" }));
      }
    }
  });

  it("registers the four rules in order", () => {
    assert.deepEqual(scheduleRules.map((r) => r.meta.id), ["schedule-syntax", "schedule-never-fires", "schedule-too-frequent", "schedule-too-rare"]);
  });
});
