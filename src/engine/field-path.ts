// Field paths as findings carry them, in the spelling of Kubernetes' field.Path (apimachinery
// pkg/util/validation/field/path.go, which CNPG's webhook uses): `.child` for a field, `[0]` for a list index,
// `[key]` for a map key. A plain dotted string is ambiguous as soon as a key holds a dot
// (`parameters.pg_stat_statements.max`), so keys that need it are bracketed (`parameters[pg_stat_statements.max]`)
// and every path can be read back into its exact segments.

/** One step of a field path: a field or map key (string) or a list index (number). */
export type FieldSegment = string | number;

/** Whether `key` can follow a `.` without changing what the path means when read back. */
function plainKey(key: string): boolean {
  return key !== "" && !/[.[\]"]/.test(key);
}

/** The map key `key` appended to `base`: `base.key`, or `base[key]` when the key holds `.`, `[`, `]` or `"`. */
export function keyPath(base: string, key: string): string {
  if (plainKey(key)) return base === "" ? key : `${base}.${key}`;
  // Inside brackets a key is written as-is unless it could be read as an index or would close the bracket early.
  const inner = /^[0-9]+$/.test(key) || /[[\]"]/.test(key) || key === "" ? JSON.stringify(key) : key;
  return `${base}[${inner}]`;
}

/** The list index `index` appended to `base`: `base[0]`. */
export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`;
}

/** The path of `segments` in field.Path spelling (the inverse of parseFieldPath). */
export function formatFieldPath(segments: readonly FieldSegment[]): string {
  let out = "";
  for (const s of segments) out = typeof s === "number" ? indexPath(out, s) : keyPath(out, s);
  return out;
}

/**
 * The segments of a path in field.Path spelling: `a.b[0][k.x]["0"]` is ["a", "b", 0, "k.x", "0"]. A bracket holding
 * digits only is an index; a JSON string in brackets is a key. Never throws: text it cannot read ends the last
 * segment (a path is for showing and locating, a best effort on hand-written input).
 */
export function parseFieldPath(path: string): FieldSegment[] {
  const out: FieldSegment[] = [];
  let i = 0;
  let field = "";
  let inField = false;
  const flush = () => {
    if (inField) out.push(field);
    field = "";
    inField = false;
  };
  while (i < path.length) {
    const c = path[i]!;
    if (c === ".") {
      flush();
      i++;
      inField = true;
      continue;
    }
    if (c === "[") {
      flush();
      if (path[i + 1] === '"') {
        const end = jsonStringEnd(path, i + 1);
        if (end !== -1 && path[end + 1] === "]") {
          out.push(JSON.parse(path.slice(i + 1, end + 1)) as string);
          i = end + 2;
          continue;
        }
      }
      const close = path.indexOf("]", i + 1);
      if (close === -1) {
        field = path.slice(i);
        inField = true;
        break;
      }
      const inner = path.slice(i + 1, close);
      out.push(/^[0-9]+$/.test(inner) && inner.length < 16 ? Number(inner) : inner);
      i = close + 1;
      continue;
    }
    // A run of plain characters (up to the next `.` or `[`) joins the current field.
    let j = i + 1;
    while (j < path.length && path[j] !== "." && path[j] !== "[") j++;
    inField = true;
    field += path.slice(i, j);
    i = j;
  }
  flush();
  return out;
}

/** The index of the `"` closing the JSON string that opens at `start`, or -1. */
function jsonStringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}
