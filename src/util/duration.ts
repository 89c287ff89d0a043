// Durations as written in policies: `30s`, `5m`, `1h`, `7d`, `2w`, combinable (`1h30m`).

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

export const DURATION_PATTERN = "^([0-9]+[smhdw])+$";
const WHOLE = new RegExp(DURATION_PATTERN);
const PART = /([0-9]+)([smhdw])/g;

/** Seconds in a policy duration, or `undefined` when the text is not one. */
export function parseDuration(text: string): number | undefined {
  if (typeof text !== "string" || text.length > 64 || !WHOLE.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(PART)) total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  return Number.isSafeInteger(total) ? total : undefined;
}

/** A short human form: 604800 -> "7d", 5400 -> "1h30m", 90 -> "1m30s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds === 0) return "0s";
  let rest = Math.round(seconds);
  const parts: string[] = [];
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join("");
}
