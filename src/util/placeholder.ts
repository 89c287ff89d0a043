// Substitution placeholders left in GitOps sources: Flux post-build `${VAR}` / `${VAR:=default}` and the like.
// A value that still holds one is not a real name: it is resolved at deploy time, so it can match nothing.

// Found with indexOf, not a regular expression: linear on any input (a regex scan restarting at every `${`
// of a long unclosed run is quadratic).

/** Where the first `${…}` placeholder is: [start, end) of `${` through its first `}`, or undefined. */
function placeholderRange(value: string): [number, number] | undefined {
  const start = value.indexOf("${");
  if (start < 0) return undefined;
  const close = value.indexOf("}", start + 2);
  return close < 0 ? undefined : [start, close + 1];
}

/** Whether the string still contains an unresolved `${…}` placeholder (a closed one: `${` … `}`). */
export function hasPlaceholder(value: unknown): value is string {
  return typeof value === "string" && placeholderRange(value) !== undefined;
}

/** The first placeholder in the string, for messages (`${APP}`), shortened when it is very long. */
export function firstPlaceholder(value: string): string | undefined {
  const r = placeholderRange(value);
  if (!r) return undefined;
  const text = value.slice(r[0], r[1]);
  return text.length > 80 ? `${text.slice(0, 76)}...}` : text;
}

/** The string with every closed `${…}` placeholder taken out (what is left is written as-is), linear in its length. */
export function withoutPlaceholders(value: string): string {
  let out = "";
  let from = 0;
  for (;;) {
    const start = value.indexOf("${", from);
    const close = start < 0 ? -1 : value.indexOf("}", start + 2);
    if (close < 0) return out + value.slice(from);
    out += value.slice(from, start);
    from = close + 1;
  }
}

/**
 * A test of which strings substituting the placeholders of `value` can give (each closed `${…}` stands for any text,
 * the rest is literal): `repo${N}` can become repo2, `${N}d` can never become 7. Built in one pass over `value`; each
 * test is linear in the candidate's length (the literal pieces are matched greedily, leftmost first, which is exact
 * for a pattern whose only wildcard is "any text"; empty pieces between adjacent placeholders are dropped).
 */
export function placeholderPattern(value: string): (candidate: string) => boolean {
  const pieces: string[] = [];
  let from = 0;
  for (;;) {
    const start = value.indexOf("${", from);
    const close = start < 0 ? -1 : value.indexOf("}", start + 2);
    if (close < 0) {
      pieces.push(value.slice(from));
      break;
    }
    pieces.push(value.slice(from, start));
    from = close + 1;
  }
  if (pieces.length === 1) return (candidate) => candidate === value;
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((p) => p !== "");
  return (candidate) => {
    if (first.length + last.length > candidate.length || !candidate.startsWith(first) || !candidate.endsWith(last)) return false;
    let at = first.length;
    const end = candidate.length - last.length;
    for (const piece of middle) {
      const i = candidate.indexOf(piece, at);
      if (i < 0 || i + piece.length > end) return false;
      at = i + piece.length;
    }
    return true;
  };
}

/** Whether substituting the placeholders of `value` can give exactly `candidate` (see placeholderPattern). */
export function couldBecome(value: string, candidate: string): boolean {
  return placeholderPattern(value)(candidate);
}

/**
 * Whether `a` and `b` can be equal once substituted: equal when neither holds a placeholder, else whether one can
 * become the other (when both hold one, they may always be equal).
 */
export function mayBeEqual(a: string, b: string): boolean {
  const pa = hasPlaceholder(a);
  const pb = hasPlaceholder(b);
  if (!pa && !pb) return a === b;
  if (pa && pb) return true;
  return pa ? couldBecome(a, b) : couldBecome(b, a);
}
