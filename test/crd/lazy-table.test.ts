// The built-in CRD table decoded one type at a time (start-up) gives exactly what a full decode gives, and refuses
// the same bad tables.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { decodeTable, lazyTable } from "../../src/crd/table.ts";

const TEXT = readFileSync(new URL("../../src/crd/builtin-schemas.json", import.meta.url), "utf8");

test("each type decoded on its own equals the full decode, in any lookup order", () => {
  const full = decodeTable(JSON.parse(TEXT));
  assert.ok(full.size > 5);
  const keys = [...full.keys()];
  for (const order of [keys, [...keys].reverse()]) {
    const lazy = lazyTable(JSON.parse(TEXT));
    assert.deepEqual(lazy.keys(), keys);
    for (const k of order) assert.deepEqual(lazy.get(k), full.get(k), k);
    assert.equal(lazy.get("no/such/Kind"), undefined);
  }
});

test("a shared node is decoded once and shared by the types that use it", () => {
  const raw = { about: "", types: { "a/v1/A": { source: "a", schema: { "@": 0 } }, "b/v1/B": { source: "b", schema: { "@": 0 } } }, shared: [{ type: "object" }] };
  const lazy = lazyTable(raw);
  assert.equal(lazy.get("a/v1/A")!.schema, lazy.get("b/v1/B")!.schema);
});

test("bad references and entries are refused when the type is looked up", () => {
  // shared[0] points forward, at shared[1]: a cycle could hide that way, so only earlier nodes may be named.
  const forward = { about: "", types: { "a/v1/A": { source: "a", schema: { "@": 0 } } }, shared: [{ "@": 1 }, { type: "object" }] };
  assert.throws(() => lazyTable(forward).get("a/v1/A"), /bad reference/);
  assert.throws(() => decodeTable(forward), /bad reference/);
  const badEntry = { about: "", types: { "a/v1/A": { schema: {} } }, shared: [] };
  assert.throws(() => lazyTable(badEntry).get("a/v1/A"), /bad entry/);
  assert.throws(() => lazyTable({ types: {} }), /unexpected format/);
});
