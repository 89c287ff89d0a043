import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { effectiveArchiveTimeoutProblems, type ArchiveTimeoutDefault } from "../../src/rules/archive-timeout.ts";

const fallback: ArchiveTimeoutDefault = {
  seconds: 60,
  path: "spec.params",
  applies: "the default of 60s applies",
  loss: "a minute",
  fix: (want) => `Set it to '${want}'.`,
};

describe("effectiveArchiveTimeoutProblems", () => {
  it("unset: nothing when the default is within the rpo, else one problem naming the default and the value to write", () => {
    assert.deepEqual(effectiveArchiveTimeoutProblems(undefined, 60, fallback, { stringsOnly: false }), []);
    assert.deepEqual(effectiveArchiveTimeoutProblems(undefined, 30, fallback, { stringsOnly: false }), [
      {
        path: "spec.params",
        message:
          "archive_timeout is not set, so the default of 60s applies: a quiet database can lose up to a minute of commits, more than the policy's rpo of 30s. Set it to '30s'.",
      },
    ]);
  });
  it("set: judged where it is written, as archiveTimeoutProblems does", () => {
    assert.deepEqual(effectiveArchiveTimeoutProblems({ value: "5min", path: "spec.params.archive_timeout" }, 300, fallback, { stringsOnly: true }), []);
    const [p] = effectiveArchiveTimeoutProblems({ value: 600, path: "spec.params.archive_timeout" }, 300, fallback, { stringsOnly: true });
    assert.equal(p!.path, "spec.params.archive_timeout");
    assert.match(p!.message, /not a string/);
  });
});
