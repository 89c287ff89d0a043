import { test } from "node:test";
import assert from "node:assert/strict";

test("the test suite runs on Node.js 24 (the `node` devDependency), not the machine's Node", () => {
  const major = Number(process.versions.node.split(".")[0]);
  assert.ok(major >= 24, `running on Node ${process.version}; npm scripts should put node_modules/.bin/node (24) first on PATH`);
});
