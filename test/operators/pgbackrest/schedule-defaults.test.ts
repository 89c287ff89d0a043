import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Resource } from "../../../src/engine/types.ts";
import { firstCommonMinute, parseSchedule, type CronSchedule } from "../../../src/cron/index.ts";
import { isObject } from "../../../src/util/object.ts";
import { addDefaultSchedules, fullTemplateParam, type DefaultedRepo, type ScheduleDefaults } from "../../../src/operators/pgbackrest/schedule-defaults.ts";
import { FIXED_NOW } from "../../helpers/rule-tester.ts";

type Repo = DefaultedRepo & { name?: string; shared?: boolean };
type Key = "full" | "incr";

const resource: Resource = { apiVersion: "x/v1", kind: "X", metadata: { namespace: "ns", name: "db" } };
function repos(...maps: unknown[]): Repo[] {
  return maps.map((m, i) => {
    const obj = { name: `repo${i + 1}`, ...(m === undefined ? {} : { plan: m }) };
    return { obj, path: `spec.repos[${i}]`, name: obj.name };
  });
}
function defaults(over: Partial<ScheduleDefaults<Repo, Key>> = {}): ScheduleDefaults<Repo, Key> {
  return { field: "plan", keys: ["full", "incr"], templates: { full: "H H(1-4) * * *", incr: "" }, repoName: (r) => r.name, backupType: (k) => k, now: FIXED_NOW, ...over };
}
const parsed = (text: unknown): CronSchedule => {
  const p = parseSchedule(String(text), "kubernetes");
  assert.ok(p.ok);
  return p.schedule;
};

describe("fullTemplateParam", () => {
  it("is a non-empty string defaulting to daily between 01:00 and 04:59 UTC", () => {
    assert.deepEqual(fullTemplateParam("d"), { type: "string", minLength: 1, default: "H H(1-4) * * *", description: "d" });
  });
});

describe("addDefaultSchedules", () => {
  it("adds full to every repo without one, spread by repo, and writes the map back", () => {
    const rs = repos(undefined, { incr: "0 * * * *" }, { full: "0 1 * * *" });
    const notes = addDefaultSchedules(resource, rs, defaults());
    assert.deepEqual(notes.map((n) => [n.path, n.why]), [
      ["spec.repos[0].plan.full", "repo1 had no full schedule"],
      ["spec.repos[1].plan.full", "repo2 had no full schedule"],
    ]);
    assert.equal((rs[0]!.obj as any).plan.full, notes[0]!.value);
    assert.equal((rs[1]!.obj as any).plan.incr, "0 * * * *");
    assert.equal((rs[2]!.obj as any).plan.full, "0 1 * * *");
    // The H tokens come from <ns>/<name>/<repo>/<type>: the same input gives the same schedule.
    assert.deepEqual(addDefaultSchedules(resource, repos(undefined), defaults())[0]!.value, notes[0]!.value);
  });
  it("adds the other keys only with a template and when unset; a new one shares no minute with the repo's others", () => {
    const rs = repos({ incr: "5 * * * *" }, undefined);
    const notes = addDefaultSchedules(resource, rs, defaults({ templates: { full: "H H(1-4) * * *", incr: "H * * * *" } }));
    assert.deepEqual(notes.map((n) => n.path), ["spec.repos[0].plan.full", "spec.repos[1].plan.full", "spec.repos[1].plan.incr"]);
    const plan = (rs[1]!.obj as any).plan;
    assert.equal(firstCommonMinute(parsed(plan.full), parsed(plan.incr), FIXED_NOW), null);
  });
  it("spreads a new schedule away from the shared list and adds it there", () => {
    const shared: CronSchedule[] = [];
    const rs = repos(undefined, undefined);
    const notes = addDefaultSchedules(resource, rs, defaults({ templates: { full: "H 1 * * *" }, sharedWith: () => shared }));
    assert.equal(shared.length, 2);
    assert.notEqual(notes[0]!.value, notes[1]!.value);
  });
  it("leaves alone repos without a name, with a map of the wrong type, or not a map", () => {
    const rs: Repo[] = [...repos("x", [1]), { path: "spec.repos[2]" }, ...repos(undefined).map((r) => ({ ...r, name: undefined }))];
    assert.deepEqual(addDefaultSchedules(resource, rs, defaults()), []);
    assert.equal((rs[0]!.obj as any).plan, "x");
    assert.ok(!isObject((rs[3]!.obj as any).plan));
  });
  it("throws for a template that gives a schedule shorter than minLength", () => {
    assert.throws(() => addDefaultSchedules(resource, repos(undefined), defaults({ templates: { full: "@daily" }, minLength: 7 })), /minLength 7/);
  });
});
