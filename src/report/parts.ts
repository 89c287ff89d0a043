// Large JSON reports in parts (issue 13, `validate` end to end). One JSON.stringify of a whole report switches to
// two-byte output at the first string with a character above U+00FF (the em dash of many rule messages): the rest
// of the document is then built and copied at two bytes a character, and writing it costs a UTF-16 -> UTF-8
// encoding of every character (~70-170 ms on 25-30 MiB against 7-17 ms for a one-byte string). Stringified one
// array item at a time, only the items that hold such a character are two-byte; `batchParts` joins the others into
// one-byte strings that Node writes as they are. The parts concatenated are byte for byte the one-call document.

/** JSON.stringify(value, null, 2) as it reads `depth` levels deep in an indented document (no leading indent). */
export function stringifyAt(value: unknown, depth: number): string {
  let wrapped = value;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  const s = JSON.stringify(wrapped, null, 2);
  // Each level adds "[\n" and its indent before the value and "\n", the outer indent and "]" after it.
  return s.slice(depth * (depth + 3), s.length - depth * (depth + 1));
}

/** Where the items go: a value no report holds (a NUL-delimited name), stringified as `"\u0000...\u0000"`. */
export const ITEMS_HOLE = "\u0000pg-backup-guard-items\u0000";
const HOLE_JSON = JSON.stringify(ITEMS_HOLE);

/**
 * `JSON.stringify(doc, null, 2) + "\n"` with `items` in place of the array whose value in `doc` is ITEMS_HOLE: that
 * array is `depth - 1` levels deep, its items `depth` levels, and it is the last value of `doc` (the hole is found
 * from the end, after anything else the document says).
 */
export function jsonParts(doc: object, items: readonly unknown[], depth: number): string[] {
  const outer = JSON.stringify(doc, null, 2);
  const at = outer.lastIndexOf(HOLE_JSON);
  if (at < 0) throw new Error("jsonParts: the document has no items hole");
  const head = outer.slice(0, at);
  const tail = `${outer.slice(at + HOLE_JSON.length)}\n`;
  if (items.length === 0) return [head, "[]", tail];
  const indent = "  ".repeat(depth);
  const separator = `,\n${indent}`;
  const parts: string[] = new Array<string>(2 * items.length + 3);
  parts[0] = head;
  parts[1] = `[\n${indent}`;
  for (let i = 0; i < items.length; i++) {
    if (i > 0) parts[2 * i + 1] = separator;
    parts[2 * i + 2] = stringifyAt(items[i], depth);
  }
  parts[2 * items.length + 1] = `\n${"  ".repeat(depth - 1)}]`;
  parts[2 * items.length + 2] = tail;
  return parts;
}

// True only for a string with a character above U+00FF. On a one-byte string V8 answers without reading it (no
// one-byte character can match), so testing every part costs only for the parts that are two-byte anyway.
const WIDE = /[^\x00-\xff]/;

/**
 * The parts joined into strings of about `limit` characters or fewer, never mixing parts that have a character
 * above U+00FF with parts that have none: the joined one-byte strings are written without re-encoding.
 */
export function batchParts(parts: readonly string[], limit = 1 << 20): string[] {
  const out: string[] = [];
  let batch: string[] = [];
  let size = 0;
  let wide = false;
  for (const p of parts) {
    if (p.length === 0) continue;
    const w = WIDE.test(p);
    if (batch.length > 0 && (w !== wide || size + p.length > limit)) {
      out.push(batch.join(""));
      batch = [];
      size = 0;
    }
    wide = w;
    batch.push(p);
    size += p.length;
  }
  if (batch.length > 0) out.push(batch.join(""));
  return out;
}
