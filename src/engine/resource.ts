import type { Resource, ResourceType } from "./types.ts";
import { isObject } from "../util/object.ts";

import { COVERED_TYPES } from "../operators/index.ts";

/** `group/version/Kind` of an object, whether or not it is covered. */
export function typeKey(obj: { apiVersion?: unknown; kind?: unknown }): string {
  return `${String(obj.apiVersion)}/${String(obj.kind)}`;
}

const COVERED: ReadonlySet<string> = new Set(COVERED_TYPES);

/** apiVersion -> kind -> covered type (no `group/version/Kind` string built per call: this runs many times per object). */
let covered: Map<string, Map<string, ResourceType>> | undefined;

function coveredTable(): Map<string, Map<string, ResourceType>> {
  if (covered) return covered;
  covered = new Map();
  for (const type of COVERED_TYPES) {
    const cut = type.lastIndexOf("/");
    const apiVersion = type.slice(0, cut);
    let kinds = covered.get(apiVersion);
    if (!kinds) covered.set(apiVersion, (kinds = new Map()));
    kinds.set(type.slice(cut + 1), type);
  }
  return covered;
}

/** The covered type of an object, or `undefined` for every other kind. */
export function resourceTypeOf(obj: unknown): ResourceType | undefined {
  if (!isObject(obj) || typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") return undefined;
  const type = coveredTable().get(obj.apiVersion)?.get(obj.kind);
  if (type !== undefined) return type;
  // The joined string decides, as it always has (`a` + `b/Kind` reads as `a/b/Kind`).
  const key = typeKey(obj);
  return COVERED.has(key) ? (key as ResourceType) : undefined;
}

/**
 * Whether a parsed document looks like a Kubernetes object at all (apiVersion + kind strings). Used by the
 * CLI to skip Helm values, kustomizations' fragments and other non-resources gracefully.
 */
export function isKubernetesObject(obj: unknown): obj is Resource {
  return isObject(obj) && typeof obj.apiVersion === "string" && typeof obj.kind === "string";
}

/** Normalises `metadata` so rules can read it without checking its type every time. */
export function asResource(obj: Record<string, unknown>): Resource {
  const metadata = isObject(obj.metadata) ? obj.metadata : {};
  return { ...obj, metadata } as Resource;
}

/** How every output names an object: `Cluster db/pg`, `Cluster pg` without a namespace, `(unnamed)` without a name. */
export function resourceLabel(r: { kind: string; namespace?: string | null | undefined; name?: string | null | undefined }): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ""}${r.name ?? "(unnamed)"}`;
}
