// Turning PATH arguments into texts: files, directories (recursive) and `-` for stdin.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { MAX_FILES, MAX_INPUT_BYTES } from "./limits.ts";
import { STDIN_SOURCE, type InputError, type ParsedSource } from "./types.ts";
import { parseManifests, type ParseOutcome } from "./parse.ts";
import { parseManifestsFast } from "./fast-parse.ts";

const MANIFEST_FILE = /\.(ya?ml|json)$/i;
const SKIPPED_DIRS = new Set(["node_modules"]);

export interface SourceText {
  source: string;
  text: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: InputError };

function fsMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    default:
      return String(e?.message ?? err);
  }
}

function tooBig(source: string, bytes: number): InputError {
  return { source, message: `file is ${bytes} bytes, larger than the ${MAX_INPUT_BYTES}-byte limit` };
}

/** Files under a directory: `*.yaml|*.yml|*.json`, sorted by name, skipping dot-directories and node_modules. */
function walk(dir: string, out: string[]): InputError | undefined {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    return { source: dir, message: `cannot read directory: ${fsMessage(err)}` };
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith(".") || SKIPPED_DIRS.has(entry.name)) continue;
      const err = walk(path, out);
      if (err) return err;
    } else if ((entry.isFile() || entry.isSymbolicLink()) && MANIFEST_FILE.test(entry.name)) {
      out.push(path);
      if (out.length > MAX_FILES) return { source: dir, message: `more than ${MAX_FILES} manifest files; point at a smaller directory` };
    }
  }
  return undefined;
}

/** Expands PATH arguments into file paths (and `-`), in argument order. */
export function expandPaths(paths: readonly string[]): Outcome<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    if (p === "-") {
      out.push(p);
      continue;
    }
    let stat;
    try {
      stat = statSync(p);
    } catch (err) {
      return { ok: false, error: { source: p, message: fsMessage(err) } };
    }
    if (stat.isDirectory()) {
      const err = walk(p, out);
      if (err) return { ok: false, error: err };
    } else out.push(p);
  }
  return { ok: true, value: out };
}

export function readFileText(path: string): Outcome<string> {
  try {
    const size = statSync(path).size;
    if (size > MAX_INPUT_BYTES) return { ok: false, error: tooBig(path, size) };
    return { ok: true, value: readFileSync(path, "utf8") };
  } catch (err) {
    return { ok: false, error: { source: path, message: `cannot read: ${fsMessage(err)}` } };
  }
}

/** Reads a stream to the end as UTF-8, refusing more than the size limit. */
export async function readStream(stream: AsyncIterable<Buffer | string>): Promise<Outcome<string>> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > MAX_INPUT_BYTES) return { ok: false, error: tooBig(STDIN_SOURCE, size) };
      chunks.push(buf);
    }
  } catch (err) {
    return { ok: false, error: { source: STDIN_SOURCE, message: `cannot read: ${String((err as Error)?.message ?? err)}` } };
  }
  return { ok: true, value: Buffer.concat(chunks).toString("utf8") };
}

/**
 * Parses one source: the fast parser when the YAML documents need not be kept for editing, and the full `yaml`
 * parser otherwise, or whenever the fast one declines (errors, aliases, Lists).
 */
export function parseSource(text: string, source: string, editable: boolean): ParseOutcome {
  const fast = editable ? undefined : parseManifestsFast(text, source);
  return fast ? { ok: true, parsed: fast } : parseManifests(text, source);
}

/** Reads and parses every input. The first error stops everything: a CI run must not half-validate. */
export async function loadSources(
  paths: readonly string[],
  readStdin: () => Promise<Outcome<string>>,
  options: { editable?: boolean } = {},
): Promise<Outcome<ParsedSource[]>> {
  const files = expandPaths(paths);
  if (!files.ok) return files;
  const parsed: ParsedSource[] = [];
  let stdinUsed = false;
  for (const file of files.value) {
    let text: Outcome<string>;
    if (file === "-") {
      if (stdinUsed) return { ok: false, error: { source: STDIN_SOURCE, message: "`-` (stdin) given more than once" } };
      stdinUsed = true;
      text = await readStdin();
    } else text = readFileText(file);
    if (!text.ok) return text;
    const source = file === "-" ? STDIN_SOURCE : file;
    const outcome = parseSource(text.value.replace(/^\uFEFF/, ""), source, options.editable ?? false);
    if (!outcome.ok) return { ok: false, error: outcome.error };
    parsed.push(outcome.parsed);
  }
  return { ok: true, value: parsed };
}
