// The js-yaml events of a parsed text in a compact form (typed arrays, ~18 bytes per event instead of an object of
// ~80), for src/input/locate.ts: the line of a field with a finding is found by stepping through them, without
// parsing the document again. The fast parser keeps them per object (documentEvents) for as long as the object lives.
import { EVENT_ID, type ChompingMode, type Event, type ScalarEvent, type ScalarStyle } from "js-yaml";
import type { ManifestObject } from "./types.ts";

export interface CompactEvents {
  /** Each event's EVENT_ID. */
  readonly type: Uint8Array;
  /** Where the node starts: a collection's `start`, a scalar's `valueStart`; -1 when absent and for other events. */
  readonly start: Int32Array;
  /** A scalar's `valueEnd`. */
  readonly end: Int32Array;
  /** The index just past the node that starts at each event (a collection: past its POP; anything else: the next). */
  readonly past: Int32Array;
  /** A scalar's style (bits 0-2), chomping (bits 3-4) and `fast` (bit 7). */
  readonly flags: Uint8Array;
  /** A scalar's `indent`. */
  readonly indent: Int32Array;
}

const FAST = 128;

export function compactEvents(events: readonly Event[]): CompactEvents {
  const n = events.length;
  const c = {
    type: new Uint8Array(n),
    start: new Int32Array(n),
    end: new Int32Array(n),
    past: new Int32Array(n),
    flags: new Uint8Array(n),
    indent: new Int32Array(n),
  };
  const open: number[] = [];
  for (let j = 0; j < n; j++) {
    const e = events[j]!;
    c.type[j] = e.type;
    c.past[j] = j + 1;
    c.start[j] = -1;
    if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) {
      c.start[j] = e.start;
      open.push(j);
    } else if (e.type === EVENT_ID.SCALAR) {
      c.start[j] = e.valueStart;
      c.end[j] = e.valueEnd;
      c.flags[j] = (e.style & 7) | ((e.chomping & 3) << 3) | (e.fast ? FAST : 0);
      c.indent[j] = e.indent;
    } else if (e.type === EVENT_ID.POP) {
      const o = open.pop();
      if (o !== undefined) c.past[o] = j + 1;
    }
  }
  for (const o of open) c.past[o] = n; // unterminated (never from a successful parse)
  return c;
}

/** Whether the scalar at `i` is its source's own slice `start..end` (js-yaml's `fast`: getScalarValue slices). */
export function isFastScalar(c: CompactEvents, i: number): boolean {
  return (c.flags[i]! & FAST) !== 0;
}

/** The scalar event at `i` again, with what getScalarValue reads (no anchor, no tag: those are not kept). */
export function scalarEvent(c: CompactEvents, i: number): ScalarEvent {
  const f = c.flags[i]!;
  return {
    type: EVENT_ID.SCALAR,
    valueStart: c.start[i]!,
    valueEnd: c.end[i]!,
    anchorStart: -1,
    anchorEnd: -1,
    tagStart: -1,
    tagEnd: -1,
    style: (f & 7) as ScalarStyle,
    chomping: ((f >> 3) & 3) as ChompingMode,
    indent: c.indent[i]!,
    fast: (f & FAST) !== 0,
  };
}

/** The events of a whole text the fast parser read, with where each line starts (for offset -> line). */
export interface SourceEvents {
  text: string;
  events: CompactEvents;
  lineStarts: readonly number[];
}

/**
 * Per object of the fast path: the events of its source and the index of its document's root node in them. Kept
 * beside the object (not a field of it: ManifestObject stays plain data) for as long as the object lives.
 */
export const documentEvents = new WeakMap<ManifestObject, { source: SourceEvents; root: number }>();
