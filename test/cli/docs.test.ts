// docs/cli.md shows real output: every regenerable console block equals what the command prints today.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { CLI_DOCS, CLI_DOCS_COMMAND, generateCliDocs, shellWords } from "../../scripts/gen-cli-docs.ts";

test("docs/cli.md examples are current", async () => {
  const current = readFileSync(CLI_DOCS, "utf8");
  const next = await generateCliDocs(current);
  if (next !== current) {
    const a = current.split("\n");
    const b = next.split("\n");
    const i = a.findIndex((line, n) => line !== b[n]);
    assert.fail(`docs/cli.md is out of date (first difference at line ${i + 1}): run \`${CLI_DOCS_COMMAND}\` and commit docs/cli.md`);
  }
});

test("shellWords splits the way the docs' shell lines mean it", () => {
  assert.deepEqual(shellWords(`pg-backup-guard schedule '0 0 * * *' --dialect cnpg`), ["pg-backup-guard", "schedule", "0 0 * * *", "--dialect", "cnpg"]);
  assert.deepEqual(shellWords(`printf "a\\nb \\"q\\"" x`), ["printf", 'a\\nb "q"', "x"]);
});
