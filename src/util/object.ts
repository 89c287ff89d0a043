// Small helpers for walking untyped Kubernetes objects.

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Rules read the same constant paths for every object: their steps are split once. Bounded, because a few paths
// are built from the object's own keys.
const SPLIT_CACHE_MAX = 4096;
const splitCache = new Map<string, readonly string[]>();

function stepsOf(path: string): readonly string[] {
  let steps = splitCache.get(path);
  if (steps === undefined) {
    steps = path.split(".");
    if (splitCache.size < SPLIT_CACHE_MAX) splitCache.set(path, steps);
  }
  return steps;
}

/** The value at a dotted path (`spec.backup.target`); `undefined` when any step is missing or not an object. */
export function getPath(root: unknown, path: string | readonly string[]): unknown {
  const steps = typeof path === "string" ? stepsOf(path) : path;
  let cur: unknown = root;
  for (const step of steps) {
    if (!isObject(cur)) return undefined;
    cur = cur[step];
  }
  return cur;
}

/** The object at a path, or `undefined` when it is absent or not an object. */
export function getObject(root: unknown, path: string | readonly string[]): JsonObject | undefined {
  const v = getPath(root, path);
  return isObject(v) ? v : undefined;
}

export function getString(root: unknown, path: string | readonly string[]): string | undefined {
  const v = getPath(root, path);
  return typeof v === "string" ? v : undefined;
}

export function getArray(root: unknown, path: string | readonly string[]): unknown[] | undefined {
  const v = getPath(root, path);
  return Array.isArray(v) ? v : undefined;
}

/** Ensures an object exists at `path` (creating parents) and returns it. For defaulters, on a private copy. */
export function ensureObject(root: JsonObject, path: readonly string[]): JsonObject {
  let cur = root;
  for (const step of path) {
    const next = cur[step];
    if (isObject(next)) cur = next;
    else {
      const created: JsonObject = {};
      cur[step] = created;
      cur = created;
    }
  }
  return cur;
}

/** A deep copy of JSON data (what YAML and AdmissionReviews give us). */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}
