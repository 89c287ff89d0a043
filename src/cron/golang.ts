// Small, faithful copies of the Go standard-library behaviour robfig/cron relies on: strings.Fields,
// strings.ToLower (for month/day names), strconv.Atoi with its error texts, strconv.Quote.
// The error messages users see are built from these, so they must match Go's byte for byte where we can.

/** unicode.IsSpace: what `strings.Fields` splits on (note: not U+FEFF, but U+0085 is). */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** Go's `strings.Fields`. */
export function goFields(text: string): string[] {
  return text.split(GO_SPACE).filter((f) => f.length > 0);
}

/** Go's `strings.ToLower` for the short ASCII names robfig compares against (Go maps U+0130 to "i", JS to "i̇"). */
export function goToLower(text: string): string {
  return text.replace(/\u0130/g, "i").toLowerCase();
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

/** Go's `strconv.Quote` (escapes non-printable runes; printable Unicode stays as is). */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const r = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (PRINTABLE.test(ch)) out += ch;
    else if (r === 7) out += "\\a";
    else if (r === 8) out += "\\b";
    else if (r === 12) out += "\\f";
    else if (r === 10) out += "\\n";
    else if (r === 13) out += "\\r";
    else if (r === 9) out += "\\t";
    else if (r === 11) out += "\\v";
    else if (r < 0x20 || r === 0x7f) out += "\\x" + hex(r, 2);
    else if (r >= 0xd800 && r <= 0xdfff) out += "\uFFFD"; // a lone surrogate reaches Go as U+FFFD, which is printable
    else if (r < 0x10000) out += "\\u" + hex(r, 4);
    else out += "\\U" + hex(r, 8);
  }
  return out + '"';
}

export type AtoiResult = { ok: true; value: bigint } | { ok: false; error: string };

const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** Go's `strconv.Atoi` on a 64-bit platform: optional sign, decimal digits only, int64 range. */
export function goAtoi(text: string): AtoiResult {
  const syntax = { ok: false as const, error: `strconv.Atoi: parsing ${goQuote(text)}: invalid syntax` };
  const range = { ok: false as const, error: `strconv.Atoi: parsing ${goQuote(text)}: value out of range` };
  let s = text;
  let negative = false;
  if (s[0] === "+" || s[0] === "-") {
    negative = s[0] === "-";
    s = s.slice(1);
  }
  if (s.length === 0) return syntax;
  let value = 0n;
  for (const ch of s) {
    if (ch < "0" || ch > "9") return syntax;
    value = value * 10n + BigInt(ch.charCodeAt(0) - 48);
    // ParseUint stops at the first digit that overflows uint64, before seeing later bad characters.
    if (value > UINT64_MAX) return range;
  }
  if (negative ? value > INT64_MAX + 1n : value > INT64_MAX) return range;
  return { ok: true, value: negative ? -value : value };
}
