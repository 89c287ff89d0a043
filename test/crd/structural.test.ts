// The pruning/defaulting algorithm on small schemas, case by case against the Go code it mirrors
// (apiextensions-apiserver pkg/apiserver/schema/{pruning,defaulting,objectmeta}).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Resource } from "../../src/engine/types.ts";
import { applyStructural, defaultAfterMutation, joinPath, type ApiServerChange, type StructuralSchema } from "../../src/crd/structural.ts";

const str: StructuralSchema = { type: "string" };

function root(spec: StructuralSchema): StructuralSchema {
  return { type: "object", properties: { apiVersion: str, kind: str, metadata: { type: "object" }, spec } };
}

function res(spec: unknown, metadata: Record<string, unknown> = { name: "x" }): Resource {
  return { apiVersion: "example.com/v1", kind: "Thing", metadata, spec };
}

/** Runs applyStructural, checking that the input is left untouched. */
function run(r: Resource, schema: StructuralSchema): { resource: Resource; changes: ApiServerChange[] } {
  const before = structuredClone(r);
  const out = applyStructural(r, schema);
  assert.deepEqual(r, before, "input must not be modified");
  return out;
}

describe("joinPath", () => {
  it("uses dots, [i], and [\"key\"] for keys with other characters", () => {
    assert.equal(joinPath("", "spec"), "spec");
    assert.equal(joinPath("spec", "plugins"), "spec.plugins");
    assert.equal(joinPath("spec.plugins", 0), "spec.plugins[0]");
    assert.equal(joinPath("metadata.annotations", "cnpg.io/x"), 'metadata.annotations["cnpg.io/x"]');
    assert.equal(joinPath("spec.global", "repo1-retention-full"), "spec.global.repo1-retention-full");
    assert.equal(joinPath("spec", 'a"b'), 'spec["a\\"b"]');
    assert.equal(joinPath("spec", ""), 'spec[""]');
  });
});

describe("pruning", () => {
  const schema = root({
    type: "object",
    properties: {
      known: str,
      nested: { type: "object", properties: { a: str } },
      list: { type: "array", items: { type: "object", properties: { name: str } } },
      map: { type: "object", additionalProperties: str },
      free: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { typed: { type: "object", properties: { b: str } } } },
      anyKey: { type: "object", additionalProperties: true },
    },
  });

  it("removes unknown fields at every level and reports each with its value", () => {
    const r = res({ known: "k", typo: 1, nested: { a: "x", b: { deep: true } }, list: [{ name: "n", extra: [1] }, { other: 2 }] });
    const { resource, changes } = run(r, schema);
    assert.deepEqual(resource.spec, { known: "k", nested: { a: "x" }, list: [{ name: "n" }, {}] });
    assert.deepEqual(changes, [
      { kind: "prune", path: "spec.typo", value: 1 },
      { kind: "prune", path: "spec.nested.b", value: { deep: true } },
      { kind: "prune", path: "spec.list[0].extra", value: [1] },
      { kind: "prune", path: "spec.list[1].other", value: 2 },
    ]);
  });

  it("keeps every key of an additionalProperties map, pruning inside the values by the value schema", () => {
    const { resource, changes } = run(res({ map: { "a.b/c": "1", x: { y: 1 } } }), schema);
    // x's value is an object where the schema says string: walked as an object with no properties (Go does the same).
    assert.deepEqual(resource.spec, { map: { "a.b/c": "1", x: {} } });
    assert.deepEqual(changes, [{ kind: "prune", path: "spec.map.x.y", value: 1 }]);
  });

  it("x-kubernetes-preserve-unknown-fields keeps unknown keys but still prunes inside declared properties", () => {
    const { resource, changes } = run(res({ free: { anything: { goes: [1, { x: 2 }] }, typed: { b: "ok", c: "gone" } } }), schema);
    assert.deepEqual(resource.spec, { free: { anything: { goes: [1, { x: 2 }] }, typed: { b: "ok" } } });
    assert.deepEqual(changes, [{ kind: "prune", path: "spec.free.typed.c", value: "gone" }]);
  });

  it("additionalProperties: true keeps keys but empties object values (Structural is nil in Go)", () => {
    const { resource, changes } = run(res({ anyKey: { s: "kept", o: { lost: 1 } } }), schema);
    assert.deepEqual(resource.spec, { anyKey: { s: "kept", o: {} } });
    assert.deepEqual(changes, [{ kind: "prune", path: "spec.anyKey.o.lost", value: 1 }]);
  });

  it("leaves values of the wrong type alone", () => {
    const r = res({ nested: "a string", list: { not: "a list" }, map: ["x"], known: { an: "object" } });
    const { resource, changes } = run(r, schema);
    // `known` is a string in the schema with no properties: an object there is pruned to {} (Go: schema
    // without properties/additionalProperties prunes every key). Arrays/scalars where objects are expected stay.
    assert.deepEqual(resource.spec, { nested: "a string", list: {}, map: ["x"], known: {} });
    assert.deepEqual(changes.map((c) => c.path), ["spec.list.not", "spec.known.an"]);
  });

  it("never prunes apiVersion/kind/metadata at the root, but prunes other unknown root fields", () => {
    const r = { ...res({}), status: { phase: "x" }, extra: 1 } as Resource;
    const { resource, changes } = run(r, schema);
    assert.equal(resource.apiVersion, "example.com/v1");
    assert.equal(resource.kind, "Thing");
    assert.deepEqual(resource.metadata, { name: "x" });
    assert.deepEqual(changes, [
      { kind: "prune", path: "status", value: { phase: "x" } },
      { kind: "prune", path: "extra", value: 1 },
    ]);
  });

  it("treats keys like constructor and __proto__ as data, not as schema lookups", () => {
    const input = JSON.parse('{"apiVersion":"v","kind":"k","metadata":{},"spec":{"constructor":1,"__proto__":{"x":1},"map":{"__proto__":"v","toString":"w"}}}') as Resource;
    const { resource, changes } = run(input, schema);
    assert.deepEqual(changes.map((c) => c.path).sort(), ["spec.__proto__", "spec.constructor"]);
    const map = (resource.spec as Record<string, Record<string, unknown>>).map!;
    assert.deepEqual(Object.keys(map), ["__proto__", "toString"]);
    assert.equal(Object.getPrototypeOf(resource.spec), Object.prototype);
  });

  it("arrays without an items schema lose every key of their object items", () => {
    const s = root({ type: "object", properties: { l: { type: "array" } } });
    const { resource } = run(res({ l: [{ a: 1 }, "s"] }), s);
    assert.deepEqual(resource.spec, { l: [{}, "s"] });
  });
});

describe("x-kubernetes-embedded-resource", () => {
  const embedded: StructuralSchema = {
    type: "object",
    "x-kubernetes-embedded-resource": true,
    properties: { spec: { type: "object", properties: { a: { type: "integer", default: 1 } } } },
  };
  const schema = root({ type: "object", properties: { template: embedded } });

  it("keeps apiVersion/kind/metadata, coerces its metadata like ObjectMeta, prunes and defaults the rest", () => {
    const r = res({
      template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", bogus: 1, labels: { a: "b" }, creationTimestamp: null }, spec: { b: 2 }, other: 3 },
    });
    const { resource, changes } = run(r, schema);
    assert.deepEqual(resource.spec, { template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", labels: { a: "b" } }, spec: { a: 1 } } });
    assert.deepEqual(changes, [
      { kind: "prune", path: "spec.template.spec.b", value: 2 },
      { kind: "prune", path: "spec.template.other", value: 3 },
      { kind: "prune", path: "spec.template.metadata.bogus", value: 1 },
      { kind: "prune", path: "spec.template.metadata.creationTimestamp", value: null },
      { kind: "default", path: "spec.template.spec.a", value: 1 },
    ]);
  });

  it("leaves an embedded object with a non-string kind alone (the API server rejects it)", () => {
    const { resource } = run(res({ template: { kind: 5, metadata: { bogus: 1 } } }), schema);
    assert.deepEqual(resource.spec, { template: { kind: 5, metadata: { bogus: 1 } } });
  });
});

describe("root metadata (GetObjectMeta/SetObjectMeta round trip)", () => {
  const schema = root({ type: "object" });

  it("drops unknown and empty ObjectMeta fields, keeps labels/annotations with any key", () => {
    const metadata = {
      name: "x",
      namespace: "",
      labels: {},
      annotations: { "cnpg.io/skipEmptyWalArchiveCheck": "enabled" },
      finalizers: [],
      nmae: "typo",
      ownerReferences: [{ apiVersion: "v1", kind: "K", name: "n", uid: "u", controller: false, extra: 1 }],
    };
    const { resource, changes } = run(res({}, metadata), schema);
    assert.deepEqual(resource.metadata, {
      name: "x",
      annotations: { "cnpg.io/skipEmptyWalArchiveCheck": "enabled" },
      ownerReferences: [{ apiVersion: "v1", kind: "K", name: "n", uid: "u", controller: false }],
    });
    assert.deepEqual(changes, [
      { kind: "prune", path: "metadata.namespace", value: "" },
      { kind: "prune", path: "metadata.labels", value: {} },
      { kind: "prune", path: "metadata.finalizers", value: [] },
      { kind: "prune", path: "metadata.nmae", value: "typo" },
      { kind: "prune", path: "metadata.ownerReferences[0].extra", value: 1 },
    ]);
  });

  it("leaves metadata alone when a known field has the wrong type (the request fails to decode)", () => {
    const metadata = { name: "x", labels: { a: 1 }, bogus: true };
    const { resource, changes } = run(res({}, metadata as Record<string, unknown>), schema);
    assert.deepEqual(resource.metadata, metadata);
    assert.deepEqual(changes, []);
  });
});

describe("nulls (PruneNonNullableNullsWithoutDefaults, then Default)", () => {
  const schema = root({
    type: "object",
    properties: {
      plain: str,
      nullable: { type: "string", nullable: true },
      defaulted: { type: "string", default: "d" },
      nullableDefaulted: { type: "string", nullable: true, default: "d" },
      map: { type: "object", additionalProperties: { type: "string" } },
      nullableMap: { type: "object", additionalProperties: { type: "string", nullable: true } },
      defaultedMap: { type: "object", additionalProperties: { type: "string", default: "v" } },
      list: { type: "array", items: { type: "string" } },
      defaultedList: { type: "array", items: { type: "string", default: "i" } },
      free: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
    },
  });

  it("removes non-nullable nulls without a default, defaults non-nullable nulls with one, keeps nullable nulls", () => {
    const r = res({
      plain: null,
      nullable: null,
      defaulted: null,
      nullableDefaulted: null,
      map: { a: null, b: "x" },
      nullableMap: { a: null },
      defaultedMap: { a: null },
      list: [null, "x"],
      defaultedList: [null],
      free: { unknown: null },
    });
    const { resource, changes } = run(r, schema);
    assert.deepEqual(resource.spec, {
      nullable: null,
      defaulted: "d",
      nullableDefaulted: null,
      map: { b: "x" },
      nullableMap: { a: null },
      defaultedMap: { a: "v" },
      list: [null, "x"], // nulls in lists are not pruned
      defaultedList: ["i"],
      free: { unknown: null }, // no schema for the key: left alone
    });
    assert.deepEqual(changes, [
      { kind: "prune", path: "spec.plain", value: null },
      { kind: "prune", path: "spec.map.a", value: null },
      { kind: "default", path: "spec.defaulted", value: "d" },
      { kind: "default", path: "spec.defaultedMap.a", value: "v" },
      { kind: "default", path: "spec.defaultedList[0]", value: "i" },
    ]);
  });

  it("a null where an object with defaults is expected gets no nested defaults (it was removed)", () => {
    const s = root({ type: "object", properties: { obj: { type: "object", properties: { a: { type: "string", default: "x" } } } } });
    const { resource, changes } = run(res({ obj: null }), s);
    assert.deepEqual(resource.spec, {});
    assert.deepEqual(changes, [{ kind: "prune", path: "spec.obj", value: null }]);
  });
});

describe("defaulting", () => {
  const schema = root({
    type: "object",
    properties: {
      parent: {
        type: "object",
        properties: {
          a: { type: "string", default: "x" },
          child: {
            type: "object",
            default: { given: 1 },
            properties: { given: { type: "integer" }, nested: { type: "boolean", default: true } },
          },
        },
      },
      list: { type: "array", items: { type: "object", properties: { enabled: { type: "boolean", default: true } } } },
    },
  });

  it("defaults only inside objects that exist", () => {
    const { resource, changes } = run(res({}), schema);
    assert.deepEqual(resource.spec, {});
    assert.deepEqual(changes, []);
    const noSpec = run({ apiVersion: "v", kind: "k", metadata: {} }, schema);
    assert.equal("spec" in noSpec.resource, false);
  });

  it("descends into an inserted default object and applies the defaults inside it", () => {
    const { resource, changes } = run(res({ parent: {} }), schema);
    assert.deepEqual(resource.spec, { parent: { a: "x", child: { given: 1, nested: true } } });
    assert.deepEqual(changes, [
      { kind: "default", path: "spec.parent.a", value: "x" },
      { kind: "default", path: "spec.parent.child", value: { given: 1 } },
      { kind: "default", path: "spec.parent.child.nested", value: true },
    ]);
  });

  it("does not overwrite set values (false, 0, empty string are values)", () => {
    const s = root({ type: "object", properties: { b: { type: "boolean", default: true }, n: { type: "integer", default: 5 }, s: { type: "string", default: "d" } } });
    const { resource, changes } = run(res({ b: false, n: 0, s: "" }), s);
    assert.deepEqual(resource.spec, { b: false, n: 0, s: "" });
    assert.deepEqual(changes, []);
  });

  it("defaults every array item; change values are copies", () => {
    const { resource, changes } = run(res({ list: [{}, { enabled: false }, "junk"] }), schema);
    assert.deepEqual(resource.spec, { list: [{ enabled: true }, { enabled: false }, "junk"] });
    assert.deepEqual(changes, [{ kind: "default", path: "spec.list[0].enabled", value: true }]);
    const obj = run(res({ parent: {} }), schema);
    (obj.changes[1]!.value as Record<string, unknown>).given = 99;
    assert.deepEqual((obj.resource.spec as { parent: { child: unknown } }).parent.child, { given: 1, nested: true });
  });

  it("default values are not shared between objects (deep copies)", () => {
    const a = run(res({ parent: {} }), schema).resource;
    ((a.spec as { parent: { child: Record<string, unknown> } }).parent.child).given = 2;
    const b = run(res({ parent: {} }), schema).resource;
    assert.deepEqual((b.spec as { parent: { child: unknown } }).parent.child, { given: 1, nested: true });
  });
});

describe("defaultAfterMutation (after a mutating webhook's patch: Default only)", () => {
  it("defaults, but neither prunes unknown fields nor removes nulls", () => {
    const schema = root({ type: "object", properties: { a: { type: "string", default: "x" }, b: str } });
    const r = res({ b: null, added: 1 });
    const before = structuredClone(r);
    const { resource, changes } = defaultAfterMutation(r, schema);
    assert.deepEqual(r, before);
    assert.deepEqual(resource.spec, { b: null, added: 1, a: "x" });
    assert.deepEqual(changes, [{ kind: "default", path: "spec.a", value: "x" }]);
  });
});

describe("bounded", () => {
  it("handles a 100-level deep object under preserve-unknown-fields and a deep typed schema", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 100; i++) deep = { n: deep };
    let s: StructuralSchema = { type: "string" };
    for (let i = 0; i < 100; i++) s = { type: "object", properties: { n: s } };
    const out = run(res(deep), root(s));
    assert.deepEqual(out.changes, []);
    const free = run(res(deep), root({ type: "object", "x-kubernetes-preserve-unknown-fields": true }));
    assert.deepEqual(free.resource.spec, deep);
  });
});
