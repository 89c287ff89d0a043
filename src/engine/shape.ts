// The shape every covered object must have before any rule looks at it: what the API server itself refuses
// (ObjectMeta's string fields, a CRD's `spec: {type: object}`). An object of another shape can never be stored,
// so it is denied with one clear finding instead of being fed to rules written for the real shape.
import type { Problem, ResourceType } from "./types.ts";
import { isObject } from "../util/object.ts";
import { SPEC_IS_OBJECT } from "../operators/index.ts";

/** The id of the finding for an object the API server would refuse for its shape. Always `deny`. */
export const SHAPE_RULE_ID = "resource-shape";


/** ObjectMeta fields that are strings in Go (`metav1.ObjectMeta`); a YAML number or map there fails decoding. */
const META_STRINGS = ["name", "namespace", "generateName"] as const;
/** ObjectMeta fields that are `map[string]string`. */
const META_STRING_MAPS = ["labels", "annotations"] as const;
/** At most this many problems are listed: one is enough to refuse the object. */
const MAX_PROBLEMS = 10;

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (isObject(v)) return "a map";
  return `a ${typeof v}`;
}

/**
 * What is wrong with the object's shape, as the API server would report it; empty when nothing is. Linear in
 * the size of `labels`/`annotations` and nothing else. `raw` is the object as parsed (before `asResource`
 * normalised `metadata`).
 */
export function shapeProblems(raw: Record<string, unknown>, type: ResourceType): Problem[] {
  const out: Problem[] = [];
  const meta = raw.metadata;
  if (meta !== undefined && !isObject(meta)) {
    out.push({ path: "metadata", message: `must be a map (ObjectMeta), not ${kindOf(meta)}; the API server refuses this object` });
  } else if (isObject(meta)) {
    for (const field of META_STRINGS) {
      const v = meta[field];
      if (v !== undefined && v !== null && typeof v !== "string")
        out.push({ path: `metadata.${field}`, message: `must be a string, not ${kindOf(v)}; the API server refuses this object` });
    }
    for (const field of META_STRING_MAPS) {
      const v = meta[field];
      if (v === undefined || v === null) continue;
      if (!isObject(v)) {
        out.push({ path: `metadata.${field}`, message: `must be a map of strings, not ${kindOf(v)}; the API server refuses this object` });
        continue;
      }
      for (const key of Object.keys(v)) {
        if (out.length >= MAX_PROBLEMS) break;
        const value = v[key];
        // A null value decodes to "" (Go's JSON decoder leaves the string empty); a number or a map does not decode.
        if (value !== null && typeof value !== "string")
          out.push({
            path: `metadata.${field}[${JSON.stringify(key)}]`,
            message: `must be a string (quote it), not ${kindOf(value)}; the API server refuses this object`,
          });
      }
    }
  }
  const spec = raw.spec;
  if (SPEC_IS_OBJECT.has(type) && spec !== undefined && spec !== null && !isObject(spec)) {
    out.push({ path: "spec", message: `must be a map (the operator's CRD declares spec as an object), not ${kindOf(spec)}; the API server refuses this object` });
  }
  return out.slice(0, MAX_PROBLEMS);
}
