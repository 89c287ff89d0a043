// One bounded nesting-depth check for parsed JSON/YAML values, shared by the CLI's parsers and the webhook
// (which runs it on every request: no recursion, no per-node allocation).

/**
 * Nesting depth of a value (a scalar is 0, `{}` is 1), computed without recursion. Stops as soon as the
 * depth passes `limit` and returns `limit + 1` then.
 */
export function jsonDepth(value: unknown, limit: number): number {
  if (typeof value !== "object" || value === null) return 0;
  // Two parallel stacks instead of a [value, depth] pair per node.
  const values: object[] = [value];
  const depths: number[] = [1];
  let max = 0;
  while (values.length > 0) {
    const v = values.pop()!;
    const d = depths.pop()!;
    if (d > max) {
      max = d;
      if (max > limit) return max;
    }
    if (Array.isArray(v)) {
      for (const c of v) {
        if (typeof c === "object" && c !== null) {
          values.push(c);
          depths.push(d + 1);
        }
      }
    } else {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        const c = o[k];
        if (typeof c === "object" && c !== null) {
          values.push(c);
          depths.push(d + 1);
        }
      }
    }
  }
  return max;
}

/** Whether a value is nested deeper than `limit` levels. */
export function exceedsDepth(value: unknown, limit: number): boolean {
  return typeof value === "object" && value !== null && jsonDepth(value, limit) > limit;
}
