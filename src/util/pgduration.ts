// PostgreSQL's syntax for time-valued settings (e.g. archive_timeout = '5min'): a number, optional
// whitespace and an optional unit among us, ms, s, min, h, d. Without a unit the setting's own unit applies.

const UNIT_SECONDS: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, min: 60, h: 3600, d: 86400 };
const SYNTAX = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-z]*)\s*$/;

export type PgDurationResult = { ok: true; seconds: number } | { ok: false; error: string };

export function parsePgDuration(value: unknown, defaultUnit: "s" | "ms" | "min" = "s"): PgDurationResult {
  if (typeof value === "number" && Number.isFinite(value)) {
    return { ok: true, seconds: value * UNIT_SECONDS[defaultUnit]! };
  }
  if (typeof value !== "string") return { ok: false, error: `expected a string such as "5min", got ${typeof value}` };
  if (value.length > 64) return { ok: false, error: "value is too long to be a duration" };
  const m = SYNTAX.exec(value);
  if (!m) return { ok: false, error: `"${value}" is not a PostgreSQL duration (e.g. "300", "300s", "5min", "1h")` };
  const unit = m[2] === "" ? defaultUnit : m[2]!;
  const factor = UNIT_SECONDS[unit];
  if (factor === undefined) {
    return { ok: false, error: `"${value}": invalid unit "${m[2]}"; valid units are "us", "ms", "s", "min", "h", and "d"` };
  }
  const seconds = Number(m[1]) * factor;
  if (!Number.isFinite(seconds)) return { ok: false, error: `"${value}" is out of range` };
  return { ok: true, seconds };
}

/** A value PostgreSQL accepts for a seconds-unit setting, in the largest whole unit: 300 -> "5min", 90 -> "90s". */
export function formatPgDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s > 0 && s % 3600 === 0) return `${s / 3600}h`;
  if (s > 0 && s % 60 === 0) return `${s / 60}min`;
  return `${s}s`;
}
