import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { Ajv2020 } from "ajv/dist/2020.js";
import { CRD_FILE, REGENERATE_COMMAND, SCHEMA_FILE, generatedFiles } from "../../src/policy/generate.ts";
import { policyCrd, policySchema, specSchema, toStructural } from "../../src/policy/schema.ts";
import { validatePolicyObject } from "../../src/policy/validate.ts";
import { formatPolicyError } from "../../src/policy/document.ts";
import { allRules } from "../../src/rules/index.ts";
import { allDefaulters } from "../../src/defaults/index.ts";
import { crdValidator, unknownFields, crdSchema } from "../helpers/crd-schema.ts";
import { repoRoot } from "../helpers/shared.ts";
import { testDefaulters, testRules } from "./fixtures.ts";

type Schema = Record<string, unknown>;
const isObj = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

describe("generated files are up to date", () => {
  for (const [file, content] of Object.entries(generatedFiles())) {
    it(file, () => {
      let committed = "";
      try {
        committed = readFileSync(join(repoRoot, file), "utf8");
      } catch {
        assert.fail(`${file} is missing. Generate it with: ${REGENERATE_COMMAND}`);
      }
      assert.ok(
        committed === content,
        `${file} does not match the rule and defaulter metadata (a rule's or defaulter's params changed). Regenerate it with: ${REGENERATE_COMMAND} and commit the result`,
      );
    });
  }
});

describe("the BackupPolicy JSON Schema", () => {
  it("lists every rule and defaulter, closed to unknown ids and params", () => {
    const spec = specSchema(testRules, testDefaulters) as { properties: Record<string, Schema> };
    const rules = spec.properties.rules!;
    assert.equal(rules.additionalProperties, false);
    assert.deepEqual(Object.keys(rules.properties as Schema), testRules.map((r) => r.meta.id));
    const entry = (rules.properties as Record<string, Schema>)["schedule-too-frequent"]!;
    assert.equal(entry.additionalProperties, false);
    assert.deepEqual(Object.keys(entry.properties as Schema), ["action", "minInterval", "ignoreIncremental"]);
    const defaults = spec.properties.defaults!;
    assert.equal(defaults.additionalProperties, false);
    assert.deepEqual(Object.keys((defaults.properties as Record<string, Schema>)["cpo-retention-full"]!.properties as Schema), ["enabled", "count", "type"]);
  });

  it("refuses a rule parameter named action, or a defaulter parameter named enabled", () => {
    const bad = [{ ...testRules[0]!, meta: { ...testRules[0]!.meta, params: { action: { type: "string" } } } }];
    assert.throws(() => specSchema(bad, []), /may not be named "action"/);
  });

  it("compiles in ajv strict mode with the real rules and defaulters (no unknown keywords in their params)", () => {
    const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, validateFormats: false });
    assert.doesNotThrow(() => ajv.compile(policySchema()));
  });

  it("every real rule's and defaulter's default params pass its own schema", () => {
    const spec = {
      rules: Object.fromEntries(allRules.map((r) => [r.meta.id, { action: r.meta.defaultAction, ...defaultsOf(r.meta.params) }])),
      defaults: Object.fromEntries(allDefaulters.map((d) => [d.meta.id, { enabled: d.meta.enabledByDefault, ...defaultsOf(d.meta.params) }])),
    };
    const r = validatePolicyObject({ apiVersion: "pgbackupguard.io/v1alpha1", kind: "BackupPolicy", metadata: { name: "defaults" }, spec }, "defaults");
    assert.ok(r.ok, r.ok ? "" : r.errors.map(formatPolicyError).join("\n"));
  });
});

function defaultsOf(params: Record<string, Schema>): Schema {
  return Object.fromEntries(Object.entries(params).filter(([, s]) => "default" in s).map(([k, s]) => [k, s.default]));
}

/** The Kubernetes structural-schema rules and apiextensions v1 restrictions, as far as a generator can break them. */
function structuralProblems(node: Schema, path: string): string[] {
  const out: string[] = [];
  const preserve = node["x-kubernetes-preserve-unknown-fields"] === true;
  if (typeof node.type !== "string" && !preserve) out.push(`${path}: no type`);
  for (const k of ["$ref", "$schema", "$id", "$defs", "definitions", "const", "default", "patternProperties", "dependencies", "additionalItems", "allOf", "anyOf", "oneOf", "not", "examples", "if", "then", "else"])
    if (k in node) out.push(`${path}: ${k} is not allowed here`);
  if (node.uniqueItems === true) out.push(`${path}: uniqueItems: true is forbidden`);
  if ("additionalProperties" in node && "properties" in node) out.push(`${path}: additionalProperties next to properties`);
  if (node.additionalProperties === false || node.additionalProperties === true) out.push(`${path}: boolean additionalProperties`);
  if (node["x-kubernetes-preserve-unknown-fields"] === false) out.push(`${path}: x-kubernetes-preserve-unknown-fields must be true or absent`);
  for (const k of ["exclusiveMinimum", "exclusiveMaximum"]) if (k in node && typeof node[k] !== "boolean") out.push(`${path}: ${k} must be a boolean`);
  if (node.type === "array" && !isObj(node.items)) out.push(`${path}: array without items`);
  if (typeof node.pattern === "string" && /\(\?[=!<]|\\[1-9]/.test(node.pattern)) out.push(`${path}: pattern is not RE2`);
  if (isObj(node.properties)) for (const [k, v] of Object.entries(node.properties)) out.push(...structuralProblems(v as Schema, `${path}.${k}`));
  if (isObj(node.additionalProperties)) out.push(...structuralProblems(node.additionalProperties, `${path}.*`));
  if (isObj(node.items)) out.push(...structuralProblems(node.items, `${path}[]`));
  return out;
}

describe("the BackupPolicy CRD", () => {
  const crdFile = join(repoRoot, CRD_FILE);
  const crd = parse(generatedFiles()[CRD_FILE]!) as Schema;

  it("is a cluster-scoped v1alpha1 CRD named backuppolicies.pgbackupguard.io", () => {
    assert.equal(crd.apiVersion, "apiextensions.k8s.io/v1");
    assert.equal((crd.metadata as Schema).name, "backuppolicies.pgbackupguard.io");
    const spec = crd.spec as Schema;
    assert.equal(spec.scope, "Cluster");
    assert.equal(spec.group, "pgbackupguard.io");
    const versions = spec.versions as Schema[];
    assert.deepEqual(versions.map((v) => [v.name, v.served, v.storage]), [["v1alpha1", true, true]]);
  });

  it("has a structural schema (real catalog and the test catalog)", () => {
    const real = crdSchema(crdFile);
    assert.deepEqual(structuralProblems(real, "openAPIV3Schema"), []);
    const test = ((((policyCrd(testRules, testDefaulters).spec as Schema).versions as Schema[])[0]!.schema as Schema).openAPIV3Schema) as Schema;
    assert.deepEqual(structuralProblems(test, "openAPIV3Schema"), []);
  });

  it("accepts the example policies without pruning anything, and refuses a bad duration", () => {
    const validate = crdValidator(crdFile);
    const schema = crdSchema(crdFile);
    const dir = join(repoRoot, "docs", "examples", "policies");
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    assert.ok(files.length >= 2, "docs/examples/policies holds example policies");
    for (const f of files) {
      for (const d of parseAllDocuments(readFileSync(join(dir, f), "utf8"))) {
        const obj = d.toJS();
        assert.deepEqual(validate(obj), [], f);
        assert.deepEqual(unknownFields(schema, obj), [], `${f}: fields the API server would prune`);
      }
    }
    // Unknown fields and misspelt rule ids are kept for the webhook to refuse, never pruned silently.
    const typo = { apiVersion: "pgbackupguard.io/v1alpha1", kind: "BackupPolicy", metadata: { name: "x" }, spec: { rulez: {}, rules: { "cnpg-backup-requird": { action: "off" } } } };
    assert.deepEqual(unknownFields(schema, typo), []);
    const bad = { apiVersion: "pgbackupguard.io/v1alpha1", kind: "BackupPolicy", metadata: { name: "x" }, spec: { rpo: "soon" } };
    assert.equal(validate(bad).length, 1);
  });

  it("lets action: false through (kubectl's reading of unquoted off)", () => {
    const validate = crdValidator(crdFile);
    const id = allRules[0]?.meta.id;
    if (!id) return;
    const obj = { apiVersion: "pgbackupguard.io/v1alpha1", kind: "BackupPolicy", metadata: { name: "x" }, spec: { rules: { [id]: { action: false } } } };
    assert.deepEqual(validate(obj), []);
  });
});

describe("toStructural", () => {
  it("rewrites what OpenAPI v3 structural schemas do not allow", () => {
    assert.deepEqual(toStructural({ type: "string", const: "a" }), { type: "string", enum: ["a"] });
    assert.deepEqual(toStructural({ type: ["string", "null"] }), { type: "string", nullable: true });
    assert.deepEqual(toStructural({ type: ["string", "integer"] }), { "x-kubernetes-preserve-unknown-fields": true });
    assert.deepEqual(toStructural({ anyOf: [{ type: "string" }, { type: "integer" }] }), { "x-kubernetes-preserve-unknown-fields": true });
    assert.deepEqual(toStructural({ type: "integer", exclusiveMinimum: 0 }), { type: "integer", minimum: 0, exclusiveMinimum: true });
    assert.deepEqual(toStructural({ type: "string", default: "x", format: "duration", pattern: "^(?!x)" }), { type: "string" });
    assert.deepEqual(toStructural({ type: "array", uniqueItems: true }), { type: "array", items: { "x-kubernetes-preserve-unknown-fields": true } });
    assert.deepEqual(toStructural({ enum: ["a", "b"] }), { type: "string", enum: ["a", "b"] });
    assert.deepEqual(toStructural({ enum: ["a", 1] }), { "x-kubernetes-preserve-unknown-fields": true });
    assert.deepEqual(toStructural({ type: "object" }), { type: "object", "x-kubernetes-preserve-unknown-fields": true });
    assert.deepEqual(toStructural({ type: "object", additionalProperties: { type: "integer" } }), { type: "object", additionalProperties: { type: "integer" } });
    assert.deepEqual(toStructural({ type: "object", additionalProperties: false, properties: { a: { type: "string" } }, required: ["a"] }), {
      type: "object",
      required: ["a"],
      properties: { a: { type: "string" } },
      "x-kubernetes-preserve-unknown-fields": true,
    });
  });
});

describe("schemas/ is what the package ships", () => {
  it("the committed JSON Schema is valid draft 2020-12 and names its id", () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, SCHEMA_FILE), "utf8")) as Schema;
    assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
    const ajv = new Ajv2020({ strict: false });
    assert.ok(ajv.validateSchema(schema), JSON.stringify(ajv.errors));
  });
});
