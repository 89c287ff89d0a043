// What kube-apiserver does to a custom resource before any admission webhook sees it: structural pruning
// of unknown fields, removal of nulls the schema does not allow, and defaulting from the CRD's
// openAPIV3Schema. Pure functions over plain JSON data; nothing here reads files.
//
// Matched against kubernetes/apiextensions-apiserver (read at commit 1aa2717a552e, 2026-07-22) and
// kubernetes/apiserver (24a394e516bf, 2026-07-23):
//
// - Order, on CREATE/UPDATE request decoding (`pkg/apiserver/customresource_handler.go`,
//   `unstructuredNegotiatedSerializer.DecoderToVersion` -> `schemaCoercingDecoder.Decode` ->
//   `unstructuredSchemaCoercer.apply`, then the versioning codec's `unstructuredDefaulter.Default`):
//     1. root `metadata` is decoded into a typed `metav1.ObjectMeta` and written back
//        (`schema/objectmeta.GetObjectMetaWithOptions` / `SetObjectMeta`): unknown metadata fields are
//        dropped (reported as `unknown field "metadata.x"` warnings), empty `omitempty` fields vanish;
//        a known field of the wrong type makes the whole request fail (400);
//     2. `pruning.PruneWithOptions(obj, schema, isResourceRoot=true)`: unknown fields go, except
//        apiVersion/kind/metadata at the root and in `x-kubernetes-embedded-resource` objects;
//     3. `defaulting.PruneNonNullableNullsWithoutDefaults`: a `null` map value whose schema is not
//        `nullable` and has no `default` is removed;
//     4. `objectmeta.CoerceWithOptions(..., isResourceRoot=false)`: the metadata of embedded resources
//        gets the same treatment as step 1 (and a zero creationTimestamp is removed);
//     5. `defaulting.Default`: missing fields, and `null` non-nullable fields, get the schema default
//        (deep-copied); the walk then descends into the result, so defaults nested inside an inserted
//        default object are applied too. Defaults are applied only where the parent object exists.
// - After a mutating webhook returns a non-empty patch (`pkg/admission/plugin/webhook/mutating/
//   dispatcher.go`, `mutatingDispatcher.callAttrMutatingHook`): the patched JSON is decoded with a plain
//   JSON serializer and only `Default` runs again (`o.GetObjectDefaulter().Default`). Unknown fields a
//   webhook adds are pruned only when the object is encoded for etcd (`schemaCoercingConverter` in the
//   storage codec), i.e. after validating admission: see `defaultAfterMutation`.
// - Values of the wrong type are walked like the Go code does (it switches on the value's dynamic type,
//   never on `type`): a scalar or a list where the schema says object is left alone; an object where the
//   schema says string loses its keys (that schema lists none). Schema validation rejects both later;
//   that is not our job.
//
// Not simulated (they are not pruning/defaulting): server-set metadata (uid, creationTimestamp,
// generation, managedFields, `creationTimestamp: null` written by SetObjectMeta), the removal of
// `status` on create when the status subresource is enabled (`customResourceStrategy.PrepareForCreate`,
// which runs after mutating admission), and list-type/CEL validation.
import type { Resource } from "../engine/types.ts";

/**
 * The part of a CRD's openAPIV3Schema that pruning and defaulting read (`structuralschema.Structural`
 * without value validations). `type` is informational only: neither algorithm reads it (the Go code
 * switches on the value's dynamic type); x-kubernetes-int-or-string is not kept (validation only).
 */
export interface StructuralSchema {
  type?: string;
  properties?: Record<string, StructuralSchema>;
  items?: StructuralSchema;
  /** A schema for every other key (a map), or a boolean (`true`: any key, its object values pruned to {}). */
  additionalProperties?: StructuralSchema | boolean;
  default?: unknown;
  nullable?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
}

export interface ApiServerChange {
  kind: "default" | "prune";
  /** Dotted, `[i]` for array items, `["key"]` for keys with characters other than letters, digits, `_` and `-`. */
  path: string;
  /** The inserted default, or the removed value. */
  value?: unknown;
}

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const has = (o: object, k: string): boolean => Object.hasOwn(o, k);

/** Own-property lookup (a field named `constructor` must not find Object.prototype.constructor). */
function prop(s: StructuralSchema | undefined, k: string): StructuralSchema | undefined {
  const p = s?.properties;
  return p && has(p, k) ? p[k] : undefined;
}

/** Sets an own data property even for `__proto__`. */
function setOwn(o: Json, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `spec.backup.target`, `spec.plugins[0].enabled`, `metadata.annotations["cnpg.io/x"]`. */
export function joinPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (PLAIN_KEY.test(key)) return parent === "" ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

const META_FIELDS = new Set(["apiVersion", "kind", "metadata"]);

// ---- pruning: pkg/apiserver/schema/pruning/algorithm.go (prune, skipPrune) ----------------------------

/** Additional-properties schema as the Go code sees it: `Structural` is nil for a boolean. */
function additional(s: StructuralSchema): { present: boolean; schema: StructuralSchema | undefined } {
  const a = s.additionalProperties;
  if (a === undefined) return { present: false, schema: undefined };
  return { present: true, schema: typeof a === "boolean" ? undefined : a };
}

function prune(x: unknown, s: StructuralSchema | undefined, path: string, changes: ApiServerChange[], embedded: boolean): void {
  if (s?.["x-kubernetes-preserve-unknown-fields"]) {
    skipPrune(x, s, path, changes, embedded);
    return;
  }
  if (isObj(x)) {
    if (s === undefined) {
      for (const k of Object.keys(x)) {
        changes.push({ kind: "prune", path: joinPath(path, k), value: x[k] });
        delete x[k];
      }
      return;
    }
    pruneFields(x, s, path, changes, embedded, true);
  } else if (Array.isArray(x)) {
    const items = s?.items;
    x.forEach((v, i) => prune(v, items, joinPath(path, i), changes, false));
  }
}

function skipPrune(x: unknown, s: StructuralSchema | undefined, path: string, changes: ApiServerChange[], embedded: boolean): void {
  if (s === undefined) return;
  if (isObj(x)) {
    pruneFields(x, s, path, changes, embedded, false);
  } else if (Array.isArray(x)) {
    x.forEach((v, i) => skipPrune(v, s.items, joinPath(path, i), changes, false));
  }
}

/**
 * The object case of prune and skipPrune: prunes below every field the schema knows (a property, else
 * additionalProperties); a field it does not know is removed when `dropUnknown` (prune), or kept and not descended
 * into (skipPrune).
 */
function pruneFields(x: Json, s: StructuralSchema, path: string, changes: ApiServerChange[], embedded: boolean, dropUnknown: boolean): void {
  const isEmbedded = embedded || s["x-kubernetes-embedded-resource"] === true;
  const ap = additional(s);
  for (const k of Object.keys(x)) {
    if (isEmbedded && META_FIELDS.has(k)) continue;
    const p = prop(s, k);
    if (p) prune(x[k], p, joinPath(path, k), changes, false);
    else if (ap.present) prune(x[k], ap.schema, joinPath(path, k), changes, false);
    else if (dropUnknown) {
      // Go records unknown apiVersion/kind/metadata only below the root (`len(ParentPath) > 0`); at the
      // root they are skipped above anyway, so every removal is reported here.
      changes.push({ kind: "prune", path: joinPath(path, k), value: x[k] });
      delete x[k];
    }
  }
}

// ---- nulls: pkg/apiserver/schema/defaulting/prunenulls.go -----------------------------------------------

function fieldSchema(s: StructuralSchema | undefined, k: string): StructuralSchema | undefined {
  if (s === undefined) return undefined;
  const p = prop(s, k);
  if (p) return p;
  const a = s.additionalProperties;
  return a !== undefined && typeof a !== "boolean" ? a : undefined;
}

function pruneNulls(x: unknown, s: StructuralSchema | undefined, path: string, changes: ApiServerChange[]): void {
  if (isObj(x)) {
    for (const k of Object.keys(x)) {
      const fs = fieldSchema(s, k);
      const v = x[k];
      if (v === null && fs !== undefined && fs.nullable !== true && !hasDefault(fs)) {
        changes.push({ kind: "prune", path: joinPath(path, k), value: null });
        delete x[k];
      } else pruneNulls(v, fs, joinPath(path, k), changes);
    }
  } else if (Array.isArray(x)) {
    x.forEach((v, i) => pruneNulls(v, s?.items, joinPath(path, i), changes));
  }
}

// ---- defaulting: pkg/apiserver/schema/defaulting/algorithm.go (Default) ---------------------------------

function hasDefault(s: StructuralSchema | undefined): s is StructuralSchema {
  // Go: `Default.Object == nil` means "no default"; a `default: null` is therefore no default either.
  return s !== undefined && has(s, "default") && s.default !== null && s.default !== undefined;
}

const nonNullableNull = (v: unknown, s: StructuralSchema | undefined): boolean => v === null && s !== undefined && s.nullable !== true;

function applyDefaults(x: unknown, s: StructuralSchema | undefined, path: string, changes: ApiServerChange[]): void {
  if (s === undefined) return;
  if (isObj(x)) {
    for (const [k, p] of Object.entries(s.properties ?? {})) {
      if (!hasDefault(p)) continue;
      if (!has(x, k) || nonNullableNull(x[k], p)) {
        const value = structuredClone(p.default);
        setOwn(x, k, value);
        changes.push({ kind: "default", path: joinPath(path, k), value: structuredClone(value) });
      }
    }
    const ap = s.additionalProperties;
    for (const k of Object.keys(x)) {
      const p = prop(s, k);
      if (p) applyDefaults(x[k], p, joinPath(path, k), changes);
      else if (ap !== undefined) {
        const as = typeof ap === "boolean" ? undefined : ap;
        if (nonNullableNull(x[k], as) && hasDefault(as)) {
          // Go assigns `DeepCopyJSONValue(Default.Object)` here even without a default (nil -> nil: no change).
          x[k] = structuredClone(as.default);
          changes.push({ kind: "default", path: joinPath(path, k), value: structuredClone(as.default) });
        }
        applyDefaults(x[k], as, joinPath(path, k), changes);
      }
    }
  } else if (Array.isArray(x)) {
    const items = s.items;
    for (let i = 0; i < x.length; i++) {
      if (nonNullableNull(x[i], items) && hasDefault(items)) {
        x[i] = structuredClone(items.default);
        changes.push({ kind: "default", path: joinPath(path, i), value: structuredClone(items.default) });
      }
      applyDefaults(x[i], items, joinPath(path, i), changes);
    }
  }
}

// ---- metadata: pkg/apiserver/schema/objectmeta/coerce.go (GetObjectMetaWithOptions, SetObjectMeta) ----

type FieldKind = "string" | "int" | "time" | "stringMap" | "stringList" | "ownerRefs" | "managedFields";

/** metav1.ObjectMeta's JSON fields (all `omitempty`) and how encoding/json would decode them. */
const OBJECT_META: Record<string, FieldKind> = {
  name: "string",
  generateName: "string",
  namespace: "string",
  selfLink: "string",
  uid: "string",
  resourceVersion: "string",
  generation: "int",
  creationTimestamp: "time",
  deletionTimestamp: "time",
  deletionGracePeriodSeconds: "int",
  labels: "stringMap",
  annotations: "stringMap",
  ownerReferences: "ownerRefs",
  finalizers: "stringList",
  managedFields: "managedFields",
};

const OWNER_REFERENCE: Record<string, "string" | "bool"> = {
  apiVersion: "string",
  kind: "string",
  name: "string",
  uid: "string",
  controller: "bool",
  blockOwnerDeletion: "bool",
};

const MANAGED_FIELDS_ENTRY: Record<string, "string" | "time" | "object"> = {
  manager: "string",
  operation: "string",
  apiVersion: "string",
  time: "time",
  fieldsType: "string",
  fieldsV1: "object",
  subresource: "string",
};

// metav1.Time.UnmarshalJSON: time.Parse(time.RFC3339, s)
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function decodes(kind: FieldKind | "bool" | "object", v: unknown): boolean {
  if (v === null) return true; // encoding/json: null leaves the zero value
  switch (kind) {
    case "string":
      return typeof v === "string";
    case "bool":
      return typeof v === "boolean";
    case "int":
      return typeof v === "number" && Number.isSafeInteger(v);
    case "time":
      return typeof v === "string" && RFC3339.test(v);
    case "object":
      return typeof v === "object"; // fieldsV1 is raw JSON: anything but a scalar is kept as it is
    case "stringMap":
      // A null label/annotation value decodes to "" in Go; not simulated (metadata is then left as it is).
      return isObj(v) && Object.values(v).every((x) => typeof x === "string");
    case "stringList":
      return Array.isArray(v) && v.every((x) => typeof x === "string");
    case "ownerRefs":
      return Array.isArray(v) && v.every((r) => r === null || (isObj(r) && Object.entries(r).every(([k, x]) => !has(OWNER_REFERENCE, k) || decodes(OWNER_REFERENCE[k]!, x))));
    case "managedFields":
      return Array.isArray(v) && v.every((r) => r === null || (isObj(r) && Object.entries(r).every(([k, x]) => !has(MANAGED_FIELDS_ENTRY, k) || decodes(MANAGED_FIELDS_ENTRY[k]!, x))));
  }
}

/** What `omitempty` drops when ObjectMeta is written back (plus nulls, which decode to zero values). */
function isEmpty(v: unknown): boolean {
  if (v === null || v === "" || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObj(v) && Object.keys(v).length === 0;
}

/**
 * Drops what a round trip through a typed struct drops: unknown keys, nulls, empty `omitempty` fields
 * (`keepZero`: fields that are pointers or not omitempty, kept unless null).
 */
function coerceStruct(o: Json, fields: Record<string, string>, path: string, changes: ApiServerChange[], keepZero: Set<string>): void {
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (!has(fields, k) || v === null || (!keepZero.has(k) && isEmpty(v))) {
      changes.push({ kind: "prune", path: joinPath(path, k), value: o[k] });
      delete o[k];
    }
  }
}

/**
 * Root or embedded `metadata`. When a known field does not decode (wrong type), the API server fails the
 * request (or, for embedded resources, rejects it in Coerce); we then leave metadata as it is.
 */
function coerceMetadata(holder: Json, path: string, changes: ApiServerChange[]): void {
  if (!has(holder, "metadata")) return;
  const meta = holder.metadata;
  if (!isObj(meta)) return; // null or wrong type: not ours to fix
  for (const [k, v] of Object.entries(meta)) if (has(OBJECT_META, k) && !decodes(OBJECT_META[k]!, v)) return;
  const metaPath = joinPath(path, "metadata");
  // deletionGracePeriodSeconds is a *int64 (omitempty drops nil only); `generation` is int64.
  coerceStruct(meta, OBJECT_META, metaPath, changes, new Set(["deletionGracePeriodSeconds"]));
  // metav1.OwnerReference: controller/blockOwnerDeletion are *bool (kept when false); strings are not
  // omitempty (kept even when empty). ManagedFieldsEntry: all omitempty.
  const refs = meta.ownerReferences;
  if (Array.isArray(refs))
    refs.forEach((r, i) => isObj(r) && coerceStruct(r, OWNER_REFERENCE, joinPath(joinPath(metaPath, "ownerReferences"), i), changes, new Set(Object.keys(OWNER_REFERENCE))));
  const mf = meta.managedFields;
  if (Array.isArray(mf)) mf.forEach((r, i) => isObj(r) && coerceStruct(r, MANAGED_FIELDS_ENTRY, joinPath(joinPath(metaPath, "managedFields"), i), changes, new Set()));
}

/** objectmeta.Coerce with isResourceRoot=false: metadata of `x-kubernetes-embedded-resource` objects. */
function coerceEmbedded(x: unknown, s: StructuralSchema | undefined, path: string, changes: ApiServerChange[]): void {
  if (s === undefined) return;
  if (isObj(x)) {
    // apiVersion/kind that are not strings fail the request ("must be a string"): leave such objects alone.
    // Coerce also removes a zero creationTimestamp; coerceMetadata drops empty values anyway.
    if (s["x-kubernetes-embedded-resource"] && ["apiVersion", "kind"].every((k) => !has(x, k) || typeof x[k] === "string"))
      coerceMetadata(x, path, changes);
    const ap = s.additionalProperties;
    for (const k of Object.keys(x)) {
      const p = prop(s, k);
      if (p) coerceEmbedded(x[k], p, joinPath(path, k), changes);
      else if (ap !== undefined && typeof ap !== "boolean") coerceEmbedded(x[k], ap, joinPath(path, k), changes);
    }
  } else if (Array.isArray(x)) {
    x.forEach((v, i) => coerceEmbedded(v, s.items, joinPath(path, i), changes));
  }
}

function hasEmbedded(s: StructuralSchema | undefined, seen = new Set<StructuralSchema>()): boolean {
  if (s === undefined || seen.has(s)) return false;
  seen.add(s);
  if (s["x-kubernetes-embedded-resource"]) return true;
  if (s.items && hasEmbedded(s.items, seen)) return true;
  if (typeof s.additionalProperties === "object" && hasEmbedded(s.additionalProperties, seen)) return true;
  return Object.values(s.properties ?? {}).some((p) => hasEmbedded(p, seen));
}

const embeddedCache = new WeakMap<StructuralSchema, boolean>();

/**
 * Prunes a value in place against a (sub)schema, the way `defaulting.PruneDefaults` prunes a CRD's
 * `default` values when the CRD is loaded. Returns what it removed (paths relative to the value).
 */
export function pruneValue(value: unknown, schema: StructuralSchema): ApiServerChange[] {
  const changes: ApiServerChange[] = [];
  prune(value, schema, "", changes, schema["x-kubernetes-embedded-resource"] === true);
  return changes;
}

/**
 * The object as the API server hands it to mutating admission webhooks: metadata coerced, unknown fields
 * pruned, disallowed nulls dropped, then CRD defaults applied. `changes` lists every removal and every
 * inserted default, in that order. The input is not modified.
 */
export function applyStructural(resource: Resource, schema: StructuralSchema): { resource: Resource; changes: ApiServerChange[] } {
  const obj = structuredClone(resource) as Resource;
  const changes: ApiServerChange[] = [];
  if (!isObj(obj)) return { resource: obj, changes };
  coerceMetadata(obj, "", changes);
  prune(obj, schema, "", changes, true); // isResourceRoot: the root counts as an embedded resource
  pruneNulls(obj, schema, "", changes);
  let embedded = embeddedCache.get(schema);
  if (embedded === undefined) embeddedCache.set(schema, (embedded = hasEmbedded(schema)));
  if (embedded) coerceEmbedded(obj, schema, "", changes);
  applyDefaults(obj, schema, "", changes);
  return { resource: obj, changes };
}

/**
 * What the API server does after a mutating webhook's non-empty patch: defaulting only (no pruning until
 * the object is written to etcd, after validating admission). The input is not modified.
 */
export function defaultAfterMutation(resource: Resource, schema: StructuralSchema): { resource: Resource; changes: ApiServerChange[] } {
  const obj = structuredClone(resource) as Resource;
  const changes: ApiServerChange[] = [];
  if (isObj(obj)) applyDefaults(obj, schema, "", changes);
  return { resource: obj, changes };
}
