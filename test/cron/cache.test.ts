// src/cron/cache.ts: the bounded memo of the hot paths.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { boundedMemo, GenerationCache } from "../../src/cron/cache.ts";

describe("GenerationCache", () => {
  it("holds at most two generations; an entry used within the last generation survives", () => {
    const c = new GenerationCache<number, string>(3);
    for (let i = 0; i < 10; i++) c.set(i, `v${i}`);
    assert.ok(c.size <= 6);
    assert.equal(c.get(9), "v9");
    assert.equal(c.get(0), undefined, "the oldest entries are gone");
    c.set(10, "v10");
    c.get(7); // an old-generation hit moves to the young one
    for (let i = 11; i < 13; i++) c.set(i, `v${i}`);
    assert.equal(c.get(7), "v7");
  });
});

describe("boundedMemo", () => {
  it("calls the function once per key, undefined answers included, and stays bounded", () => {
    const calls: string[] = [];
    const f = boundedMemo(2, (a: string, b: number) => `${a}/${b}`, (a: string, b: number) => {
      calls.push(`${a}/${b}`);
      return b > 0 ? a.repeat(b) : undefined;
    });
    assert.equal(f("x", 2), "xx");
    assert.equal(f("x", 2), "xx");
    assert.equal(f("x", 0), undefined);
    assert.equal(f("x", 0), undefined);
    assert.deepEqual(calls, ["x/2", "x/0"], "an undefined answer is memoised too");
    for (let i = 1; i <= 6; i++) f("y", i);
    assert.equal(f("x", 2), "xx");
    assert.equal(calls.filter((c) => c === "x/2").length, 2, "evicted after more than two generations of other keys");
  });
});
