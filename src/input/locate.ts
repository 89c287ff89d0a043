// The line of a field in the source a resource came from, for findings that point at a field. Sources read by the full
// parser keep their `yaml` Documents (every node has its offsets). The fast path of `validate` keeps none: there only
// a document with a finding is read again, its own slice of the text (ManifestObject.span), with js-yaml's event
// parser, the fast one, so the cost follows the documents with findings, not the size of the file. One walk serves
// both trees (walkTo); each tree only says how to read its nodes.
import { isMap, isScalar, isSeq, type Node } from "yaml";
import { EVENT_ID, getScalarValue, parseEvents, type Event } from "js-yaml";
import { MAX_DEPTH } from "./limits.ts";
import type { FieldSegment } from "../engine/field-path.ts";
import type { ManifestObject, ParsedSource } from "./types.ts";

/** How walkTo reads one kind of parse tree. Offsets may be relative (to a slice): the caller turns them into lines. */
interface Tree<N> {
  /** A sequence's items, or undefined when the node is not a sequence. */
  items(node: N): readonly N[] | undefined;
  /** A mapping's entries (key text, where the key starts, the value: null when there is none), or undefined. */
  entries(node: N): Iterable<{ key: string | undefined; keyStart: number | undefined; value: N | null }> | undefined;
  start(node: N): number | undefined;
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
      const item = tree.items(node)?.[s];
      if (item === undefined) break;
      node = item;
      offset = tree.start(item) ?? offset;
      continue;
    }
    const entries = tree.entries(node);
    if (!entries) break;
    const wanted = new Map<string, number>();
    for (let j = i, joined = ""; j < segments.length && typeof segments[j] === "string"; j++) {
      joined = j === i ? s : `${joined}.${segments[j] as string}`;
      wanted.set(joined, j);
    }
    let hit: { keyStart: number | undefined; value: N | null } | undefined;
    let used = i;
    for (const e of entries) {
      const j = e.key === undefined ? undefined : wanted.get(e.key);
      if (j !== undefined && (hit === undefined || j > used)) {
        hit = e;
        used = j;
      }
    }
    if (!hit) break;
    i = used;
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
  if (object.item !== undefined) root = YAML_TREE.items(byKey(YAML_TREE, root, "items") ?? null)?.[object.item] ?? null;
  if (!root) return undefined;
  const offset = walkTo(YAML_TREE, root, segments);
  return offset === undefined ? undefined : lc.linePos(offset).line;
}

// ---- the full parser's nodes ----------------------------------------------------------------------------------

const YAML_TREE: Tree<Node | null> = {
  items: (n) => (isSeq(n) ? (n.items as (Node | null)[]) : undefined),
  entries: (n) =>
    isMap(n)
      ? n.items.map((p) => {
          const k = p.key as Node | null;
          // A scalar key compared as text, as Kubernetes keys are.
          return { key: isScalar(k) ? String(k.value) : undefined, keyStart: k?.range?.[0], value: (p.value as Node | null) ?? null };
        })
      : undefined,
  start: (n) => n?.range?.[0],
};

function byKey<N>(tree: Tree<N>, node: N, key: string): N | undefined {
  for (const e of tree.entries(node) ?? []) if (e.key === key) return e.value ?? undefined;
  return undefined;
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

/** The events of a slice as a tree: a node is the index of its first event. */
function eventTree(slice: Slice): Tree<number> {
  const ev = slice.events;
  /** The nodes directly inside the collection at `i`, in order. */
  const children = (i: number): number[] => {
    const out: number[] = [];
    for (let j = i + 1; j < ev.length && ev[j]!.type !== EVENT_ID.POP; j = skipNode(ev, j)) out.push(j);
    return out;
  };
  return {
    items: (i) => (ev[i]?.type === EVENT_ID.SEQUENCE ? children(i) : undefined),
    entries(i) {
      if (ev[i]?.type !== EVENT_ID.MAPPING) return undefined;
      const nodes = children(i); // key, value, key, value, ...
      const out: { key: string | undefined; keyStart: number | undefined; value: number | null }[] = [];
      for (let k = 0; k + 1 < nodes.length; k += 2) {
        const key = ev[nodes[k]!]!;
        out.push({ key: key.type === EVENT_ID.SCALAR ? getScalarValue(slice.text, key) : undefined, keyStart: eventStart(key), value: nodes[k + 1]! });
      }
      return out;
    },
    start: (i) => eventStart(ev[i]),
  };
}

function fieldLineFromEvents(text: string, object: ManifestObject, segments: readonly FieldSegment[]): number | undefined {
  const slice = sliceOf(text, object);
  if (!slice) return undefined;
  const root = slice.events.findIndex((e) => e.type === EVENT_ID.DOCUMENT) + 1;
  if (root <= 0 || root >= slice.events.length) return undefined;
  const offset = walkTo(eventTree(slice), root, segments);
  if (offset === undefined) return undefined;
  let line = object.line; // the slice starts at the start of the object's first line
  for (let k = slice.text.indexOf("\n"); k !== -1 && k < offset; k = slice.text.indexOf("\n", k + 1)) line++;
  return line;
}
