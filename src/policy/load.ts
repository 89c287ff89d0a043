// Reading BackupPolicy text and files: multi-document YAML or JSON, every mistake an error value with a line.
import { readdirSync, statSync } from "node:fs";
import { readRegularFile } from "../util/read-file.ts";
import { join } from "node:path";
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from "yaml";
import type { PolicyDocument, PolicyError, PolicyParseResult } from "./document.ts";
import { MAX_DEPTH, validatePolicyObject, type Locate } from "./validate.ts";
import type { CatalogRule, CatalogDefaulter } from "../rules/define.ts";

/** Policy files are small; anything larger is a mistake (a wrong path), refused before parsing. */
export const MAX_POLICY_BYTES = 1024 * 1024;
/** YAML aliases a document may expand (guards against "billion laughs"). */
export const MAX_ALIASES = 100;

export interface LoadOptions {
  /** The rule and defaulter catalogs to validate against (tests); the real ones by default. */
  rules?: readonly CatalogRule[];
  defaulters?: readonly CatalogDefaulter[];
}

/** Deepest bracket nesting of flow collections, counted on the raw text (cheap, and before the parser recurses). */
function flowDepth(text: string): { depth: number; offset: number } {
  let depth = 0;
  let max = 0;
  let offset = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 91 || ch === 123) {
      if (++depth > max) {
        max = depth;
        offset = i;
        if (max > MAX_DEPTH) break;
      }
    } else if ((ch === 93 || ch === 125) && depth > 0) depth--;
  }
  return { depth: max, offset };
}

function keyText(node: unknown): string | undefined {
  return isScalar(node) ? String(node.value) : undefined;
}

/** A `Locate` for one parsed document: walks the YAML nodes along the path and returns the best line found. */
function locator(doc: Document, lines: LineCounter): Locate {
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lines.linePos(offset).line);
  return (path, key) => {
    let node: unknown = doc.contents;
    let best = lineOf((node as Node | null)?.range?.[0]);
    for (let i = 0; i < path.length; i++) {
      if (isAlias(node)) node = node.resolve(doc);
      const seg = path[i]!;
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === seg);
        if (!pair) return best;
        const keyLine = lineOf((pair.key as Node | null)?.range?.[0]);
        best = keyLine ?? best;
        if (i === path.length - 1 && key) return best;
        node = pair.value;
      } else if (isSeq(node)) {
        node = node.items[Number(seg)];
      } else return best;
      best = lineOf((node as Node | null)?.range?.[0]) ?? best;
    }
    return best;
  };
}

function sizeError(source: string, bytes: number): PolicyError {
  return {
    source,
    path: "",
    message: `the policy is ${(bytes / 1024 / 1024).toFixed(1)} MiB; a BackupPolicy file may be at most ${MAX_POLICY_BYTES / 1024 / 1024} MiB (is this the right file?)`,
  };
}

function duplicateErrors(policies: readonly PolicyDocument[]): PolicyError[] {
  const first = new Map<string, PolicyDocument>();
  const errors: PolicyError[] = [];
  for (const p of policies) {
    const seen = first.get(p.name);
    if (!seen) first.set(p.name, p);
    else {
      const e: PolicyError = {
        source: p.source,
        path: "metadata.name",
        message: `a policy named "${p.name}" is already defined at ${seen.source}${seen.line !== undefined ? `:${seen.line}` : ""}; policy names must be unique`,
      };
      if (p.line !== undefined) e.line = p.line;
      errors.push(e);
    }
  }
  return errors;
}

/**
 * Parses and validates the BackupPolicy documents in a YAML or JSON text. Never throws: malformed YAML, a
 * document that is not a BackupPolicy, and every schema violation come back as errors with lines.
 */
export function parsePolicyText(text: string, source: string, options: LoadOptions = {}): PolicyParseResult {
  if (typeof text !== "string") return { ok: false, errors: [{ source, path: "", message: "the policy is not text" }] };
  if (text.length > MAX_POLICY_BYTES) return { ok: false, errors: [sizeError(source, Buffer.byteLength(text))] };
  const flow = flowDepth(text);
  if (flow.depth > MAX_DEPTH) {
    const line = text.slice(0, flow.offset).split("\n").length;
    return { ok: false, errors: [{ source, line, path: "", message: `brackets nest more than ${MAX_DEPTH} levels deep; a BackupPolicy never does` }] };
  }
  const lines = new LineCounter();

  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true }) as Document.Parsed[];
  } catch (err) {
    return { ok: false, errors: [{ source, path: "", message: `cannot parse the YAML: ${String(err)}` }] };
  }

  const errors: PolicyError[] = [];
  const policies: PolicyDocument[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pe: PolicyError = { source, path: "", message: `invalid YAML: ${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}` };
        const line = e.linePos?.[0]?.line ?? (e.pos ? lines.linePos(e.pos[0]).line : undefined);
        if (line !== undefined) pe.line = line;
        errors.push(pe);
      }
      continue;
    }
    const contents = doc.contents as Node | null;
    if (contents === null || (isScalar(contents) && contents.value === null)) continue; // an empty document
    const line = contents.range ? lines.linePos(contents.range[0]).line : undefined;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (err) {
      errors.push({ source, ...(line !== undefined ? { line } : {}), path: "", message: `cannot read the document: ${(err as Error).message}` });
      continue;
    }
    const result = validatePolicyObject(value, source, { locate: locator(doc, lines), ...(line !== undefined ? { line } : {}), ...options });
    if (result.ok) policies.push(result.policy);
    else errors.push(...result.errors);
  }
  errors.push(...duplicateErrors(policies));
  if (errors.length > 0) return { ok: false, errors };
  if (policies.length === 0) return { ok: false, errors: [{ source, path: "", message: "no BackupPolicy document found (the file is empty)" }] };
  return { ok: true, policies };
}

const POLICY_FILE = /\.(ya?ml|json)$/i;

/** Files of a directory, recursively, that look like policies; sorted so the result does not depend on the disk. */
function policyFilesIn(dir: string, depth = 0): string[] {
  if (depth > 16) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...policyFilesIn(p, depth + 1));
    else if (entry.isFile() && POLICY_FILE.test(entry.name)) out.push(p);
  }
  return out;
}

/**
 * Reads policy files (a directory means its `*.yaml|*.yml|*.json` files, recursively). An unreadable or
 * oversized file is an error value, never a throw. Policy names must be unique across all files.
 */
export function loadPolicyFiles(paths: readonly string[], options: LoadOptions = {}): PolicyParseResult {
  const errors: PolicyError[] = [];
  const policies: PolicyDocument[] = [];
  for (const path of paths) {
    let files: string[];
    try {
      files = statSync(path).isDirectory() ? policyFilesIn(path) : [path];
      if (files.length === 0) errors.push({ source: path, path: "", message: "the directory holds no *.yaml, *.yml or *.json file" });
    } catch (err) {
      errors.push({ source: path, path: "", message: `cannot read the policy: ${describeFsError(err)}` });
      continue;
    }
    for (const file of files) {
      // Regular files only, read with a hard limit: `--policy /dev/zero` or a FIFO is an error, not a hang.
      const read = readRegularFile(file, MAX_POLICY_BYTES);
      if (!read.ok) {
        errors.push(read.tooLarge !== undefined ? sizeError(file, read.tooLarge) : { source: file, path: "", message: `cannot read the policy file: ${read.message}` });
        continue;
      }
      const text = read.text;
      const result = parsePolicyText(text, file, options);
      if (result.ok) policies.push(...result.policies);
      else errors.push(...result.errors);
    }
  }
  errors.push(...duplicateErrors(policies));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, policies };
}

function describeFsError(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return (err as Error).message ?? String(err);
}
