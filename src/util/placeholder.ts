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
