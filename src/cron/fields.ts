// robfig/cron's field grammar (`getField`/`getRange`/`parseIntOrName`), shared by the v1.2.0 parser CNPG
// uses and the v3.0.1 parser Kubernetes uses. The two differ only in message case and in whether a stepped
// star (`*/2`) keeps the "star bit" (v1: always; v3: only for step 1). Read from robfig/cron parser.go at
// tags v1.2.0 (b41be1df) and v3.0.1 (ccba498c).
import { goAtoi, goToLower } from "./golang.ts";

export type Flavor = "v1" | "v3";

export interface FieldBounds {
  name: "seconds" | "minutes" | "hours" | "daysOfMonth" | "months" | "daysOfWeek";
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTH_NAMES = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DOW_NAMES = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** robfig spec.go bounds, in field order (seconds first). Day of week is 0-6 in both versions. */
export const BOUNDS: readonly FieldBounds[] = [
  { name: "seconds", min: 0, max: 59 },
  { name: "minutes", min: 0, max: 59 },
  { name: "hours", min: 0, max: 23 },
  { name: "daysOfMonth", min: 1, max: 31 },
  { name: "months", min: 1, max: 12, names: MONTH_NAMES },
  { name: "daysOfWeek", min: 0, max: 6, names: DOW_NAMES },
];

export interface ParsedField {
  /** The expanded values, ascending. */
  values: number[];
  /** robfig's "star bit": the field was written as `*` or `?` (v3: not when stepped by more than 1). */
  star: boolean;
}

type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** v1 messages start with a capital letter, v3 with a lower-case one; the rest is identical. */
function message(flavor: Flavor, text: string): string {
  return flavor === "v1" ? text : text[0]!.toLowerCase() + text.slice(1);
}

function parseInt(flavor: Flavor, expr: string): Result<bigint> {
  const n = goAtoi(expr);
  if (!n.ok) return { ok: false, error: message(flavor, `Failed to parse int from ${expr}: ${n.error}`) };
  if (n.value < 0n) return { ok: false, error: message(flavor, `Negative number (${n.value}) not allowed: ${expr}`) };
  return { ok: true, value: n.value };
}

function parseIntOrName(flavor: Flavor, expr: string, names: Record<string, number> | undefined): Result<bigint> {
  if (names) {
    const key = goToLower(expr);
    if (Object.hasOwn(names, key)) return { ok: true, value: BigInt(names[key]!) };
  }
  return parseInt(flavor, expr);
}

interface RangeBits {
  values: Set<number>;
  star: boolean;
}

/** `getRange`: number | number "-" number [ "/" number ], with `*`/`?` as the whole range. */
function getRange(flavor: Flavor, expr: string, r: FieldBounds): Result<RangeBits> {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = rangeAndStep[0]!.split("-");
  const singleDigit = lowAndHigh.length === 1;
  let start: bigint;
  let end: bigint;
  let step: bigint;
  let star = false;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    // Anything after a hyphen is ignored here, exactly as upstream does (`*-5` means `*`).
    start = BigInt(r.min);
    end = BigInt(r.max);
    star = true;
  } else {
    const low = parseIntOrName(flavor, lowAndHigh[0]!, r.names);
    if (!low.ok) return low;
    start = low.value;
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) {
      const high = parseIntOrName(flavor, lowAndHigh[1]!, r.names);
      if (!high.ok) return high;
      end = high.value;
    } else return { ok: false, error: message(flavor, `Too many hyphens: ${expr}`) };
  }
  if (rangeAndStep.length === 1) step = 1n;
  else if (rangeAndStep.length === 2) {
    const s = parseInt(flavor, rangeAndStep[1]!);
    if (!s.ok) return s;
    step = s.value;
    if (singleDigit) end = BigInt(r.max); // "N/step" means "N-max/step"
    if (flavor === "v3" && step > 1n) star = false;
  } else return { ok: false, error: message(flavor, `Too many slashes: ${expr}`) };

  if (start < BigInt(r.min)) {
    return { ok: false, error: message(flavor, `Beginning of range (${start}) below minimum (${r.min}): ${expr}`) };
  }
  if (end > BigInt(r.max)) {
    return { ok: false, error: message(flavor, `End of range (${end}) above maximum (${r.max}): ${expr}`) };
  }
  if (start > end) {
    return { ok: false, error: message(flavor, `Beginning of range (${start}) beyond end of range (${end}): ${expr}`) };
  }
  if (step === 0n) return { ok: false, error: message(flavor, `Step of range should be a positive number: ${expr}`) };

  const values = new Set<number>();
  const stepN = step > 64n ? 64 : Number(step);
  for (let i = Number(start); i <= Number(end); i += stepN) values.add(i);
  return { ok: true, value: { values, star } };
}

/** `getField`: a comma-separated list of ranges; empty list items are dropped (`strings.FieldsFunc`). */
export function getField(flavor: Flavor, field: string, r: FieldBounds): Result<ParsedField> {
  const all = new Set<number>();
  let star = false;
  for (const expr of field.split(",")) {
    if (expr === "") continue;
    const bits = getRange(flavor, expr, r);
    if (!bits.ok) return bits;
    for (const v of bits.value.values) all.add(v);
    star ||= bits.value.star;
  }
  return { ok: true, value: { values: [...all].sort((a, b) => a - b), star } };
}
