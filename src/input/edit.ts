// Writes a mutated object back into its YAML document by changing only what differs, so comments,
// key order and formatting of the untouched parts survive (`mutate` output stays reviewable).
import type { Document } from "yaml";
import { isObject } from "../util/object.ts";

type Path = (string | number)[];

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equal(a[k], b[k]));
  }
  return false;
}

/** Applies the difference between `before` and `after` at `path` in `doc`. */
export function applyDiff(doc: Document, path: Path, before: unknown, after: unknown): void {
  if (equal(before, after)) return;
  if (isObject(before) && isObject(after)) {
    const [b, a] = [before, after];
    for (const key of Object.keys(b)) if (!(key in a)) doc.deleteIn([...path, key]);
    for (const [key, value] of Object.entries(a)) {
      if (!(key in b)) doc.setIn([...path, key], doc.createNode(value));
      else applyDiff(doc, [...path, key], b[key], value);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length <= after.length) {
    // Appended entries (e.g. a plugin) are added; existing ones are edited in place.
    after.forEach((value, i) =>
      i < before.length ? applyDiff(doc, [...path, i], before[i], value) : doc.addIn(path, doc.createNode(value)),
    );
    return;
  }
  doc.setIn(path, doc.createNode(after));
}
