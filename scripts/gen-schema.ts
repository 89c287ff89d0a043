// Writes schemas/backuppolicy.schema.json, deploy/crds/backuppolicy.yaml and its copy in the Helm chart
// (charts/pg-backup-guard/crds/, which cannot reference files outside the chart) from the rule and defaulter
// metadata. Run after changing a rule's or defaulter's params:  node scripts/gen-schema.ts
// `--check` only compares and exits 1 when a file is out of date (what the tests do).
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CRD_FILE, generatedFiles } from "../src/policy/generate.ts";

/** The chart's copy of the CRD: byte for byte the same as CRD_FILE (test/deploy checks it too). */
const CHART_CRD_FILE = "charts/pg-backup-guard/crds/backuppolicy.yaml";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");
let stale = 0;
const files = generatedFiles();
files[CHART_CRD_FILE] = files[CRD_FILE]!;
for (const [relative, content] of Object.entries(files)) {
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
