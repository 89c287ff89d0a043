// Multi-document YAML (and JSON, which is YAML) to Kubernetes objects with the line where each starts.
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type YAMLError } from "yaml";
import type { Resource } from "../engine/types.ts";
import { asResource, isKubernetesObject } from "../engine/resource.ts";
import { isObject } from "../util/object.ts";
import { exceedsDepth, textDepthExceeds } from "./depth.ts";
import { MAX_ALIAS_COUNT, MAX_DEPTH } from "./limits.ts";
import type { IgnoredDocument, InputError, ManifestObject, ParsedSource } from "./types.ts";

export { exceedsDepth };

export type ParseOutcome = { ok: true; parsed: ParsedSource } | { ok: false; error: InputError };

/** The yaml library's messages end with " at line N, column M:" and a code frame; we print the location ourselves. */
function firstLine(message: string): string {
  const line = message.split("\n")[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, "").trim();
}

function parserMessage(message: string): string {
  const m = firstLine(message);
  return /Maximum call stack|Stack overflow/i.test(m) ? `document is nested too deeply to parse (${m})` : m;
}

export function describeNonResource(value: unknown): string {
  if (value === null || value === undefined) return "an empty document";
  if (Array.isArray(value)) return "a list, not an object";
  if (typeof value !== "object") return `a ${typeof value}, not an object`;
  return "no apiVersion and kind (not a Kubernetes object)";
}

/** `kind: List` (kubectl) or `<Kind>List` with `items` (API list responses). */
export function isListObject(obj: Resource): boolean {
  return (obj.kind === "List" || obj.kind.endsWith("List")) && Array.isArray(obj.items);
}

/** API list responses omit apiVersion/kind on items: `ClusterList` items are Clusters of the list's apiVersion. */
function listItem(list: Resource, item: unknown): unknown {
  if (!isObject(item) || list.kind === "List") return item;
  if (typeof item.apiVersion === "string" && typeof item.kind === "string") return item;
  return { apiVersion: list.apiVersion, kind: list.kind.slice(0, -"List".length), ...item };
}

/** Keys that begin every manifest: seen twice at the top of one document, two documents lost their `---`. */
const DOCUMENT_KEYS = new Set(["apiVersion", "kind", "metadata"]);

const CONCATENATED =
  'two documents without a "---" line between them? e.g. `cat a.yaml b.yaml` where a.yaml does not end with a newline and "---"';

/**
 * A hint for the errors that concatenated files produce (`cat *.yaml | pg-backup-guard validate -`, or a file
 * assembled by a script): a top-level `apiVersion`/`kind`/`metadata` repeated in one document, or an
 * `apiVersion:` glued to the end of the previous file's last line.
 */
function concatenationHint(doc: Document.Parsed, error: YAMLError, lineText: string | undefined): string | undefined {
  if (error.code === "DUPLICATE_KEY" && isMap(doc.contents)) {
    const offset = error.pos[0];
    const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.range?.[0] === offset);
    const key = pair && isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key !== undefined && DOCUMENT_KEYS.has(key)) return `"${key}" appears twice at the top level (${CONCATENATED})`;
  }
  if (lineText !== undefined && /\SapiVersion:(\s|$)/.test(lineText)) {
    return `"apiVersion:" follows other text on this line (two files joined without a newline? e.g. \`cat a.yaml b.yaml\` where a.yaml does not end with a newline)`;
  }
  return undefined;
}

function nodeLine(lc: LineCounter, node: Node | null | undefined, fallback: number): number {
  const offset = node?.range?.[0];
  return offset === undefined ? fallback : lc.linePos(offset).line;
}

/**
 * Parses one source. Returns an error (with line and column) for malformed YAML, alias bombs and absurd
 * nesting; documents that are not Kubernetes objects are listed in `ignored`, never an error.
 */
export function parseManifests(text: string, source: string): ParseOutcome {
  // Before the parser: it recurses per level and takes seconds and gigabytes on 10⁶ levels before failing.
  const deep = textDepthExceeds(text, MAX_DEPTH);
  if (deep) return { ok: false, error: { source, line: deep.line, message: `document is nested deeper than ${MAX_DEPTH} levels` } };
  const lineCounter = new LineCounter();
  let documents: Document.Parsed[];
  try {
    // `merge: true`: kubectl's YAML decoder (go-yaml) honours `<<` merge keys.
    // logLevel "error": a key that is a map (`{{ .Release.Name }}` in a raw Helm template) is stringified without
    // a process warning on stderr; read.ts recognises templates itself.
    documents = parseAllDocuments(text, { lineCounter, merge: true, prettyErrors: true, logLevel: "error" }) as Document.Parsed[];
  } catch (err) {
    return { ok: false, error: { source, message: `cannot parse: ${parserMessage(String((err as Error)?.message ?? err))}` } };
  }
  if (!Array.isArray(documents)) documents = [documents];

  const objects: ManifestObject[] = [];
  const ignored: IgnoredDocument[] = [];
  for (const [index, doc] of documents.entries()) {
    const docLine = nodeLine(lineCounter, doc.contents, lineCounter.linePos(doc.range[0]).line);
    const error = doc.errors[0];
    if (error) {
      const pos = error.linePos?.[0];
      const line = pos?.line ?? docLine;
      const hint = concatenationHint(doc, error, text.split("\n", line)[line - 1]);
      const message = parserMessage(error.message) + (hint ? `: ${hint}` : "");
      return { ok: false, error: { source, line, col: pos?.col, message } as InputError };
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      const message = String((err as Error)?.message ?? err);
      const why = /alias/i.test(message) ? `too many YAML alias expansions (more than ${MAX_ALIAS_COUNT}): ${message}` : parserMessage(message);
      return { ok: false, error: { source, line: docLine, message: why } };
    }
    if (exceedsDepth(value, MAX_DEPTH)) {
      return { ok: false, error: { source, line: docLine, message: `document is nested deeper than ${MAX_DEPTH} levels` } };
    }
    if (!isKubernetesObject(value)) {
      // Empty documents (a trailing `---`) are normal; everything else is noted for the text report.
      if (value !== null && value !== undefined) ignored.push({ source, line: docLine, reason: describeNonResource(value) });
      continue;
    }
    const meta = (value as { metadata?: unknown }).metadata;
    if (meta !== undefined && meta !== null && !isObject(meta)) {
      // asResource would make it {} and hide it; the API server refuses the object (ObjectMeta does not decode).
      return { ok: false, error: { source, line: docLine, message: `metadata must be a map (ObjectMeta), not ${Array.isArray(meta) ? "a list" : `a ${typeof meta}`}; the API server refuses this object` } };
    }
    const obj = asResource(value);
    if (!isListObject(obj)) {
      objects.push({ source, line: docLine, object: obj, doc: index });
      continue;
    }
    const itemsNode = isMap(doc.contents) ? doc.contents.get("items", true) : undefined;
    const itemNodes = isSeq(itemsNode) ? itemsNode.items : [];
    for (const [i, raw] of (obj.items as unknown[]).entries()) {
      const item = listItem(obj, raw);
      const line = nodeLine(lineCounter, itemNodes[i] as Node | undefined, docLine);
      if (isKubernetesObject(item)) objects.push({ source, line, object: asResource(item), doc: index, item: i });
      else ignored.push({ source, line, reason: `List item: ${describeNonResource(item)}` });
    }
  }
  return { ok: true, parsed: { source, text, documents, lineCounter, objects, ignored } };
}
