// Writes schemas/backuppolicy.schema.json and deploy/crds/backuppolicy.yaml from the rule and defaulter
// metadata. Run after changing a rule's or defaulter's params:  node scripts/gen-schema.ts
// `--check` only compares and exits 1 when a file is out of date (what the tests do).
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generatedFiles } from "../src/policy/generate.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");
let stale = 0;
for (const [relative, content] of Object.entries(generatedFiles())) {
  const file = join(root, relative);
  let current: string | undefined;
  try {
    current = readFileSync(file, "utf8");
  } catch {
    current = undefined;
  }
  if (current === content) continue;
  if (check) {
    console.error(`${relative} is out of date`);
    stale++;
  } else {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    console.log(`wrote ${relative}`);
  }
}
if (check && stale > 0) {
  console.error("regenerate with: node_modules/.bin/node scripts/gen-schema.ts");
  process.exit(1);
}
