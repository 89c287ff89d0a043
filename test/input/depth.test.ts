import { test } from "node:test";
import assert from "node:assert/strict";
import { exceedsDepth, jsonDepth } from "../../src/input/depth.ts";

const nested = (n: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

test("jsonDepth counts objects and arrays alike, scalars as 0", () => {
  assert.equal(jsonDepth("x", 10), 0);
  assert.equal(jsonDepth(null, 10), 0);
  assert.equal(jsonDepth({}, 10), 1);
  assert.equal(jsonDepth([[], { a: { b: [1] } }], 10), 4);
  for (const n of [1, 7, 50]) assert.equal(jsonDepth(nested(n), 100), n);
});

test("jsonDepth stops at limit + 1 and does not recurse", () => {
  assert.equal(jsonDepth(nested(100_000), 100), 101);
  assert.equal(jsonDepth(nested(101), 100), 101);
  assert.equal(jsonDepth(nested(100), 100), 100);
});

test("jsonDepth sees own keys only, including a parsed __proto__ key", () => {
  const v = JSON.parse('{"__proto__": {"a": {"b": {}}}}');
  assert.equal(jsonDepth(v, 10), 4);
});

test("exceedsDepth is jsonDepth > limit, never true for a scalar", () => {
  assert.equal(exceedsDepth(nested(3), 3), false);
  assert.equal(exceedsDepth(nested(4), 3), true);
  assert.equal(exceedsDepth({}, 0), true);
  assert.equal(exceedsDepth("x", 0), false);
  assert.equal(exceedsDepth("x", -1), false);
});
