// Regenerates the generated parts of README.md from the rule and defaulter metadata:
//   <!-- usage:start -->/<!-- usage:end -->       the CLI's --help
//   <!-- rules:start -->/<!-- rules:end -->       the rule table
//   <!-- defaults:start -->/<!-- defaults:end --> the defaults table
// Run: node scripts/gen-readme.ts          (rewrites README.md)
//      node scripts/gen-readme.ts --check  (exit 1 when README.md is stale)
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { allRules } from "../src/rules/index.ts";
import { allDefaulters } from "../src/defaults/index.ts";
import { COMMAND_HELP, MAIN_USAGE } from "../src/cli/usage.ts";
import { SERVE_USAGE } from "../src/cli/serve.ts";
import type { CatalogRule, CatalogDefaulter } from "../src/rules/define.ts";

export const README = fileURLToPath(new URL("../README.md", import.meta.url));
export const COMMAND = "node scripts/gen-readme.ts";

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function kinds(types: readonly string[]): string {
  return [...new Set(types.map((t) => t.slice(t.lastIndexOf("/") + 1)))].join(", ");
}

export function rulesTable(rules: readonly CatalogRule[] = allRules): string {
  const rows = rules.map((r) => `| \`${r.meta.id}\` | ${r.meta.defaultAction} | ${kinds(r.meta.appliesTo)} | ${cell(r.meta.docs.summary)} |`);
  return ["| rule | default | applies to | summary |", "|---|---|---|---|", ...rows].join("\n");
}

export function defaultsTable(defaulters: readonly CatalogDefaulter[] = allDefaulters): string {
  const rows = defaulters.map(
    (d) => `| \`${d.meta.id}\` | ${d.meta.enabledByDefault ? "on" : "off"} | ${kinds(d.meta.appliesTo)} | ${cell(d.meta.description)} |`,
  );
  return ["| default | enabled by default | applies to | what it injects |", "|---|---|---|---|", ...rows].join("\n");
}

/** Every command's --help, so the README names every command and flag. */
export function usageBlock(): string {
  const { validate, mutate, ...rest } = COMMAND_HELP;
  const helps = [MAIN_USAGE, validate!, mutate!, SERVE_USAGE, ...Object.values(rest)];
  return helps.map((h) => ["```", h.trimEnd(), "```"].join("\n")).join("\n\n");
}

export const SECTIONS: Record<string, () => string> = { usage: usageBlock, rules: () => rulesTable(), defaults: () => defaultsTable() };

export type GenerateResult = { ok: true; text: string } | { ok: false; message: string };

/** The README with every generated section replaced; an error naming any missing marker. */
export function generateReadme(readme: string): GenerateResult {
  let text = readme;
  for (const [name, render] of Object.entries(SECTIONS)) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const i = text.indexOf(start);
    const j = text.indexOf(end);
    if (i < 0 || j < i) return { ok: false, message: `README.md has no "${start}" ... "${end}" markers (add them where the ${name} section goes)` };
    text = `${text.slice(0, i + start.length)}\n${render()}\n${text.slice(j)}`;
  }
  return { ok: true, text };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const current = readFileSync(README, "utf8");
  const result = generateReadme(current);
  if (!result.ok) {
    console.error(`gen-readme: ${result.message}`);
    process.exitCode = 2;
  } else if (process.argv.includes("--check")) {
    if (result.text !== current) {
      console.error(`gen-readme: README.md is out of date; run: ${COMMAND}`);
      process.exitCode = 1;
    }
  } else if (result.text !== current) {
    writeFileSync(README, result.text);
    console.log("gen-readme: README.md updated");
  } else console.log("gen-readme: README.md is up to date");
}
