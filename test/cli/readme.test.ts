import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { COMMAND, generateReadme, README, rulesTable } from "../../scripts/gen-readme.ts";
import { allRules } from "../../src/rules/index.ts";

test("README's generated sections (usage, rules, defaults) are current", () => {
  const current = readFileSync(README, "utf8");
  const result = generateReadme(current);
  assert.ok(result.ok, result.ok ? "" : result.message);
  assert.ok(result.text === current, `README.md is out of date: run \`${COMMAND}\` and commit README.md`);
});

test("missing markers are reported, not silently skipped", () => {
  const result = generateReadme("# no markers\n");
  assert.ok(!result.ok);
  assert.match(result.message, /<!-- usage:start -->/);
});

test("the rule table has one row per rule", () => {
  assert.equal(rulesTable().split("\n").length, allRules.length + 2);
});
