// src/report/parts.ts: a JSON document stringified one array item at a time is the one-call document, byte for byte.
import { test } from "node:test";
import assert from "node:assert/strict";
import { batchParts, ITEMS_HOLE, jsonParts, stringifyAt } from "../../src/report/parts.ts";
import { formatJson, formatJsonParts } from "../../src/report/json.ts";
import { formatSarif, formatSarifParts } from "../../src/report/sarif.ts";
import { allRules } from "../../src/rules/index.ts";
import type { RunReport } from "../../src/report/model.ts";
import { REPORT } from "./fixture.ts";

const ITEMS: unknown[] = [
  { a: 1, b: [1, 2, { c: "x" }], d: {}, e: [], f: null },
  "plain",
  42,
  [[], [{}], "—"],
  { message: "prefer-standby — CNPG", name: "nächtlich-备份-🐘", quote: '"\\u0000" \\ \n\t', lone: "\ud800" },
  { nested: { deeper: { deepest: ["é", "ü", "ß"] } } },
];

test("stringifyAt: an item as it reads inside an indented document, at every depth", () => {
  for (let depth = 1; depth <= 6; depth++) {
    for (const item of ITEMS) {
      let doc: unknown = [item, item];
      for (let d = 1; d < depth; d++) doc = [doc];
      const whole = JSON.stringify(doc, null, 2);
      const at = whole.indexOf(stringifyAt(item, depth));
      assert.ok(at > 0, `depth ${depth}: ${JSON.stringify(item)}`);
      assert.equal(whole.slice(at - 1 - 2 * depth, at), `\n${"  ".repeat(depth)}`);
    }
  }
});

test("jsonParts: the concatenation is JSON.stringify(doc, null, 2) + newline", () => {
  const shapes: [(items: unknown) => object, number][] = [
    [(items) => ({ summary: { n: 1 }, results: items }), 2],
    [(items) => ({ $schema: "x", runs: [{ tool: { rules: [{ id: "r", text: "a — b" }] }, results: items }] }), 4],
    [(items) => ({ a: ITEMS_HOLE.length, results: items }), 2],
  ];
  for (const [shape, depth] of shapes) {
    for (const items of [[], ITEMS.slice(0, 1), ITEMS]) {
      assert.equal(jsonParts(shape(ITEMS_HOLE), items, depth).join(""), `${JSON.stringify(shape(items), null, 2)}\n`);
    }
  }
  // The hole is looked for from the end: the same text earlier in the document is left alone.
  assert.equal(jsonParts({ note: ITEMS_HOLE, results: ITEMS_HOLE }, ["x"], 2).join(""), `${JSON.stringify({ note: ITEMS_HOLE, results: ["x"] }, null, 2)}\n`);
  assert.throws(() => jsonParts({ results: [] }, [], 2), /no items hole/);
});

test("batchParts: same text, batches within the limit, characters above U+00FF never mixed with the rest", () => {
  const parts = ["{", "ab", "—x", "é", "", "cd".repeat(10), "🐘", "y—", "z", "w"];
  assert.deepEqual(batchParts(parts), ["{ab", "—x", `é${"cd".repeat(10)}`, "🐘y—", "zw"]);
  assert.deepEqual(batchParts(parts, 3), ["{ab", "—x", "é", "cd".repeat(10), "🐘", "y—", "zw"]);
  for (const limit of [1, 2, 5, 8, 1 << 20]) {
    const batches = batchParts(parts, limit);
    assert.equal(batches.join(""), parts.join(""));
    for (const b of batches) assert.ok(b.length <= limit || parts.includes(b), `${limit}: ${b} is longer than the limit and not one part`);
  }
  assert.deepEqual(batchParts([]), []);
});

/** The fixture with non-ASCII text everywhere a user or a rule can put it. */
const WIDE_REPORT: RunReport = {
  ...REPORT,
  results: REPORT.results.map((r, i) => ({
    ...r,
    source: `dir/prod—ü/${i}.yaml`,
    name: `nächtlich-备份-🐘-${i}`,
    findings: r.findings.map((f) => ({ ...f, message: `${f.message} — set spec.target: prefer-standby (é, ß, 数据库)` })),
  })),
};

for (const report of [REPORT, WIDE_REPORT]) {
  const label = report === REPORT ? "ASCII" : "non-ASCII";
  test(`json and sarif (${label}): the parts are the canonical indented JSON, non-ASCII text as written`, () => {
    for (const [text, parts] of [
      [formatJson(report), formatJsonParts(report)],
      [formatSarif(report, allRules, "0.1.0"), formatSarifParts(report, allRules, "0.1.0")],
    ] as const) {
      assert.equal(parts.join(""), text);
      assert.equal(batchParts(parts).join(""), text);
      // what one JSON.stringify of the parsed document gives: nothing escaped twice, nothing broken
      assert.equal(`${JSON.stringify(JSON.parse(text), null, 2)}\n`, text);
      assert.doesNotMatch(text, /\\u(2014|00e4|00fc)/i);
    }
    const json = JSON.parse(formatJson(report));
    assert.equal(json.results[0].name, report.results[0]!.name);
    assert.equal(json.results[0].findings[0].message, report.results[0]!.findings[0]!.message);
    const sarif = JSON.parse(formatSarif(report, allRules, "0.1.0"));
    assert.ok(sarif.runs[0].results[0].message.text.endsWith(report.results[0]!.findings[0]!.message));
    assert.equal(sarif.runs[0].results[0].locations[0].logicalLocations[0].name, report.results[0]!.name);
  });
}
