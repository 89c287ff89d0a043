// The on-disk form of the built-in schema table (src/crd/builtin-schemas.json): structural schemas with
// repeated subtrees stored once. A node `{"@": n}` stands for `shared[n]`; a shared entry only refers to
// entries before it, so one pass in order resolves everything. Decoded schemas share those subtrees
// (a DAG): treat them as read-only.
import type { StructuralSchema } from "./structural.ts";

export interface TableEntry {
  /** Upstream file and the CRD's own version annotation/label it came from. */
  source: string;
  schema: StructuralSchema;
}

export interface EncodedTable {
  about: string;
  types: Record<string, { source: string; schema: unknown }>;
  shared: unknown[];
}

type Node = Record<string, unknown>;

const isObj = (v: unknown): v is Node => typeof v === "object" && v !== null && !Array.isArray(v);

function define(o: Node, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** Subtrees smaller than this (as JSON) are written inline: a reference would not be shorter. */
const MIN_SHARED = 24;

export function encodeTable(about: string, entries: Record<string, TableEntry>): EncodedTable {
  const count = new Map<string, number>();
  const countAll = (s: StructuralSchema): void => {
    const c = JSON.stringify(s);
    count.set(c, (count.get(c) ?? 0) + 1);
    for (const p of Object.values(s.properties ?? {})) countAll(p);
    if (s.items) countAll(s.items);
    if (typeof s.additionalProperties === "object") countAll(s.additionalProperties);
  };
  for (const e of Object.values(entries)) countAll(e.schema);

  const shared: unknown[] = [];
  const index = new Map<string, number>();
  const body = (s: StructuralSchema): Node => {
    const out: Node = {};
    for (const [k, v] of Object.entries(s)) {
      if (k === "properties") {
        const props: Node = {};
        for (const [pk, pv] of Object.entries(v as Record<string, StructuralSchema>)) define(props, pk, node(pv));
        out.properties = props;
      } else if (k === "items" || (k === "additionalProperties" && typeof v === "object")) out[k] = node(v as StructuralSchema);
      else out[k] = v;
    }
    return out;
  };
  const node = (s: StructuralSchema): Node => {
    const c = JSON.stringify(s);
    if ((count.get(c) ?? 0) < 2 || c.length < MIN_SHARED) return body(s);
    let i = index.get(c);
    if (i === undefined) {
      const b = body(s); // children first: they get the lower indices
      i = shared.length;
      shared.push(b);
      index.set(c, i);
    }
    return { "@": i };
  };
  const types: EncodedTable["types"] = {};
  for (const [k, e] of Object.entries(entries)) types[k] = { source: e.source, schema: node(e.schema) };
  return { about, types, shared };
}

/** JSON text with one line per type and per shared node, so regenerations diff line by line. */
export function formatTable(t: EncodedTable): string {
  const types = Object.entries(t.types).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  const shared = t.shared.map((s) => `    ${JSON.stringify(s)}`);
  return `{\n  "about": ${JSON.stringify(t.about)},\n  "types": {\n${types.join(",\n")}\n  },\n  "shared": [\n${shared.join(",\n")}\n  ]\n}\n`;
}

/** The decoded table, one type at a time: what `validate` of one Cluster needs is that type's schema only. */
export interface LazyTable {
  keys(): string[];
  /** The entry of `group/version/Kind`, decoded (with the shared nodes it uses) on its first lookup. */
  get(key: string): TableEntry | undefined;
}

/**
 * Decodes on demand (start-up, issue 13: the whole table took ~9 ms of a `validate` that needs one type). A
 * shared node is decoded once, on first use, and then shared by every type that uses it, as with a full decode;
 * the checks are a full decode's, made on the part decoded.
 */
export function lazyTable(raw: unknown): LazyTable {
  if (!isObj(raw) || !isObj(raw.types) || !Array.isArray(raw.shared)) throw new Error("builtin CRD schema table: unexpected format");
  const types = raw.types;
  const encoded = raw.shared;
  const shared: (StructuralSchema | undefined)[] = [];
  const entries = new Map<string, TableEntry>();
  const sharedNode = (i: number): StructuralSchema => (shared[i] ??= resolve(encoded[i], i));
  // Nodes are decoded in place: each inline node occurs once in the JSON, each shared one is memoised above.
  const resolve = (n: unknown, limit: number): StructuralSchema => {
    if (!isObj(n)) throw new Error("builtin CRD schema table: a schema node is not an object");
    if (Object.hasOwn(n, "@")) {
      const i = n["@"];
      if (typeof i !== "number" || !(i >= 0 && i < limit)) throw new Error(`builtin CRD schema table: bad reference ${String(i)}`);
      return sharedNode(i);
    }
    const props = n.properties;
    if (isObj(props)) {
      for (const k in props) {
        if (!Object.hasOwn(props, k)) continue;
        const v = resolve(props[k], limit);
        // A plain assignment sets an own data property as defineProperty does (JSON.parse made them own, even
        // `__proto__`); defineProperty stays for `__proto__`, to read as what it is.
        if (k === "__proto__") define(props, k, v);
        else props[k] = v;
      }
    }
    if (n.items !== undefined) n.items = resolve(n.items, limit);
    if (isObj(n.additionalProperties)) n.additionalProperties = resolve(n.additionalProperties, limit);
    return n as StructuralSchema;
  };
  return {
    keys: () => Object.keys(types),
    get(key) {
      let e = entries.get(key);
      if (e === undefined) {
        if (!Object.hasOwn(types, key)) return undefined;
        const v = types[key];
        if (!isObj(v) || typeof v.source !== "string") throw new Error(`builtin CRD schema table: bad entry ${key}`);
        e = { source: v.source, schema: resolve(v.schema, encoded.length) };
        entries.set(key, e);
      }
      return e;
    },
  };
}

/** Every entry decoded, in the table's order. */
export function decodeTable(raw: unknown): Map<string, TableEntry> {
  const table = lazyTable(raw);
  const out = new Map<string, TableEntry>();
  for (const k of table.keys()) out.set(k, table.get(k)!);
  return out;
}
