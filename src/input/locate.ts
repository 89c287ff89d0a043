// The line of a field in the source a resource came from, for findings that point at a field. Sources read by the full
// parser keep their `yaml` Documents (every node has its offsets). The fast path of `validate` keeps no Documents,
// but it keeps the js-yaml events it parsed the whole text with (compactly, events.ts; held as long as the
// object): a field is found by stepping through them (a table of where each node ends, built once per text, lets a
// walk skip whole values), with no second parse. An object without kept events (a copy made elsewhere) reads its
// document's slice of the text (ManifestObject.span) again with the event parser. One walk serves every tree
// (walkTo); each tree only says how to read its nodes.
import { isMap, isScalar, isSeq, type Node } from "yaml";
import { EVENT_ID, getScalarValue, parseEvents } from "js-yaml";
import { MAX_DEPTH } from "./limits.ts";
import { lineOf } from "./fast-parse.ts";
import { compactEvents, documentEvents, isFastScalar, scalarEvent, type CompactEvents } from "./events.ts";
import type { FieldSegment } from "../engine/field-path.ts";
import type { ManifestObject, ParsedSource } from "./types.ts";

/** How walkTo reads one kind of parse tree. Offsets may be relative (to a slice): the caller turns them into lines. */
interface Tree<N> {
  /** A sequence's item at `index`; undefined when the node is not a sequence or has no such item. */
  item(node: N, index: number): N | undefined;
  /**
   * Calls `visit` on each of a mapping's entries, in order; false when the node is not a mapping. The key's text is
   * `text.slice(from, to)` (undefined when the key is not a scalar: a slice of the source, so that no string is made
   * per key), `keyStart` where the key starts, `value` the value (null when there is none).
   */
  eachEntry(node: N, visit: (text: string | undefined, from: number, to: number, keyStart: number | undefined, value: N | null) => void): boolean;
  start(node: N): number | undefined;
}

/**
 * The last index j such that the key `text.slice(from, to)` is segments i..j joined with `.` (all of them strings),
 * or undefined. segments[i] is a string.
 */
function keyRun(text: string, from: number, to: number, segments: readonly FieldSegment[], i: number): number | undefined {
  const first = segments[i] as string;
  if (!text.startsWith(first, from)) return undefined;
  let pos = from + first.length;
  for (let j = i; ; j++) {
    if (pos === to) return j;
    if (pos > to) return undefined;
    const next = segments[j + 1];
    if (typeof next !== "string" || text.charCodeAt(pos) !== 46 /* . */ || !text.startsWith(next, pos + 1)) return undefined;
    pos += 1 + next.length;
  }
}

/**
 * Where the field at `segments` starts below `root`: its key (or list item). A field that is not written (a missing
 * field a finding asks for, or one a default added) gives the nearest written field above it. Paths written as dotted
 * strings may split a dotted map key (`pg_stat_statements.max`) into several segments: of the runs of segments
 * joined with `.` that are keys, the longest is taken.
 */
function walkTo<N>(tree: Tree<N>, root: N, segments: readonly FieldSegment[]): number | undefined {
  let node = root;
  let offset = tree.start(root);
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (typeof s === "number") {
      const item = tree.item(node, s);
      if (item === undefined) break;
      node = item;
      offset = tree.start(item) ?? offset;
      continue;
    }
    const at = i;
    const hit: { found: boolean; keyStart: number | undefined; value: N | null; used: number } = { found: false, keyStart: undefined, value: null, used: i };
    const isMap = tree.eachEntry(node, (text, from, to, keyStart, value) => {
      const j = text === undefined ? undefined : keyRun(text, from, to, segments, at);
      if (j !== undefined && (!hit.found || j > hit.used)) {
        hit.found = true;
        hit.keyStart = keyStart;
        hit.value = value;
        hit.used = j;
      }
    });
    if (!isMap || !hit.found) break;
    i = hit.used;
    offset = hit.keyStart ?? offset;
    if (hit.value === null) break;
    node = hit.value;
  }
  return offset;
}

/**
 * The 1-based line of the field at `segments` in the object's source (see walkTo); undefined when even the object
 * cannot be found.
 */
export function fieldLine(source: ParsedSource, object: ManifestObject, segments: readonly FieldSegment[]): number | undefined {
  if (object.span) return fieldLineFromEvents(source.text, object, segments);
  const doc = source.documents?.[object.doc];
  const lc = source.lineCounter;
  if (!doc || !lc) return undefined;
  let root = doc.contents as Node | null;
  if (object.item !== undefined) root = YAML_TREE.item(byKey(YAML_TREE, root, "items") ?? null, object.item) ?? null;
  if (!root) return undefined;
  const offset = walkTo(YAML_TREE, root, segments);
  return offset === undefined ? undefined : lc.linePos(offset).line;
}

// ---- the full parser's nodes ----------------------------------------------------------------------------------

const YAML_TREE: Tree<Node | null> = {
  item: (n, index) => (isSeq(n) ? (n.items[index] as Node | null | undefined) : undefined),
  eachEntry(n, visit) {
    if (!isMap(n)) return false;
    for (const p of n.items) {
      const k = p.key as Node | null;
      // A scalar key compared as text, as Kubernetes keys are.
      const text = isScalar(k) ? String(k.value) : undefined;
      visit(text, 0, text?.length ?? 0, k?.range?.[0], (p.value as Node | null) ?? null);
    }
    return true;
  },
  start: (n) => n?.range?.[0],
};

function byKey<N>(tree: Tree<N>, node: N, key: string): N | undefined {
  let found: N | undefined;
  let seen = false;
  tree.eachEntry(node, (text, from, to, _start, value) => {
    if (seen || text === undefined || to - from !== key.length || !text.startsWith(key, from)) return;
    seen = true;
    found = value ?? undefined;
  });
  return found;
}

// ---- the fast path: js-yaml events, the whole text's (kept by the fast parser) or one document's slice -------------

interface Slice {
  text: string;
  events: CompactEvents;
  /** The index of the document's root node, or -1 when there is none. */
  root: number;
}

const slices = new WeakMap<ManifestObject, Slice | null>();

function sliceOf(text: string, object: ManifestObject): Slice | null {
  let s = slices.get(object);
  if (s !== undefined) return s;
  const [start, end] = object.span!;
  const part = text.slice(start, end);
  try {
    const events = parseEvents(part, { maxDepth: MAX_DEPTH });
    const doc = events.findIndex((e) => e.type === EVENT_ID.DOCUMENT);
    s = { text: part, events: compactEvents(events), root: doc >= 0 && doc + 1 < events.length ? doc + 1 : -1 };
  } catch {
    s = null; // it parsed as part of the whole text: the resource's own line stays
  }
  slices.set(object, s);
  return s;
}

/** Events (events.ts) as a tree: a node is the index of its first event. */
class EventTree implements Tree<number> {
  readonly #text: string;
  readonly #ev: CompactEvents;

  constructor(text: string, events: CompactEvents) {
    this.#text = text;
    this.#ev = events;
  }

  item(i: number, index: number): number | undefined {
    const { type, past } = this.#ev;
    if (type[i] !== EVENT_ID.SEQUENCE || !Number.isInteger(index) || index < 0) return undefined;
    for (let j = i + 1, k = 0; j < type.length && type[j] !== EVENT_ID.POP; j = past[j]!, k++) if (k === index) return j;
    return undefined;
  }

  eachEntry(i: number, visit: (text: string | undefined, from: number, to: number, keyStart: number | undefined, value: number | null) => void): boolean {
    const ev = this.#ev;
    const { type, past } = ev;
    if (type[i] !== EVENT_ID.MAPPING) return false;
    // key, value, key, value, ... up to the mapping's POP
    for (let j = i + 1; j < type.length && type[j] !== EVENT_ID.POP; ) {
      const key = j;
      j = past[j]!;
      if (j >= type.length || type[j] === EVENT_ID.POP) break;
      const value = j;
      j = past[j]!;
      const start = this.start(key);
      if (type[key] !== EVENT_ID.SCALAR) visit(undefined, 0, 0, start, value);
      else if (start !== undefined && isFastScalar(ev, key)) visit(this.#text, start, ev.end[key]!, start, value); // getScalarValue's slice
      else {
        const text = getScalarValue(this.#text, scalarEvent(ev, key));
        visit(text, 0, text.length, start, value);
      }
    }
    return true;
  }

  /** A collection's start, a scalar's value start; undefined when absent (an empty value) and for other events. */
  start(i: number): number | undefined {
    const at = this.#ev.start[i];
    return at !== undefined && at >= 0 ? at : undefined;
  }
}

const eventTrees = new WeakMap<CompactEvents, EventTree>();

function eventTree(text: string, events: CompactEvents): EventTree {
  let tree = eventTrees.get(events);
  if (!tree) eventTrees.set(events, (tree = new EventTree(text, events)));
  return tree;
}

function fieldLineFromEvents(text: string, object: ManifestObject, segments: readonly FieldSegment[]): number | undefined {
  const kept = documentEvents.get(object);
  if (kept && kept.source.text === text) {
    // The events the fast parser read the whole text with: offsets are the text's own.
    const offset = walkTo(eventTree(text, kept.source.events), kept.root, segments);
    return offset === undefined ? undefined : lineOf(kept.source.lineStarts, offset);
  }
  const slice = sliceOf(text, object);
  if (!slice || slice.root < 0) return undefined;
  const offset = walkTo(eventTree(slice.text, slice.events), slice.root, segments);
  if (offset === undefined) return undefined;
  let line = object.line; // the slice starts at the start of the object's first line
  for (let k = slice.text.indexOf("\n"); k !== -1 && k < offset; k = slice.text.indexOf("\n", k + 1)) line++;
  return line;
}
