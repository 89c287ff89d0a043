// docs/cli.md shows real output: every regenerable console block equals what the command prints today.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { CLI_DOCS_COMMAND, DOCS_WITH_EXAMPLES, generateCliDocs, shellWords } from "../../scripts/gen-cli-docs.ts";

for (const file of DOCS_WITH_EXAMPLES) {
  test(`${basename(file)} examples are current`, async () => {
    const current = readFileSync(file, "utf8");
    const next = await generateCliDocs(current);
    if (next !== current) {
      const a = current.split("\n");
      const b = next.split("\n");
      const i = a.findIndex((line, n) => line !== b[n]);
      assert.fail(`${basename(file)} is out of date (first difference at line ${i + 1}): run \`${CLI_DOCS_COMMAND}\` and commit it`);
    }
  });
}

test("shellWords splits the way the docs' shell lines mean it", () => {
  assert.deepEqual(shellWords(`pg-backup-guard schedule '0 0 * * *' --dialect cnpg`), ["pg-backup-guard", "schedule", "0 0 * * *", "--dialect", "cnpg"]);
  assert.deepEqual(shellWords(`printf "a\\nb \\"q\\"" x`), ["printf", 'a\\nb "q"', "x"]);
});
