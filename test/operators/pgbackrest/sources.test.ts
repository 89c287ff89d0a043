import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Resource } from "../../../src/engine/types.ts";
import { likelyScheduleKey, repoScheduleSources, type RepoScheduleLayout } from "../../../src/operators/pgbackrest/sources.ts";

type Key = "full" | "incremental";
const layout: RepoScheduleLayout<Key> = {
  reposPath: "spec.pg.repos",
  maxRepos: 2,
  field: "schedules",
  keys: ["full", "incremental"],
  role: (k) => (k === "full" ? "full" : "incr"),
  rejectedBy: "refused",
  skipEmpty: false,
};
const resource = (repos: unknown): Resource => ({ apiVersion: "x/v1", kind: "X", metadata: {}, spec: { pg: { repos } } });

describe("repoScheduleSources", () => {
  it("reports each key present, in `keys` order, with its role, repo and path", () => {
    const got = repoScheduleSources(resource([{ name: "repo1", schedules: { incremental: 5, full: "0 1 * * *", other: "x" } }, { schedules: { full: "" } }]), layout);
    assert.deepEqual(got, [
      {
        key: "full",
        source: {
          path: "spec.pg.repos[0].schedules.full",
          text: "0 1 * * *",
          value: "0 1 * * *",
          dialect: "kubernetes",
          role: "full",
          repoIndex: 0,
          subject: "repo1 full backups",
          rejectedBy: "refused",
          repoName: "repo1",
        },
      },
      {
        key: "incremental",
        source: {
          path: "spec.pg.repos[0].schedules.incremental",
          text: null,
          value: 5,
          dialect: "kubernetes",
          role: "incr",
          repoIndex: 0,
          subject: "repo1 incr backups",
          rejectedBy: "refused",
          repoName: "repo1",
        },
      },
      {
        key: "full",
        source: {
          path: "spec.pg.repos[1].schedules.full",
          text: "",
          value: "",
          dialect: "kubernetes",
          role: "full",
          repoIndex: 1,
          subject: "repos[1] full backups",
          rejectedBy: "refused",
        },
      },
    ]);
  });
  it("leaves out empty strings with skipEmpty, repos beyond maxRepos, and wrong types", () => {
    const repos = [{ schedules: { full: "" } }, null, { schedules: { full: "0 1 * * *" } }];
    assert.deepEqual(repoScheduleSources(resource(repos), { ...layout, skipEmpty: true }), []);
    assert.deepEqual(repoScheduleSources(resource("x"), layout), []);
    assert.deepEqual(repoScheduleSources(resource([{ schedules: [] }, { schedules: "x" }]), layout), []);
  });
});

describe("likelyScheduleKey", () => {
  const cpo = [["inc", "incr"], ["dif", "diff"], ["full", "full"]] as const;
  const pgo = [["inc", "incremental"], ["dif", "differential"], ["ful", "full"]] as const;
  it("maps by the first matching prefix, case-insensitively, and base to full", () => {
    assert.equal(likelyScheduleKey("Incremental", cpo), "incr");
    assert.equal(likelyScheduleKey("incr", pgo), "incremental");
    assert.equal(likelyScheduleKey("diff", pgo), "differential");
    assert.equal(likelyScheduleKey("FULLBACKUP", cpo), "full");
    assert.equal(likelyScheduleKey("base", cpo), "full");
    assert.equal(likelyScheduleKey("base", pgo), "full");
  });
  it("knows nothing else; the prefixes are the operator's own (CPO full, PGO ful)", () => {
    assert.equal(likelyScheduleKey("weekly", pgo), undefined);
    assert.equal(likelyScheduleKey("ful", cpo), undefined);
    assert.equal(likelyScheduleKey("ful", pgo), "full");
  });
});
