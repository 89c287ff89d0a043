// A bounded memo for hot paths: two generations instead of a strict LRU list. A hit in the young generation is one
// Map lookup with no reordering; a hit in the old one moves the entry to the young one. When the young generation
// is full it becomes the old one (the previous old one is dropped). So at most 2 x `generation` entries are held,
// and every entry used within the last `generation` insertions survives.
export class GenerationCache<K, V> {
  #young = new Map<K, V>();
  #old = new Map<K, V>();
  readonly generation: number;

  constructor(generation: number) {
    this.generation = Math.max(1, Math.floor(generation));
  }

  get(key: K): V | undefined {
    const young = this.#young.get(key);
    if (young !== undefined) return young;
    const old = this.#old.get(key);
    if (old !== undefined) {
      this.#old.delete(key);
      this.set(key, old);
    }
    return old;
  }

  set(key: K, value: V): void {
    if (!this.#young.has(key) && this.#young.size >= this.generation) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(key, value);
  }

  delete(key: K): void {
    this.#young.delete(key);
    this.#old.delete(key);
  }

  clear(): void {
    this.#young.clear();
    this.#old.clear();
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }
}

/**
 * `fn` memoised by `key` of its arguments in a GenerationCache of `generation` entries; answers `undefined` included
 * (each answer is boxed). For pure functions only.
 */
export function boundedMemo<A extends unknown[], R>(generation: number, key: (...args: A) => string, fn: (...args: A) => R): (...args: A) => R {
  const cache = new GenerationCache<string, { value: R }>(generation);
  return (...args) => {
    const k = key(...args);
    let hit = cache.get(k);
    if (hit === undefined) cache.set(k, (hit = { value: fn(...args) }));
    return hit.value;
  };
}
