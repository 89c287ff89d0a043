import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { PolicySet } from "../../src/policy/set.ts";
import { globMatches, selectorMatches } from "../../src/policy/match.ts";
import { BUILTIN_POLICY_NAME, recommendedPolicy } from "../../src/policy/builtin.ts";
import type { PolicyDocument, PolicySpec } from "../../src/policy/document.ts";
import { testBase } from "./fixtures.ts";

const doc = (name: string, spec: PolicySpec): PolicyDocument => ({ name, spec, source: "t" });
const set = (...docs: PolicyDocument[]) => new PolicySet(docs, testBase);
const sources = (s: PolicySet, ns: string | undefined, labels?: Record<string, string>) => s.forNamespace(ns, labels).sources.slice(1);

describe("globMatches", () => {
  it("exact names and * globs", () => {
    assert.ok(globMatches("prod", "prod"));
    assert.ok(!globMatches("prod", "prod-eu"));
    assert.ok(globMatches("prod-*", "prod-eu"));
    assert.ok(globMatches("prod-*", "prod-"));
    assert.ok(!globMatches("prod-*", "preprod-eu"));
    assert.ok(globMatches("*-dev", "team-a-dev"));
    assert.ok(globMatches("*", "anything"));
    assert.ok(globMatches("a*b*c", "axxbyyc"));
    assert.ok(!globMatches("a.b", "axb"), "regex characters are literal");
  });
});

describe("selectorMatches (Kubernetes semantics)", () => {
  const labels = { env: "prod", team: "db", legacy: "" };
  it("matchLabels and each operator", () => {
    assert.ok(selectorMatches({ matchLabels: { env: "prod" } }, labels));
    assert.ok(!selectorMatches({ matchLabels: { env: "dev" } }, labels));
    assert.ok(!selectorMatches({ matchLabels: { tier: "gold" } }, labels));
    assert.ok(selectorMatches({ matchExpressions: [{ key: "env", operator: "In", values: ["prod", "stage"] }] }, labels));
    assert.ok(!selectorMatches({ matchExpressions: [{ key: "tier", operator: "In", values: ["gold"] }] }, labels));
    assert.ok(selectorMatches({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["gold"] }] }, labels), "NotIn matches an absent label");
    assert.ok(!selectorMatches({ matchExpressions: [{ key: "env", operator: "NotIn", values: ["prod"] }] }, labels));
    assert.ok(selectorMatches({ matchExpressions: [{ key: "legacy", operator: "Exists" }] }, labels));
    assert.ok(!selectorMatches({ matchExpressions: [{ key: "legacy", operator: "DoesNotExist" }] }, labels));
    assert.ok(!selectorMatches({ matchLabels: { env: "prod" }, matchExpressions: [{ key: "team", operator: "In", values: ["web"] }] }, labels), "all must hold");
    assert.ok(!selectorMatches({ matchLabels: { toString: "x" } }, {}), "inherited properties are not labels");
  });
});

describe("PolicySet", () => {
  it("an empty set gives the built-in policy", () => {
    const s = new PolicySet([]);
    const p = s.forNamespace("any");
    assert.deepEqual(p.sources, [BUILTIN_POLICY_NAME]);
    assert.deepEqual([...p.rules.keys()], [...recommendedPolicy().rules.keys()]);
    assert.deepEqual(s.names, []);
  });

  it("policies and names in the order they apply", () => {
    const s = set(doc("b", {}), doc("a", { priority: 5 }), doc("c", {}));
    assert.deepEqual(s.names, ["b", "c", "a"]);
    assert.deepEqual(s.policies.map((p) => p.name), ["b", "c", "a"]);
  });

  it("matches by namespace name and glob, and exclusions win", () => {
    const s = set(
      doc("all", {}),
      doc("prod", { match: { namespaces: ["prod-*", "billing"], excludeNamespaces: ["prod-sandbox"] } }),
      doc("empty-match", { match: { namespaces: [], excludeNamespaces: [] } }),
    );
    assert.deepEqual(sources(s, "prod-eu"), ["all", "empty-match", "prod"]);
    assert.deepEqual(sources(s, "billing"), ["all", "empty-match", "prod"]);
    assert.deepEqual(sources(s, "prod-sandbox"), ["all", "empty-match"]);
    assert.deepEqual(sources(s, "dev"), ["all", "empty-match"]);
  });

  it("excludeNamespaces alone: every namespace but those", () => {
    const s = set(doc("not-kube", { match: { excludeNamespaces: ["kube-*"] } }));
    assert.deepEqual(sources(s, "app"), ["not-kube"]);
    assert.deepEqual(sources(s, "kube-system"), []);
  });

  it("namespaceSelector: matches on labels; unknown labels never match, and describeMatch says why", () => {
    const s = set(doc("gold", { match: { namespaceSelector: { matchLabels: { tier: "gold" } } } }), doc("any", { match: { namespaceSelector: {} } }));
    assert.deepEqual(sources(s, "db", { tier: "gold" }), ["any", "gold"]);
    assert.deepEqual(sources(s, "db", { tier: "bronze" }), ["any"]);
    assert.deepEqual(sources(s, "db"), ["any"], "an empty selector matches even unknown labels");
    const why = s.describeMatch("db").find((m) => m.name === "gold")!;
    assert.equal(why.matches, false);
    assert.match(why.reason, /^namespace labels unknown: pass the Namespace with --lookup .*labels of namespace db/);
    assert.match(s.describeMatch("db", { tier: "bronze" }).find((m) => m.name === "gold")!.reason, /do not match/);
  });

  it("names and selector together must both hold", () => {
    const s = set(doc("both", { match: { namespaces: ["prod-*"], namespaceSelector: { matchLabels: { pci: "true" } } } }));
    assert.deepEqual(sources(s, "prod-a", { pci: "true" }), ["both"]);
    assert.deepEqual(sources(s, "prod-a", { pci: "false" }), []);
    assert.deepEqual(sources(s, "dev", { pci: "true" }), []);
  });

  it("no namespace: only policies without a namespace list or selector apply", () => {
    const s = set(doc("all", {}), doc("excl", { match: { excludeNamespaces: ["x"] } }), doc("named", { match: { namespaces: ["*"] } }));
    assert.deepEqual(sources(s, undefined), ["all", "excl"]);
    assert.match(s.describeMatch(undefined).find((m) => m.name === "named")!.reason, /no namespace/);
  });

  it("merges the matching policies in (priority, name) order", () => {
    const s = set(
      doc("base", { priority: -10, rules: { "schedule-too-rare": { action: "warn", maxInterval: "14d" } } }),
      doc("prod", { match: { namespaces: ["prod"] }, rules: { "schedule-too-rare": { action: "deny" } } }),
    );
    assert.deepEqual(s.forNamespace("prod").rules.get("schedule-too-rare"), { action: "deny", params: { maxInterval: "14d" } });
    assert.deepEqual(s.forNamespace("dev").rules.get("schedule-too-rare"), { action: "warn", params: { maxInterval: "14d" } });
  });

  it("memoizes per namespace and labels", () => {
    const s = set(doc("gold", { match: { namespaceSelector: { matchLabels: { tier: "gold" } } } }));
    const a = s.forNamespace("db", { tier: "gold", x: "1" });
    assert.equal(s.forNamespace("db", { x: "1", tier: "gold" }), a, "label order does not matter");
    assert.notEqual(s.forNamespace("db", { tier: "bronze" }), a);
    assert.notEqual(s.forNamespace("db"), a);
    assert.equal(s.forNamespace("other", { tier: "gold" }), a, "matched by the same documents: one shared merge");
    assert.deepEqual(s.forNamespace("db", { tier: "bronze" }).sources.slice(1), []);
  });
});
