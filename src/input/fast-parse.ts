// The fast path for `validate`: js-yaml's event parser is about ten times faster than building `yaml`
// Documents (see bench/RESULTS.md), and its events carry source offsets, which is all `validate` needs for
// the line of each resource. Whenever the input needs what only the full parser gives — an error reported
// with its position and wording, a List whose items need lines of their own, anchors and aliases (bounded
// there by expansion count) — this returns undefined and the caller uses `parseManifests`.
import { CORE_SCHEMA, EVENT_ID, constructFromEvents, mergeTag, parseEvents, type Event } from "js-yaml";
import { asResource, isKubernetesObject } from "../engine/resource.ts";
import { MAX_DEPTH } from "./limits.ts";
import type { IgnoredDocument, ManifestObject, ParsedSource } from "./types.ts";
import { exceedsDepth } from "./depth.ts";
import { describeNonResource, isListObject } from "./parse.ts";
import { compactEvents, documentEvents, type SourceEvents } from "./events.ts";

// YAML 1.2 core schema plus `<<` merge keys, like the `yaml` path (kubectl's decoder honours merge keys).
const SCHEMA = CORE_SCHEMA.withTags(mergeTag);

/** Offsets of the first character of every line, for offset → 1-based line by binary search. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

export function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function nodeStart(e: Event): number | undefined {
  const at = e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE ? e.start : e.type === EVENT_ID.SCALAR ? e.valueStart : -1;
  return at >= 0 ? at : undefined; // -1: absent (the empty scalar of an empty document)
}

/**
 * `keepEvents`: keep the events (compactly, events.ts) beside each object, so that src/input/locate.ts finds the
 * line of a field without parsing the document again (parseSource asks for it: validate reports those lines).
 */
export interface FastParseOptions {
  keepEvents?: boolean;
}

export function parseManifestsFast(text: string, source: string, options: FastParseOptions = {}): ParsedSource | undefined {
  let events: Event[];
  let values: unknown[];
  try {
    events = parseEvents(text, { maxDepth: MAX_DEPTH });
    // maxAliases 0: any alias throws, and the full parser (which bounds alias expansion) takes over.
    values = constructFromEvents(events, { source: text, schema: SCHEMA, maxAliases: 0 });
  } catch {
    return undefined;
  }

  // The line of each document: the start of its first node (like the full parser's document contents); its span
  // runs from the start of that line to the start of the next document's.
  const starts = lineStarts(text);
  const docLines: number[] = [];
  const spanStarts: (number | undefined)[] = []; // undefined: an empty document
  const docEvents: number[] = []; // index of each document's DOCUMENT event
  for (let i = 0; i < events.length; i++) {
    if (events[i]!.type !== EVENT_ID.DOCUMENT) continue;
    docEvents.push(i);
    const first = events[i + 1] ? nodeStart(events[i + 1]!) : undefined;
    const line = first === undefined ? 1 : lineOf(starts, first);
    docLines.push(line);
    spanStarts.push(first === undefined ? undefined : starts[line - 1]!);
  }
  if (docLines.length !== values.length) return undefined;

  const objects: ManifestObject[] = [];
  const ignored: IgnoredDocument[] = [];
  let kept: SourceEvents | undefined;
  for (const [index, value] of values.entries()) {
    const line = docLines[index]!;
    if (exceedsDepth(value, MAX_DEPTH)) return undefined;
    if (!isKubernetesObject(value)) {
      if (value !== null && value !== undefined) ignored.push({ source, line, reason: describeNonResource(value) });
      continue;
    }
    const meta = value.metadata;
    if (meta !== undefined && meta !== null && (typeof meta !== "object" || Array.isArray(meta))) return undefined; // parse.ts reports it
    const obj = asResource(value);
    if (isListObject(obj)) return undefined;
    let end = text.length;
    for (let j = index + 1; j < spanStarts.length; j++) {
      if (spanStarts[j] !== undefined) {
        end = spanStarts[j]!;
        break;
      }
    }
    const object: ManifestObject = { source, line, object: obj, doc: index, span: [spanStarts[index] ?? 0, end] };
    if (options.keepEvents) {
      kept ??= { text, events: compactEvents(events), lineStarts: starts };
      documentEvents.set(object, { source: kept, root: docEvents[index]! + 1 });
    }
    objects.push(object);
  }
  return { source, text, objects, ignored };
}
