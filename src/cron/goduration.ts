// Go's `time.ParseDuration`, faithfully (grammar, overflow rules, float rounding of fractions and error
// texts), because `@every <duration>` is parsed by it in both robfig/cron v1 and v3.

export type GoDurationResult = { ok: true; nanoseconds: bigint } | { ok: false; error: string };

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  "\u00b5s": 1_000n, // micro sign
  "\u03bcs": 1_000n, // Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const TWO63 = 1n << 63n;
const encoder = new TextEncoder();

/** The time package's own `quote`: non-ASCII and control bytes as `\xNN`, `"` and `\` escaped. */
export function goTimeQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const r = ch.codePointAt(0)!;
    if (r >= 0x80 || r < 0x20) {
      for (const b of encoder.encode(ch)) out += "\\x" + b.toString(16).padStart(2, "0");
    } else {
      if (ch === '"' || ch === "\\") out += "\\";
      out += ch;
    }
  }
  return out + '"';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

/**
 * Parses like Go. Works on UTF-16 code units where Go works on bytes; the only multi-byte characters
 * Go treats specially are the two micro signs, which are single code units here too.
 */
export function parseGoDuration(orig: string): GoDurationResult {
  const invalid = { ok: false as const, error: `time: invalid duration ${goTimeQuote(orig)}` };
  let s = orig;
  let d = 0n;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return { ok: true, nanoseconds: 0n };
  if (s === "") return invalid;
  while (s !== "") {
    if (!(s[0] === "." || isDigit(s[0]))) return invalid;
    // leadingInt: [0-9]*, failing on overflow past 1<<63.
    let v = 0n;
    let i = 0;
    for (; i < s.length && isDigit(s[i]); i++) {
      if (v > TWO63 / 10n) return invalid;
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > TWO63) return invalid;
    }
    const pre = i > 0;
    s = s.slice(i);
    // leadingFraction: (\.[0-9]*)?, silently dropping precision on overflow.
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s !== "" && s[0] === ".") {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      for (; j < s.length && isDigit(s[j]); j++) {
        if (overflow) continue;
        if (f > (TWO63 - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(s.charCodeAt(j) - 48);
        if (y > TWO63) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) return invalid;
    let u = 0;
    for (; u < s.length; u++) {
      if (s[u] === "." || isDigit(s[u])) break;
    }
    if (u === 0) return { ok: false, error: `time: missing unit in duration ${goTimeQuote(orig)}` };
    const unitText = s.slice(0, u);
    s = s.slice(u);
    const unit = UNITS[unitText];
    if (unit === undefined) {
      return { ok: false, error: `time: unknown unit ${goTimeQuote(unitText)} in duration ${goTimeQuote(orig)}` };
    }
    if (v > TWO63 / unit) return invalid;
    v *= unit;
    if (f > 0n) {
      // Go: v += uint64(float64(f) * (float64(unit) / scale)) — float64 arithmetic, truncated.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > TWO63) return invalid;
    }
    d += v;
    if (d > TWO63) return invalid;
  }
  if (neg) return { ok: true, nanoseconds: -d };
  if (d > TWO63 - 1n) return invalid;
  return { ok: true, nanoseconds: d };
}

/**
 * robfig's `Every(d)`: below one second becomes one second, sub-second parts are truncated.
 * Returns whole seconds.
 */
export function everySeconds(nanoseconds: bigint): number {
  const second = 1_000_000_000n;
  const d = nanoseconds < second ? second : nanoseconds;
  return Number(d / second);
}

/** Go's `Duration.String()` for whole seconds, e.g. 5400 -> "1h30m0s". */
export function goDurationString(seconds: number): string {
  if (seconds === 0) return "0s";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
