import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { scheduleSources } from "../../../src/operators/pgo/sources.ts";
import { operator } from "../../../src/operators/pgo/index.ts";
import { cluster, pgbackrest, s3Repo, volumeRepo } from "./fixtures.ts";

describe("pgo scheduleSources", () => {
  it("reports every schedules key of every repo in the kubernetes dialect, with role, repo and path", () => {
    const r = cluster({ pgbackrest: pgbackrest([volumeRepo(1, { full: "0 1 * * 0", incremental: "30 * * * *" }), s3Repo(2, { differential: 5 })]) });
    const s = scheduleSources(r);
    assert.deepEqual(
      s.map((x) => [x.path, x.role, x.dialect, x.repoIndex, x.repoName, x.text]),
      [
        ["spec.backups.pgbackrest.repos[0].schedules.full", "full", "kubernetes", 0, "repo1", "0 1 * * 0"],
        ["spec.backups.pgbackrest.repos[0].schedules.incremental", "incr", "kubernetes", 0, "repo1", "30 * * * *"],
        ["spec.backups.pgbackrest.repos[1].schedules.differential", "diff", "kubernetes", 1, "repo2", null],
      ],
    );
    assert.equal(s[0]!.subject, "repo1 full backups");
    assert.equal(s[0]!.suspended, undefined);
  });
  it("marks schedules of a standby or a shut-down cluster as suspended, with a note", () => {
    const standby = scheduleSources(cluster({ pgbackrest: pgbackrest([s3Repo(1)]) }, { standby: { repoName: "repo1" } }));
    assert.ok(standby.every((x) => x.suspended && x.note?.includes("spec.standby.enabled")));
    const down = scheduleSources(cluster({ pgbackrest: pgbackrest([s3Repo(1)]) }, { shutdown: true }));
    assert.ok(down.every((x) => x.suspended && x.note?.includes("spec.shutdown")));
    const disabled = scheduleSources(cluster({ pgbackrest: pgbackrest([s3Repo(1)]) }, { standby: { enabled: false, host: "h" } }));
    assert.ok(disabled.every((x) => !x.suspended));
  });
  it("ignores other kinds, wrong types, and repos beyond the 100th", () => {
    assert.deepEqual(scheduleSources({ apiVersion: "cpo.opensource.cybertec.at/v1", kind: "postgresql", metadata: {}, spec: {} }), []);
    assert.deepEqual(scheduleSources(cluster({ pgbackrest: { repos: "x" } })), []);
    assert.deepEqual(scheduleSources(cluster({ pgbackrest: { repos: [null, 3, { schedules: "x" }] } })), []);
    const many = cluster({ pgbackrest: { repos: Array.from({ length: 10_000 }, () => s3Repo(1, { full: "0 1 * * *" })) } });
    assert.equal(scheduleSources(many).length, 100);
  });
  it("is what the operator entry exports", () => {
    assert.equal(operator.scheduleSources, scheduleSources);
    assert.equal(operator.name, "pgo");
    assert.deepEqual(operator.kinds[0]!.versions, ["v1", "v1beta1"]);
    assert.deepEqual(operator.lookupKinds?.[0]?.versions, ["v1beta1", "v1"]);
    assert.ok(operator.rules.every((r) => r.meta.id.startsWith("pgo-")));
    assert.equal(new Set(operator.rules.map((r) => r.meta.id)).size, operator.rules.length);
  });
});
