// Jenkins-style H tokens in cron templates (a policy's default schedules, e.g. "H H(1-4) * * *"): each object gets
// its own stable minute and hour, derived from a key, so defaulted backups of many clusters do not all start at once.
import { createHash } from "node:crypto";

/** Field ranges for H: minute, hour, day of month (1-28 so it fires every month), month, day of week. */
const H_RANGES: readonly [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 28],
  [1, 12],
  [0, 6],
];
const H_ITEM = /^H(?:\((\d+)-(\d+)\))?(?:\/(\d+))?$/;

export type Expansion = { ok: true; text: string } | { ok: false; error: string };

/**
 * Replaces Jenkins-style H tokens in a 5-field cron template with values derived from `key`.
 * The k-th H item (0-based, left to right) uses the k-th 32-bit big-endian word of SHA-256(key) as `u`:
 * `H` -> lo + u mod (hi-lo+1); `H(a-b)` -> a + u mod (b-a+1); `H/n` and `H(a-b)/n` -> start = lo + u mod n,
 * written as `start-hi/n`. lo..hi is the field's range (day of month: 1-28). At most 8 H items.
 */
export function expandHashTokens(template: string, key: string): Expansion {
  if (!template.includes("H")) return { ok: true, text: template };
  const fields = template.trim().split(/\s+/);
  if (fields.length !== 5) return { ok: false, error: `H needs a 5-field cron expression, got ${fields.length} fields in "${template}"` };
  const digest = createHash("sha256").update(key, "utf8").digest();
  let k = 0;
  const out: string[] = [];
  for (const [f, field] of fields.entries()) {
    const [lo, hi] = H_RANGES[f]!;
    const items: string[] = [];
    for (const item of field.split(",")) {
      const m = H_ITEM.exec(item);
      if (!m) {
        if (item.includes("H")) return { ok: false, error: `"${item}" is not H, H(a-b), H/n or H(a-b)/n` };
        items.push(item);
        continue;
      }
      if (k >= 8) return { ok: false, error: "at most 8 H items are supported" };
      const u = digest.readUInt32BE(4 * k++);
      const a = m[1] === undefined ? lo : Number(m[1]);
      const b = m[2] === undefined ? hi : Number(m[2]);
      if (a < lo || b > hi || a > b) return { ok: false, error: `H(${a}-${b}) is outside ${lo}-${hi} for field ${f + 1}` };
      if (m[3] === undefined) {
        items.push(String(a + (u % (b - a + 1))));
        continue;
      }
      const step = Number(m[3]);
      if (step < 1) return { ok: false, error: `step ${step} must be at least 1` };
      items.push(`${a + (u % Math.min(step, b - a + 1))}-${b}/${step}`);
    }
    out.push(items.join(","));
  }
  return { ok: true, text: out.join(" ") };
}
