// Re-runs the commands shown in docs/cli.md (and README.md's "What it looks like") and rewrites their output, so the
// examples there are real.
// A block is regenerated when it is a ```console block whose first line is `$ pg-backup-guard ...` or
// `$ printf '...' | pg-backup-guard ...`; blocks piping into other programs (jq) are left as written.
// Run: node scripts/gen-cli-docs.ts          (rewrites docs/cli.md and README.md)
//      node scripts/gen-cli-docs.ts --check  (exit 1 when one is stale)
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { main } from "../src/cli/main.ts";

export const CLI_DOCS = fileURLToPath(new URL("../docs/cli.md", import.meta.url));
/** Every file whose console blocks are regenerated. */
export const DOCS_WITH_EXAMPLES = [CLI_DOCS, fileURLToPath(new URL("../README.md", import.meta.url))];
export const CLI_DOCS_COMMAND = "node scripts/gen-cli-docs.ts";
/** The clock the examples run at (schedule next fire times, exemption expiry). */
export const DOCS_NOW = new Date("2026-01-15T12:00:00Z");

/** Splits a shell command line: single quotes literal, double quotes with backslash escapes. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
      inWord = true;
    } else if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === "\\" && (line[i + 1] === '"' || line[i + 1] === "\\")) i++;
        cur += line[i];
        i++;
      }
      inWord = true;
    } else if (c === " " || c === "\t") {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** printf's escapes the docs use. */
function printf(format: string): string {
  return format.replace(/\\(n|t|\\)/g, (_, e: string) => (e === "n" ? "\n" : e === "t" ? "\t" : "\\"));
}

async function runLine(command: string): Promise<string | undefined> {
  const pipe = command.split(" | ");
  let stdin = "";
  let cli: string;
  if (pipe.length === 1) cli = command;
  else if (pipe.length === 2 && pipe[0]!.startsWith("printf ") && pipe[1]!.startsWith("pg-backup-guard ")) {
    stdin = printf(shellWords(pipe[0]!)[1] ?? "");
    cli = pipe[1]!;
  } else return undefined;
  const words = shellWords(cli);
  if (words[0] !== "pg-backup-guard") return undefined;
  let stdout = "";
  let stderr = "";
  const code = await main(words.slice(1), {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdin,
    isTTY: false,
    env: {},
    now: () => DOCS_NOW,
  });
  const body = `${stdout}${stdout !== "" && !stdout.endsWith("\n") ? "\n" : ""}${stderr}`;
  return `${body}${body !== "" && !body.endsWith("\n") ? "\n" : ""}# exit code ${code}\n`;
}

/** docs/cli.md with every regenerable block's output replaced by the command's real output. */
export async function generateCliDocs(text: string): Promise<string> {
  const out: string[] = [];
  const re = /```console\n\$ ([^\n]*)\n([\s\S]*?)```/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const output = await runLine(m[1]!);
    out.push(text.slice(last, m.index));
    out.push(output === undefined ? m[0] : `\`\`\`console\n$ ${m[1]}\n${output}\`\`\``);
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out.join("");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of DOCS_WITH_EXAMPLES) {
    const name = file.slice(file.lastIndexOf("/docs/") >= 0 ? file.lastIndexOf("/docs/") + 1 : file.lastIndexOf("/") + 1);
    const current = readFileSync(file, "utf8");
    const next = await generateCliDocs(current);
    if (process.argv.includes("--check")) {
      if (next !== current) {
        console.error(`${name} is out of date: run ${CLI_DOCS_COMMAND}`);
        process.exitCode = 1;
      }
    } else if (next !== current) {
      writeFileSync(file, next);
      console.log(`gen-cli-docs: ${name} updated`);
    } else console.log(`gen-cli-docs: ${name} is up to date`);
  }
}
