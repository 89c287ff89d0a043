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

/** Sets an own data property even for `__proto__` (on a plain object, any other key is an own data property anyway). */
function setOwn(o: Json, k: string, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `spec.backup.target`, `spec.plugins[0].enabled`, `metadata.annotations["cnpg.io/x"]`. */
export function joinPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (PLAIN_KEY.test(key)) return parent === "" ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

/**
 * Where a walk is: the keys from the root to the current value. The path string of a field is built only when a
 * change is recorded there (most fields need none), instead of one `joinPath` per field visited.
 */
interface Walk {
  changes: ApiServerChange[];
  keys: (string | number)[];
}

/** The path of field `k` of the value the walk is at. */
function pathTo(w: Walk, k: string | number): string {
  let p = "";
  for (const key of w.keys) p = joinPath(p, key);
  return joinPath(p, k);
}

function record(w: Walk, kind: ApiServerChange["kind"], k: string | number, value: unknown): void {
  w.changes.push({ kind, path: pathTo(w, k), value });
}

const isContainer = (v: unknown): v is object => typeof v === "object" && v !== null;

/**
 * A deep copy of JSON data, as `structuredClone` makes it (same key order, `__proto__` kept as an own key, an
 * object reached twice copied once: a YAML alias stays one shared object), without its serialisation round trip.
 * Anything that is not a plain object, array or primitive is handed to `structuredClone`.
 */
export function cloneData<T>(value: T): T {
  return isContainer(value) ? (copy(value, new Map()) as T) : value;
}

function copy(v: object, seen: Map<object, unknown>): unknown {
  const done = seen.get(v);
  if (done !== undefined) return done;
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    seen.set(v, out);
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      out[i] = isContainer(x) ? copy(x, seen) : x;
    }
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    const out = structuredClone(v);
    seen.set(v, out);
    return out;
  }
  const out: Json = {};
  seen.set(v, out);
  for (const k of Object.keys(v)) {
    const x = (v as Json)[k];
    const c = isContainer(x) ? copy(x, seen) : x;
    if (k === "__proto__") setOwn(out, k, c);
    else out[k] = c;
  }
  return out;
}

/** A schema default as inserted (a fresh copy: defaults are never shared with the schema or each other). */
const copyDefault = (v: unknown): unknown => (isContainer(v) ? copy(v, new Map()) : v);

const META_FIELDS = new Set(["apiVersion", "kind", "metadata"]);

// ---- pruning: pkg/apiserver/schema/pruning/algorithm.go (prune, skipPrune) ----------------------------

function prune(x: unknown, s: StructuralSchema | undefined, w: Walk, embedded: boolean): void {
  if (s?.["x-kubernetes-preserve-unknown-fields"]) {
    skipPrune(x, s, w, embedded);
    return;
  }
  if (isObj(x)) {
    if (s === undefined) {
      for (const k of Object.keys(x)) {
        record(w, "prune", k, x[k]);
        delete x[k];
      }
      return;
    }
    pruneFields(x, s, w, embedded, true);
  } else if (Array.isArray(x)) {
    const items = s?.items;
    for (let i = 0; i < x.length; i++) {
      const v: unknown = x[i];
      if (!isContainer(v)) continue; // a scalar: nothing to prune
      w.keys.push(i);
      prune(v, items, w, false);
      w.keys.pop();
    }
  }
}

function skipPrune(x: unknown, s: StructuralSchema | undefined, w: Walk, embedded: boolean): void {
  if (s === undefined) return;
  if (isObj(x)) {
    pruneFields(x, s, w, embedded, false);
  } else if (Array.isArray(x)) {
    const items = s.items;
    if (items === undefined) return; // skipPrune(v, undefined) does nothing
    for (let i = 0; i < x.length; i++) {
      const v: unknown = x[i];
      if (!isContainer(v)) continue;
      w.keys.push(i);
      skipPrune(v, items, w, false);
      w.keys.pop();
    }
  }
}

/**
 * The object case of prune and skipPrune: prunes below every field the schema knows (a property, else
 * additionalProperties); a field it does not know is removed when `dropUnknown` (prune), or kept and not descended
 * into (skipPrune).
 */
function pruneFields(x: Json, s: StructuralSchema, w: Walk, embedded: boolean, dropUnknown: boolean): void {
  const isEmbedded = embedded || s["x-kubernetes-embedded-resource"] === true;
  const a = s.additionalProperties;
  const apSchema = typeof a === "boolean" ? undefined : a;
  const props = s.properties;
  for (const k of Object.keys(x)) {
    if (isEmbedded && META_FIELDS.has(k)) continue;
    const p = props && has(props, k) ? props[k] : undefined;
    if (p || a !== undefined) {
      const v = x[k];
      // prune and skipPrune leave scalars alone whatever the schema
      if (!isContainer(v)) continue;
      w.keys.push(k);
      prune(v, p ?? apSchema, w, false);
      w.keys.pop();
    } else if (dropUnknown) {
      // Go records unknown apiVersion/kind/metadata only below the root (`len(ParentPath) > 0`); at the
      // root they are skipped above anyway, so every removal is reported here.
      record(w, "prune", k, x[k]);
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

function pruneNulls(x: unknown, s: StructuralSchema | undefined, w: Walk): void {
  // Without a schema no field below has one either: nothing can be removed.
  if (s === undefined) return;
  if (isObj(x)) {
    for (const k of Object.keys(x)) {
      const fs = fieldSchema(s, k);
      if (fs === undefined) continue;
      const v = x[k];
      if (v === null) {
        if (fs.nullable !== true && !hasDefault(fs)) {
          record(w, "prune", k, null);
          delete x[k];
        }
      } else if (isContainer(v)) {
        w.keys.push(k);
        pruneNulls(v, fs, w);
        w.keys.pop();
      }
    }
  } else if (Array.isArray(x)) {
    const items = s.items;
    if (items === undefined) return;
    for (let i = 0; i < x.length; i++) {
      const v: unknown = x[i];
      if (!isContainer(v)) continue;
      w.keys.push(i);
      pruneNulls(v, items, w);
      w.keys.pop();
    }
  }
}

// ---- defaulting: pkg/apiserver/schema/defaulting/algorithm.go (Default) ---------------------------------

function hasDefault(s: StructuralSchema | undefined): s is StructuralSchema {
  // Go: `Default.Object == nil` means "no default"; a `default: null` is therefore no default either.
  return s !== undefined && has(s, "default") && s.default !== null && s.default !== undefined;
}

const nonNullableNull = (v: unknown, s: StructuralSchema | undefined): boolean => v === null && s !== undefined && s.nullable !== true;

/** What defaulting reads of a schema node, computed once per node. */
interface DefaultsInfo {
  schema: StructuralSchema;
  /** The properties that have a default, in schema order. */
  defaulted: [string, StructuralSchema][];
  /** Whether defaulting can change anything at or below a value of this schema (false: the walk skips it). */
  any: boolean;
  /** Every own property's node (an own-key lookup: `constructor` finds nothing unless the schema names it). */
  props: Map<string, DefaultsInfo>;
  /** additionalProperties: present at all (a boolean counts), and its node when it is a schema. */
  apPresent: boolean;
  ap: DefaultsInfo | undefined;
  items: DefaultsInfo | undefined;
}

const defaultsInfo = new WeakMap<StructuralSchema, DefaultsInfo>();

function infoOf(s: StructuralSchema): DefaultsInfo {
  let info = defaultsInfo.get(s);
  if (info !== undefined) return info;
  const defaulted: [string, StructuralSchema][] = [];
  for (const [k, p] of Object.entries(s.properties ?? {})) if (hasDefault(p)) defaulted.push([k, p]);
  const ap = s.additionalProperties;
  // Provisional while the children are looked at (a schema that refers to itself is walked, conservatively).
  info = { schema: s, defaulted, any: true, props: new Map(), apPresent: ap !== undefined, ap: undefined, items: undefined };
  defaultsInfo.set(s, info);
  for (const [k, p] of Object.entries(s.properties ?? {})) info.props.set(k, infoOf(p));
  const as = typeof ap === "object" && ap !== null ? ap : undefined;
  if (as !== undefined) info.ap = infoOf(as);
  if (s.items !== undefined) info.items = infoOf(s.items);
  const below = (c: DefaultsInfo | undefined) => c !== undefined && (hasDefault(c.schema) || c.any);
  info.any = defaulted.length > 0 || below(info.ap) || below(info.items) || [...info.props.values()].some((p) => p.any);
  return info;
}

function applyDefaults(x: unknown, s: StructuralSchema | undefined, w: Walk): void {
  if (s !== undefined) defaultsAt(x, infoOf(s), w);
}

function defaultsAt(x: unknown, info: DefaultsInfo, w: Walk): void {
  if (!info.any) return; // nothing at or below this schema has a default
  if (isObj(x)) {
    for (const [k, p] of info.defaulted) {
      if (!has(x, k) || nonNullableNull(x[k], p)) {
        const value = copyDefault(p.default);
        setOwn(x, k, value);
        record(w, "default", k, copyDefault(value));
      }
    }
    const as = info.ap;
    for (const k of Object.keys(x)) {
      const p = info.props.get(k);
      if (p !== undefined) {
        if (!p.any) continue;
        const v = x[k];
        if (!isContainer(v)) continue; // defaults go inside objects and lists only
        w.keys.push(k);
        defaultsAt(v, p, w);
        w.keys.pop();
      } else if (info.apPresent) {
        if (as === undefined) continue; // additionalProperties: true, no schema below
        if (nonNullableNull(x[k], as.schema) && hasDefault(as.schema)) {
          // Go assigns `DeepCopyJSONValue(Default.Object)` here even without a default (nil -> nil: no change).
          x[k] = copyDefault(as.schema.default);
          record(w, "default", k, copyDefault(as.schema.default));
        }
        const v = x[k];
        if (!isContainer(v)) continue;
        w.keys.push(k);
        defaultsAt(v, as, w);
        w.keys.pop();
      }
    }
  } else if (Array.isArray(x)) {
    const items = info.items;
    if (items === undefined) return;
    const fill = hasDefault(items.schema);
    for (let i = 0; i < x.length; i++) {
      if (fill && nonNullableNull(x[i], items.schema)) {
        x[i] = copyDefault(items.schema.default);
        record(w, "default", i, copyDefault(items.schema.default));
      }
      const v: unknown = x[i];
      if (!isContainer(v)) continue;
      w.keys.push(i);
      defaultsAt(v, items, w);
      w.keys.pop();
    }
  }
}

/** Whether `applyDefaults(x, s)` would change anything (it changes nothing otherwise), without changing `x`. */
function wouldDefault(x: unknown, s: StructuralSchema): boolean {
  return wouldDefaultAt(x, infoOf(s));
}

function wouldDefaultAt(x: unknown, info: DefaultsInfo): boolean {
  if (!info.any) return false;
  if (isObj(x)) {
    for (const [k, p] of info.defaulted) if (!has(x, k) || nonNullableNull(x[k], p)) return true;
    const as = info.ap;
    for (const k of Object.keys(x)) {
      const p = info.props.get(k);
      if (p !== undefined) {
        if (isContainer(x[k]) && wouldDefaultAt(x[k], p)) return true;
      } else if (info.apPresent && as !== undefined) {
        if (nonNullableNull(x[k], as.schema) && hasDefault(as.schema)) return true;
        if (isContainer(x[k]) && wouldDefaultAt(x[k], as)) return true;
      }
    }
  } else if (Array.isArray(x)) {
    const items = info.items;
    if (items === undefined) return false;
    for (let i = 0; i < x.length; i++) {
      if (nonNullableNull(x[i], items.schema) && hasDefault(items.schema)) return true;
      if (isContainer(x[i]) && wouldDefaultAt(x[i], items)) return true;
    }
  }
  return false;
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
function coerceStruct(o: Json, fields: Record<string, string>, path: string, changes: ApiServerChange[], keepZero: ReadonlySet<string>): void {
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (!has(fields, k) || v === null || (!keepZero.has(k) && isEmpty(v))) {
      changes.push({ kind: "prune", path: joinPath(path, k), value: o[k] });
      delete o[k];
    }
  }
}

const KEEP_ZERO_META: ReadonlySet<string> = new Set(["deletionGracePeriodSeconds"]);
const KEEP_ZERO_OWNER: ReadonlySet<string> = new Set(Object.keys(OWNER_REFERENCE));
const KEEP_ZERO_NONE: ReadonlySet<string> = new Set();

/**
 * Root or embedded `metadata`. When a known field does not decode (wrong type), the API server fails the
 * request (or, for embedded resources, rejects it in Coerce); we then leave metadata as it is.
 */
function coerceMetadata(holder: Json, path: string, changes: ApiServerChange[]): void {
  if (!has(holder, "metadata")) return;
  const meta = holder.metadata;
  if (!isObj(meta)) return; // null or wrong type: not ours to fix
  for (const k of Object.keys(meta)) if (has(OBJECT_META, k) && !decodes(OBJECT_META[k]!, meta[k])) return;
  const metaPath = joinPath(path, "metadata");
  // deletionGracePeriodSeconds is a *int64 (omitempty drops nil only); `generation` is int64.
  coerceStruct(meta, OBJECT_META, metaPath, changes, KEEP_ZERO_META);
  // metav1.OwnerReference: controller/blockOwnerDeletion are *bool (kept when false); strings are not
  // omitempty (kept even when empty). ManagedFieldsEntry: all omitempty.
  const refs = meta.ownerReferences;
  if (Array.isArray(refs))
    refs.forEach((r, i) => isObj(r) && coerceStruct(r, OWNER_REFERENCE, joinPath(joinPath(metaPath, "ownerReferences"), i), changes, KEEP_ZERO_OWNER));
  const mf = meta.managedFields;
  if (Array.isArray(mf)) mf.forEach((r, i) => isObj(r) && coerceStruct(r, MANAGED_FIELDS_ENTRY, joinPath(joinPath(metaPath, "managedFields"), i), changes, KEEP_ZERO_NONE));
}

/** objectmeta.Coerce with isResourceRoot=false: metadata of `x-kubernetes-embedded-resource` objects. */
function coerceEmbedded(x: unknown, s: StructuralSchema | undefined, w: Walk): void {
  if (s === undefined || !embeddedBelow(s)) return; // no embedded resource at or below this schema
  if (isObj(x)) {
    // apiVersion/kind that are not strings fail the request ("must be a string"): leave such objects alone.
    // Coerce also removes a zero creationTimestamp; coerceMetadata drops empty values anyway.
    if (s["x-kubernetes-embedded-resource"] && ["apiVersion", "kind"].every((k) => !has(x, k) || typeof x[k] === "string"))
      coerceMetadata(x, here(w), w.changes);
    const ap = s.additionalProperties;
    for (const k of Object.keys(x)) {
      const p = prop(s, k);
      const fs = p ?? (ap !== undefined && typeof ap !== "boolean" ? ap : undefined);
      const v = x[k];
      if (fs === undefined || !isContainer(v)) continue;
      w.keys.push(k);
      coerceEmbedded(v, fs, w);
      w.keys.pop();
    }
  } else if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const v: unknown = x[i];
      if (!isContainer(v)) continue;
      w.keys.push(i);
      coerceEmbedded(v, s.items, w);
      w.keys.pop();
    }
  }
}

/** The path of the value the walk is at. */
function here(w: Walk): string {
  let p = "";
  for (const key of w.keys) p = joinPath(p, key);
  return p;
}

const embeddedCache = new WeakMap<StructuralSchema, boolean>();

/** Whether the schema or one below it is an `x-kubernetes-embedded-resource`, once per schema node. */
function embeddedBelow(s: StructuralSchema): boolean {
  let e = embeddedCache.get(s);
  if (e !== undefined) return e;
  embeddedCache.set(s, true); // provisional (a schema that refers to itself is walked, conservatively)
  const ap = s.additionalProperties;
  e =
    s["x-kubernetes-embedded-resource"] === true ||
    (s.items !== undefined && embeddedBelow(s.items)) ||
    (typeof ap === "object" && ap !== null && embeddedBelow(ap)) ||
    Object.values(s.properties ?? {}).some((p) => embeddedBelow(p));
  embeddedCache.set(s, e);
  return e;
}

/**
 * Prunes a value in place against a (sub)schema, the way `defaulting.PruneDefaults` prunes a CRD's
 * `default` values when the CRD is loaded. Returns what it removed (paths relative to the value).
 */
export function pruneValue(value: unknown, schema: StructuralSchema): ApiServerChange[] {
  const w: Walk = { changes: [], keys: [] };
  prune(value, schema, w, schema["x-kubernetes-embedded-resource"] === true);
  return w.changes;
}

/**
 * The object as the API server hands it to mutating admission webhooks: metadata coerced, unknown fields
 * pruned, disallowed nulls dropped, then CRD defaults applied. `changes` lists every removal and every
 * inserted default, in that order. The input is not modified.
 */
export function applyStructural(resource: Resource, schema: StructuralSchema): { resource: Resource; changes: ApiServerChange[] } {
  const obj = cloneData(resource);
  const w: Walk = { changes: [], keys: [] };
  if (!isObj(obj)) return { resource: obj, changes: w.changes };
  coerceMetadata(obj, "", w.changes);
  prune(obj, schema, w, true); // isResourceRoot: the root counts as an embedded resource
  pruneNulls(obj, schema, w);
  coerceEmbedded(obj, schema, w);
  applyDefaults(obj, schema, w);
  return { resource: obj, changes: w.changes };
}

/**
 * What the API server does after a mutating webhook's non-empty patch: defaulting only (no pruning until
 * the object is written to etcd, after validating admission). The input is not modified; when no default
 * applies, it is returned itself.
 */
export function defaultAfterMutation(resource: Resource, schema: StructuralSchema): { resource: Resource; changes: ApiServerChange[] } {
  // Most patches add nothing the CRD defaults: then the object is returned as it is (unchanged, not copied).
  if (!isObj(resource) || !wouldDefault(resource, schema)) return { resource, changes: [] };
  const obj = cloneData(resource);
  const w: Walk = { changes: [], keys: [] };
  applyDefaults(obj, schema, w);
  return { resource: obj, changes: w.changes };
}
