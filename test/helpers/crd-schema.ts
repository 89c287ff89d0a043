// Validates objects against a CustomResourceDefinition's openAPIV3Schema with ajv, the way the API server
// would accept them: types, enums, patterns, required fields, nullable. Unknown fields are not errors
// (the API server prunes them), but `unknownFields` lists them so a test can check we add none.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { Ajv } from "ajv";

type Schema = Record<string, unknown>;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function crdSchema(crdFile: string, version?: string): Schema {
  const docs = parseAllDocuments(readFileSync(crdFile, "utf8")).map((d) => d.toJS());
  const crd = docs.find((d) => isObj(d) && d.kind === "CustomResourceDefinition");
  if (!isObj(crd) || !isObj(crd.spec)) throw new Error(`${crdFile}: no CustomResourceDefinition`);
  const versions = Array.isArray(crd.spec.versions) ? (crd.spec.versions as Schema[]) : [];
  const v =
    versions.find((x) => (version ? x.name === version : x.storage === true)) ?? (version ? undefined : versions[0]);
  const schema = v && isObj(v.schema) ? v.schema.openAPIV3Schema : undefined;
  if (!isObj(schema)) throw new Error(`${crdFile}: no openAPIV3Schema for version ${version ?? "(storage)"}`);
  return schema;
}

/** A validator returning one message per schema violation (empty when valid). */
export function crdValidator(crdFile: string, version?: string): (obj: unknown) => string[] {
  // unicodeRegExp off: CRD patterns are Go RE2 syntax (e.g. `\ `), which JS accepts only without the u flag.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
  const validate = ajv.compile(crdSchema(crdFile, version));
  return (obj) => {
    if (validate(obj)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "invalid"}`);
  };
}

/** Field paths present in `obj` that the schema does not declare (the API server would prune them). */
export function unknownFields(schema: Schema, obj: unknown, path = ""): string[] {
  if (schema["x-kubernetes-preserve-unknown-fields"] === true) return [];
  if (Array.isArray(obj)) {
    const items = isObj(schema.items) ? schema.items : undefined;
    return items ? obj.flatMap((x, i) => unknownFields(items, x, `${path}[${i}]`)) : [];
  }
  if (!isObj(obj)) return [];
  const props = isObj(schema.properties) ? schema.properties : undefined;
  const additional = isObj(schema.additionalProperties) ? schema.additionalProperties : undefined;
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const sub = props && isObj(props[k]) ? (props[k] as Schema) : additional;
    if (sub) out.push(...unknownFields(sub, v, path ? `${path}.${k}` : k));
    else if (props && !(path === "" && (k === "apiVersion" || k === "kind" || k === "metadata"))) out.push(path ? `${path}.${k}` : k);
  }
  return out;
}
