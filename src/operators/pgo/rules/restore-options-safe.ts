import type { Resource } from "../../../engine/types.ts";
import { BoundedProblems, problem } from "../../../rules/util.ts";
import { getPath } from "../../../util/object.ts";
import { APPLIES_TO, PGBACKREST_PATH, show } from "../model.ts";
import { CONTROLLER_PGBACKREST, PGBACKREST_CONFIG, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

/** Options PGO refuses in restore and data-source options (it sets them itself). */
export const OPERATOR_FLAGS: ReadonlySet<string> = new Set(["--repo", "--stanza", "--pg1-path", "--target-action", "--link-map"]);
/** PGO's own flag matcher (`--[^ =]+`, pgbackrest.go L1197). */
const FLAG = /--[^ =]+/g;

/** Lists of restore options: the in-place restore and both data sources. */
const RESTORE_LISTS = [
  `${PGBACKREST_PATH}.restore.options`,
  "spec.dataSource.postgresCluster.options",
  "spec.dataSource.pgbackrest.options",
] as const;
const MANUAL_LIST = `${PGBACKREST_PATH}.manual.options`;
/** At most this many entries of one list are read (a restore takes a handful). */
const MAX_OPTIONS = 200;

/**
 * What bash would do with the option text beyond passing words to pgbackrest, or undefined. The options are joined
 * into `bash -xc "pgbackrest restore ${opts}"`, so they are shell code: quotes are fine (and needed for values with
 * spaces), command separators, redirections, substitutions and an unclosed quote are not.
 */
export function shellProblem(text: string): string | undefined {
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      continue;
    }
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "`") return "a backtick (command substitution)";
    if (c === "$" && (text[i + 1] === "(" || text[i + 1] === "{")) return `"$${text[i + 1]}" (a substitution)`;
    if (quote === '"') {
      if (c === '"') quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "\n" || c === "\r") return "a line break";
    else if (";|&<>".includes(c)) return `'${c}' outside quotes`;
  }
  return quote ? `an unclosed ${quote === "'" ? "single" : "double"} quote` : undefined;
}

function optionsAt(resource: Resource, path: string): unknown[] | undefined {
  const v = getPath(resource, path);
  return Array.isArray(v) ? v.slice(0, MAX_OPTIONS) : undefined;
}

export const rule = defineRule({
  meta: {
    id: "pgo-restore-options-safe",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "Restore and data-source options must not set --repo, --stanza, --pg1-path, --target-action or --link-map, nor contain shell syntax; manual options must not set --repo.",
      rationale:
        "PGO sets --stanza, --pg1-path and --repo of a restore itself and refuses user options naming any of the five flags: it records a " +
        `Warning event InvalidDataSource and skips the restore (${operatorCode(CONTROLLER_PGBACKREST, 1195, 1226)}). For a manual backup it ` +
        `refuses --repo (event InvalidManualBackup, no backup: ${operatorCode(CONTROLLER_PGBACKREST, 2506, 2520)}). The user's restore options ` +
        `are not quoted: they are joined into \`bash -xc "pgbackrest restore \${opts}"\` (${operatorCode(CONTROLLER_PGBACKREST, 1229, 1268)}, ` +
        `${operatorCode(PGBACKREST_CONFIG, 262, 269)}), so ;, |, &, redirections, $( ) and backticks run commands in the restore pod, and an unclosed ` +
        "quote makes the restore fail. Quotes around a value with spaces (--target=\"2024-05-16 07:46:05+00\") are right and accepted.",
      bad: "restore:\n  enabled: true\n  repoName: repo1\n  options: ['--repo=2', '--type=time', '--target=2024-05-16 07:46:05+00; rm -rf /pgdata']",
      good: "restore:\n  enabled: true\n  repoName: repo2\n  options: ['--type=time', '--target=\"2024-05-16 07:46:05+00\"']",
      fix: "Choose the repo with repoName, leave stanza, pg1-path, target-action and link-map to PGO, and write values with spaces in double quotes.",
    },
  },
  check(resource) {
    const listed = new BoundedProblems();
    for (const base of RESTORE_LISTS) {
      const options = optionsAt(resource, base);
      if (!options) continue;
      for (const [i, option] of options.entries()) {
        if (typeof option !== "string") continue; // the CRD rejects non-strings
        const path = `${base}[${i}]`;
        const flags = option.match(FLAG) ?? [];
        const refused = flags.find((f) => OPERATOR_FLAGS.has(f));
        if (refused) {
          const hint = refused === "--repo" ? " Choose the repo with repoName instead." : "";
          listed.add(() => problem(path, `option ${show(option.length > 80 ? `${option.slice(0, 77)}...` : option)} sets ${refused}, which PGO sets itself: it refuses the options with a Warning event InvalidDataSource and does not restore at all.${hint} Remove it.`));
          continue;
        }
        const bad = shellProblem(option);
        if (bad) {
          listed.add(() => problem(path, `option ${show(option.length > 80 ? `${option.slice(0, 77)}...` : option)} contains ${bad}: PGO runs restore options unquoted through bash -xc, so this breaks the restore or runs commands in the restore pod. Quote values in double quotes and remove shell syntax.`));
        }
      }
    }
    for (const [i, option] of (optionsAt(resource, MANUAL_LIST) ?? []).entries()) {
      if (typeof option !== "string") continue;
      if (option.includes("--repo=") || option.includes("--repo ") || option === "--repo") {
        listed.add(() => problem(`${MANUAL_LIST}[${i}]`, `manual backup option ${show(option.length > 80 ? `${option.slice(0, 77)}...` : option)} sets --repo: PGO refuses it with a Warning event InvalidManualBackup and takes no backup. Choose the repo with manual.repoName instead.`));
      }
    }
    return listed.finish("spec", "options with a problem");
  },
});
