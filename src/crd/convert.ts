// CustomResourceDefinition (apiextensions.k8s.io/v1) -> the structural schemas pruning and defaulting need.
// Checks the structural-schema rules that change what pruning/defaulting do, with the API server's
// messages (`pkg/apiserver/schema/convert.go NewStructural`, `validation.go validateStructuralInvariants`,
// `complete.go validateStructuralCompleteness`), so a user's non-structural `--crd` is refused with the
// field path the API server would name instead of being simulated wrongly. Not a full CRD validator:
// value validations (enum, pattern, CEL) are not checked and are dropped.
import { joinPath, pruneValue, type StructuralSchema } from "./structural.ts";

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export class SchemaError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.path = path;
  }
}

// convert.go validateUnsupportedFields
const UNSUPPORTED = ["id", "$schema", "$ref", "patternProperties", "dependencies", "additionalItems", "definitions"];
const JUNCTORS = ["allOf", "anyOf", "oneOf", "not"] as const;

type Level = "root" | "item" | "field";

function child(path: string, ...keys: (string | number)[]): string {
  return keys.reduce<string>((p, k) => joinPath(p, k), path);
}

function convertNode(s: unknown, path: string, level: Level): StructuralSchema {
  if (!isObj(s)) throw new SchemaError(path, "must be a schema object");
  for (const k of UNSUPPORTED) if (Object.hasOwn(s, k)) throw new SchemaError(child(path, k), "must not be set in a structural schema");
  const out: StructuralSchema = {};
  const type = s.type;
  if (type !== undefined) {
    if (typeof type !== "string") throw new SchemaError(child(path, "type"), "must be a string");
    out.type = type;
  }
  const flag = (k: "nullable" | "x-kubernetes-preserve-unknown-fields" | "x-kubernetes-embedded-resource" | "x-kubernetes-int-or-string") => {
    const v = s[k];
    if (v === undefined || v === false) return false;
    if (v !== true) throw new SchemaError(child(path, k), "must be a boolean");
    // x-kubernetes-int-or-string only matters for validation and for whether `type` may be empty.
    if (k !== "x-kubernetes-int-or-string") out[k] = true;
    return true;
  };
  flag("nullable");
  const preserve = flag("x-kubernetes-preserve-unknown-fields");
  const embedded = flag("x-kubernetes-embedded-resource");
  const intOrString = flag("x-kubernetes-int-or-string");

  // validation.go validateStructuralInvariants / validateExtensions
  if (intOrString && preserve) throw new SchemaError(child(path, "x-kubernetes-preserve-unknown-fields"), "must be false if x-kubernetes-int-or-string is true");
  if (intOrString && embedded) throw new SchemaError(child(path, "x-kubernetes-embedded-resource"), "must be false if x-kubernetes-int-or-string is true");
  if (embedded && type !== "object") throw new SchemaError(child(path, "type"), "must be object if x-kubernetes-embedded-resource is true");
  if (!embedded && type === undefined && !intOrString && !preserve) {
    const where = level === "root" ? "at the root" : level === "item" ? "for specified array items" : "for specified object fields";
    throw new SchemaError(child(path, "type"), `must not be empty ${where}`);
  }
  if (level === "root" && type !== undefined && type !== "object") throw new SchemaError(child(path, "type"), "must be object at the root");

  if (s.items !== undefined) {
    if (Array.isArray(s.items)) throw new SchemaError(child(path, "items"), "must be a schema, but is an array");
    out.items = convertNode(s.items, child(path, "items"), "item");
  } else if (type === "array") throw new SchemaError(child(path, "items"), "must be specified");

  if (s.properties !== undefined) {
    if (!isObj(s.properties)) throw new SchemaError(child(path, "properties"), "must be an object");
    const props: Record<string, StructuralSchema> = {};
    for (const [k, v] of Object.entries(s.properties)) {
      Object.defineProperty(props, k, { value: convertNode(v, child(path, "properties", k), "field"), enumerable: true, writable: true, configurable: true });
    }
    out.properties = props;
  }

  if (s.additionalProperties !== undefined) {
    if (level === "root") throw new SchemaError(child(path, "additionalProperties"), "must not be used at the root");
    const ap = s.additionalProperties;
    // apis/apiextensions/validation: only `additionalProperties: true` may sit beside properties.
    if (out.properties && Object.keys(out.properties).length > 0 && ap !== true)
      throw new SchemaError(child(path, "additionalProperties"), "additionalProperties and properties are mutual exclusive");
    if (embedded) throw new SchemaError(child(path, "additionalProperties"), "must not be used if x-kubernetes-embedded-resource is set");
    if (typeof ap === "boolean") out.additionalProperties = ap;
    else out.additionalProperties = convertNode(ap, child(path, "additionalProperties"), "field");
  }
  if (embedded && !preserve && Object.keys(out.properties ?? {}).length === 0)
    throw new SchemaError(child(path, "properties"), "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields");

  // validation.go validateStructuralMetadataInvariants: at the root, metadata may only restrict name/generateName.
  const meta = out.properties?.metadata;
  if (meta && (level === "root" || embedded)) {
    if (meta.type !== "object") throw new SchemaError(child(path, "properties", "metadata", "type"), "must be object");
    if (level === "root") {
      const extra = Object.keys(meta.properties ?? {}).filter((k) => k !== "name" && k !== "generateName");
      if (extra.length > 0 || meta.additionalProperties !== undefined || meta.default !== undefined || meta.nullable || meta["x-kubernetes-preserve-unknown-fields"])
        throw new SchemaError(child(path, "properties", "metadata"), "must not specify anything other than name and generateName, but metadata is implicitly specified");
    }
  }

  for (const j of JUNCTORS) {
    const v = s[j];
    if (v === undefined) continue;
    const list = j === "not" ? [v] : v;
    if (!Array.isArray(list)) throw new SchemaError(child(path, j), "must be an array of schemas");
    list.forEach((n, i) => checkNested(n, out, j === "not" ? child(path, j) : child(path, j, i), path));
  }

  if (Object.hasOwn(s, "default") && s.default !== null) {
    // Default values are pruned when the CRD is loaded (defaulting/prune.go PruneDefaults).
    const value = structuredClone(s.default);
    pruneValue(value, out);
    out.default = value;
  }
  return out;
}

/**
 * A schema inside allOf/anyOf/oneOf/not is a value validation only: it must not carry what pruning and
 * defaulting read (validation.go validateNestedValueValidation), and every property or items it names
 * must exist in the structural part (complete.go: `Required value: because it is defined in ...`).
 */
function checkNested(n: unknown, structural: StructuralSchema | undefined, vPath: string, sPath: string): void {
  if (!isObj(n)) throw new SchemaError(vPath, "must be a schema object");
  for (const k of ["default", "nullable", "additionalProperties", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource"]) {
    if (Object.hasOwn(n, k)) throw new SchemaError(child(vPath, k), "must be undefined to be structural");
  }
  if (structural === undefined) throw new SchemaError(sPath, `Required value: because it is defined in ${vPath}`);
  if (isObj(n.properties)) {
    for (const [k, v] of Object.entries(n.properties)) {
      if (k === "metadata" && vPath !== "") throw new SchemaError(child(vPath, "properties", k), "must not be specified in a nested context");
      const sp = structural.properties && Object.hasOwn(structural.properties, k) ? structural.properties[k] : undefined;
      if (sp === undefined) throw new SchemaError(child(sPath, "properties", k), `Required value: because it is defined in ${child(vPath, "properties", k)}`);
      checkNested(v, sp, child(vPath, "properties", k), child(sPath, "properties", k));
    }
  }
  if (n.items !== undefined) checkNested(n.items, structural.items, child(vPath, "items"), child(sPath, "items"));
  for (const j of JUNCTORS) {
    const v = n[j];
    if (v === undefined) continue;
    const list = j === "not" ? [v] : v;
    if (Array.isArray(list)) list.forEach((x, i) => checkNested(x, structural, j === "not" ? child(vPath, j) : child(vPath, j, i), sPath));
  }
}

/** One served or unserved version of a CRD. */
export interface CrdVersion {
  /** `group/version/Kind` */
  key: string;
  name: string;
  served: boolean;
  storage: boolean;
  schema: StructuralSchema;
}

export interface ConvertedCrd {
  group: string;
  kind: string;
  versions: CrdVersion[];
  /** The CRD's own provenance annotation/label (controller-gen version, app version), when it has one. */
  generator?: string;
}

/** Is this document a CustomResourceDefinition (any apiextensions version)? */
export function isCrd(o: unknown): o is Json {
  return isObj(o) && o.kind === "CustomResourceDefinition" && typeof o.apiVersion === "string" && o.apiVersion.startsWith("apiextensions.k8s.io/");
}

/** Converts an apiextensions.k8s.io/v1 CRD. Throws SchemaError naming the field (relative to the CRD). */
export function convertCrd(crd: unknown): ConvertedCrd {
  if (!isCrd(crd)) throw new SchemaError("kind", "not a CustomResourceDefinition");
  if (crd.apiVersion !== "apiextensions.k8s.io/v1")
    throw new SchemaError("apiVersion", `${String(crd.apiVersion)} is not served since Kubernetes 1.22; only apiextensions.k8s.io/v1 CustomResourceDefinitions are read`);
  const spec = crd.spec;
  if (!isObj(spec)) throw new SchemaError("spec", "must be an object");
  if (typeof spec.group !== "string" || spec.group === "") throw new SchemaError("spec.group", "must be a non-empty string");
  const names = spec.names;
  if (!isObj(names) || typeof names.kind !== "string" || names.kind === "") throw new SchemaError("spec.names.kind", "must be a non-empty string");
  if (spec.preserveUnknownFields === true) throw new SchemaError("spec.preserveUnknownFields", "must be false in apiextensions.k8s.io/v1 (set x-kubernetes-preserve-unknown-fields in the schema instead)");
  if (!Array.isArray(spec.versions) || spec.versions.length === 0) throw new SchemaError("spec.versions", "must have at least one version");
  const versions: CrdVersion[] = [];
  spec.versions.forEach((v: unknown, i: number) => {
    const vp = `spec.versions[${i}]`;
    if (!isObj(v) || typeof v.name !== "string" || v.name === "") throw new SchemaError(`${vp}.name`, "must be a non-empty string");
    const schema = isObj(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (schema === undefined) throw new SchemaError(`${vp}.schema.openAPIV3Schema`, "Required value: schemas are required");
    versions.push({
      key: `${spec.group}/${v.name}/${names.kind}`,
      name: v.name,
      served: v.served === true,
      storage: v.storage === true,
      schema: convertNode(schema, `${vp}.schema.openAPIV3Schema`, "root"),
    });
  });
  const meta = isObj(crd.metadata) ? crd.metadata : {};
  const ann = isObj(meta.annotations) ? meta.annotations : {};
  const labels = isObj(meta.labels) ? meta.labels : {};
  const cg = ann["controller-gen.kubebuilder.io/version"];
  const app = labels["app.kubernetes.io/version"];
  const generator = typeof cg === "string" ? `controller-gen ${cg}` : typeof app === "string" ? `app.kubernetes.io/version ${app}` : undefined;
  return { group: spec.group, kind: names.kind, versions, ...(generator ? { generator } : {}) };
}
