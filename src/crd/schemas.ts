// Which structural schema the API server would use for an object: the built-in table derived from the
// operators' upstream CRDs (scripts/gen-crd-schemas.ts), optionally overlaid with a user's `--crd` files.
import { readFileSync } from "node:fs";
import { convertCrd, isCrd, SchemaError } from "./convert.ts";
import type { StructuralSchema } from "./structural.ts";
import { lazyTable, type LazyTable, type TableEntry } from "./table.ts";
// Type-only import, erased at runtime: it puts the JSON into the tsc program, so `npm run build`
// (tsc -p tsconfig.build.json) emits it to dist/crd/builtin-schemas.json beside dist/crd/schemas.js.
// The file itself is read lazily below, relative to this module, from src/crd/ or dist/crd/ alike.
import type BuiltinTableJson from "./builtin-schemas.json";

export interface CrdSchemas {
  forType(apiVersion: string, kind: string): StructuralSchema | undefined;
}

/** `group/version/Kind` for an object's apiVersion and kind (core group: `v1/Kind`). */
export function typeKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

const BUILTIN_URL = new URL("./builtin-schemas.json", import.meta.url);
let builtinLazy: LazyTable | undefined;
let builtin: Map<string, TableEntry> | undefined;

/** The table, read on first use, each type decoded on its first lookup (start-up: a run needs a few types). */
function lazyBuiltin(): LazyTable {
  return (builtinLazy ??= lazyTable(JSON.parse(readFileSync(BUILTIN_URL, "utf8")) as typeof BuiltinTableJson));
}

/** The built-in table with where each schema came from (for `--explain`-style output and tests). */
export function builtinCrdTable(): ReadonlyMap<string, TableEntry> {
  if (builtin === undefined) {
    const table = lazyBuiltin();
    builtin = new Map(table.keys().map((k) => [k, table.get(k)!]));
  }
  return builtin;
}

/** Schemas of the covered operators' CRDs (every served version); each decoded on first use, once. */
export function builtinCrdSchemas(): CrdSchemas {
  return {
    forType(apiVersion, kind) {
      return lazyBuiltin().get(typeKey(apiVersion, kind))?.schema;
    },
  };
}

export type CrdDocumentsResult =
  | { ok: true; schemas: Map<string, StructuralSchema>; kinds: string[] }
  | { ok: false; error: { source: string; line?: number; message: string } };

/**
 * Schemas from a user's `--crd PATH` documents: every served version of every apiextensions.k8s.io/v1
 * CustomResourceDefinition, keyed `group/version/Kind`. Other documents are ignored. A CRD whose schema
 * is not structural (or is not a v1 CRD) is an error naming the file, the document's line and the field.
 * `kinds` lists the keys found, in document order.
 */
export function crdSchemasFromDocuments(docs: { source: string; line: number; object: unknown }[]): CrdDocumentsResult {
  const schemas = new Map<string, StructuralSchema>();
  const kinds: string[] = [];
  for (const doc of docs) {
    if (!isCrd(doc.object)) continue;
    const name = crdName(doc.object);
    try {
      const crd = convertCrd(doc.object);
      for (const v of crd.versions) {
        if (!v.served) continue;
        if (!schemas.has(v.key)) kinds.push(v.key);
        schemas.set(v.key, v.schema);
      }
    } catch (e) {
      if (!(e instanceof SchemaError)) throw e;
      return {
        ok: false,
        error: { source: doc.source, line: doc.line, message: `CustomResourceDefinition ${name}: ${e.message}` },
      };
    }
  }
  return { ok: true, schemas, kinds };
}

function crdName(o: Record<string, unknown>): string {
  const m = o.metadata;
  const n = typeof m === "object" && m !== null ? (m as Record<string, unknown>).name : undefined;
  return typeof n === "string" && n !== "" ? n : "(unnamed)";
}

/** `extra` (a user's CRDs) wins per group/version/Kind; everything else comes from `base`. */
export function overlay(base: CrdSchemas, extra: Map<string, StructuralSchema>): CrdSchemas {
  return {
    forType(apiVersion, kind) {
      return extra.get(typeKey(apiVersion, kind)) ?? base.forType(apiVersion, kind);
    },
  };
}
