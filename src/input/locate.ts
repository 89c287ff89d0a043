// The line of a field in the source a resource came from, for findings that point at a field. Only sources with a
// finding pay for it: their text is parsed once more with `yaml` (which keeps every node's offsets; the fast path of
// `validate` does not build nodes), and the Documents are kept per source for its other findings.
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from "yaml";
import type { FieldSegment } from "../engine/field-path.ts";
import type { ManifestObject, ParsedSource } from "./types.ts";

interface Parsed {
  documents: Document.Parsed[];
  lineCounter: LineCounter;
}

const parsedSources = new WeakMap<ParsedSource, Parsed | null>();

function parsed(source: ParsedSource): Parsed | null {
  let p = parsedSources.get(source);
  if (p !== undefined) return p;
  if (source.documents && source.lineCounter) {
    p = { documents: source.documents, lineCounter: source.lineCounter };
  } else {
    try {
      const lineCounter = new LineCounter();
      const documents = parseAllDocuments(source.text, { lineCounter, merge: true, logLevel: "silent" }) as Document.Parsed[] | Document.Parsed;
      p = { documents: Array.isArray(documents) ? documents : [documents], lineCounter };
    } catch {
      p = null; // the object was parsed before, so this does not happen; the resource's own line stays
    }
  }
  parsedSources.set(source, p);
  return p;
}

/** The pair of `map` whose key is `key` (a scalar compared as text, as Kubernetes keys are). */
function pairOf(map: Node, key: string): { key: Node | null; value: Node | null } | undefined {
  if (!isMap(map)) return undefined;
  for (const pair of map.items) {
    const k = pair.key;
    if (isScalar(k) ? String(k.value) === key : false) return pair as { key: Node | null; value: Node | null };
  }
  return undefined;
}

function lineAt(lc: LineCounter, node: Node | null | undefined): number | undefined {
  const offset = node?.range?.[0];
  return offset === undefined ? undefined : lc.linePos(offset).line;
}

/**
 * The 1-based line of the field at `segments` in the object's source: the line of its key (or list item). A field
 * that is not written (a missing field a finding asks for, or one a default added) gives the line of the nearest
 * written field above it; undefined when even the object cannot be found. Paths written as dotted strings by older
 * rules may split a dotted map key (`pg_stat_statements.max`) into several segments: when a segment is not a key,
 * the longest run of following segments joined with `.` that is one is taken.
 */
export function fieldLine(source: ParsedSource, object: ManifestObject, segments: readonly FieldSegment[]): number | undefined {
  const p = parsed(source);
  const doc = p?.documents[object.doc];
  if (!p || !doc) return undefined;
  let node: Node | null | undefined = doc.contents as Node | null;
  if (object.item !== undefined) {
    const items = isMap(node) ? pairOf(node, "items")?.value : undefined;
    node = isSeq(items) ? (items.items[object.item] as Node | undefined) : undefined;
  }
  if (!node) return undefined;
  let line = lineAt(p.lineCounter, node);
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (typeof s === "number") {
      const item: Node | undefined = isSeq(node) ? (node.items[s] as Node | undefined) : undefined;
      if (!item) break;
      node = item;
      line = lineAt(p.lineCounter, item) ?? line;
      continue;
    }
    let pair = pairOf(node!, s);
    for (let j = i + 1; !pair && j < segments.length && typeof segments[j] === "string"; j++) {
      const joined = segments.slice(i, j + 1).join(".");
      pair = pairOf(node!, joined);
      if (pair) i = j;
    }
    if (!pair) break;
    line = lineAt(p.lineCounter, pair.key) ?? line;
    if (!pair.value) break;
    node = pair.value;
  }
  return line;
}
