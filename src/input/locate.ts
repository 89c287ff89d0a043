// The line of a field in the source a resource came from, for findings that point at a field. Sources read by the full
// parser keep their `yaml` Documents (every node has its offsets). The fast path of `validate` keeps none: there only
// a document with a finding is read again, its own slice of the text (ManifestObject.span), with js-yaml's event
// parser, the fast one, so the cost follows the documents with findings, not the size of the file.
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from "yaml";
import { EVENT_ID, getScalarValue, parseEvents, type Event } from "js-yaml";
import { MAX_DEPTH } from "./limits.ts";
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
  if (!source.documents && object.span) return fieldLineFromEvents(source.text, object, segments);
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

// ---- the fast path: js-yaml events of one document's slice ------------------------------------------------------

interface Slice {
  text: string;
  events: Event[];
}

const slices = new WeakMap<ManifestObject, Slice | null>();

function sliceOf(text: string, object: ManifestObject): Slice | null {
  let s = slices.get(object);
  if (s !== undefined) return s;
  const [start, end] = object.span!;
  const part = text.slice(start, end);
  try {
    s = { text: part, events: parseEvents(part, { maxDepth: MAX_DEPTH }) };
  } catch {
    s = null; // it parsed as part of the whole text: the resource's own line stays
  }
  slices.set(object, s);
  return s;
}

/** The index just past the node that starts at `i` (a scalar or alias, or a collection through its POP). */
function skipNode(events: readonly Event[], i: number): number {
  const t = events[i]?.type;
  if (t !== EVENT_ID.MAPPING && t !== EVENT_ID.SEQUENCE) return i + 1;
  let depth = 0;
  for (let j = i; j < events.length; j++) {
    const u = events[j]!.type;
    if (u === EVENT_ID.MAPPING || u === EVENT_ID.SEQUENCE) depth++;
    else if (u === EVENT_ID.POP && --depth === 0) return j + 1;
  }
  return events.length;
}

function eventStart(e: Event | undefined): number | undefined {
  const at = !e ? -1 : e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE ? e.start : e.type === EVENT_ID.SCALAR ? e.valueStart : -1;
  return at >= 0 ? at : undefined; // -1: absent (an empty value)
}

/** The key/value event indexes of the mapping starting at `i`, with each key's text. */
function* pairs(slice: Slice, i: number): Generator<{ key: string | undefined; keyAt: number; valueAt: number }> {
  const ev = slice.events;
  let j = i + 1;
  while (j < ev.length && ev[j]!.type !== EVENT_ID.POP) {
    const k = ev[j]!;
    const valueAt = skipNode(ev, j);
    yield { key: k.type === EVENT_ID.SCALAR ? getScalarValue(slice.text, k) : undefined, keyAt: j, valueAt };
    j = skipNode(ev, valueAt);
  }
}

function fieldLineFromEvents(text: string, object: ManifestObject, segments: readonly FieldSegment[]): number | undefined {
  const slice = sliceOf(text, object);
  if (!slice) return undefined;
  const ev = slice.events;
  let node = ev.findIndex((e) => e.type === EVENT_ID.DOCUMENT) + 1;
  if (node <= 0 || node >= ev.length) return undefined;
  let offset = eventStart(ev[node]);
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    const e = ev[node]!;
    if (typeof s === "number") {
      if (e.type !== EVENT_ID.SEQUENCE) break;
      let j = node + 1;
      for (let k = 0; k < s && j < ev.length && ev[j]!.type !== EVENT_ID.POP; k++) j = skipNode(ev, j);
      if (j >= ev.length || ev[j]!.type === EVENT_ID.POP) break;
      node = j;
      offset = eventStart(ev[j]) ?? offset;
      continue;
    }
    if (e.type !== EVENT_ID.MAPPING) break;
    let hit: { keyAt: number; valueAt: number } | undefined;
    // A dotted map key split by an older rule's path: the longest run of segments joined with "." that is a key.
    const wanted = new Map<string, number>();
    for (let j = i, joined = ""; j < segments.length && typeof segments[j] === "string"; j++) {
      joined = j === i ? s : `${joined}.${segments[j] as string}`;
      wanted.set(joined, j);
    }
    let used = i;
    for (const p of pairs(slice, node)) {
      const j = p.key === undefined ? undefined : wanted.get(p.key);
      if (j !== undefined && (hit === undefined || j > used)) {
        hit = p;
        used = j;
      }
    }
    if (!hit) break;
    i = used;
    offset = eventStart(ev[hit.keyAt]) ?? offset;
    node = hit.valueAt;
  }
  if (offset === undefined) return undefined;
  let line = object.line;
  for (let k = slice.text.indexOf("\n"); k !== -1 && k < offset; k = slice.text.indexOf("\n", k + 1)) line++;
  return line; // object.line is the line the slice starts on
}
