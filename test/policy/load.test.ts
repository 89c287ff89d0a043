import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, mkdirSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parsePolicyText, loadPolicyFiles } from "../../src/policy/load.ts";
import { validatePolicyObject } from "../../src/policy/validate.ts";
import { formatPolicyError, type PolicyError } from "../../src/policy/document.ts";
import { catalog, policyYaml } from "./fixtures.ts";

function errorsOf(text: string): PolicyError[] {
  const r = parsePolicyText(text, "p.yaml", catalog);
  assert.equal(r.ok, false, "expected the policy to be refused");
  return r.ok ? [] : r.errors;
}

function onlyError(text: string): PolicyError {
  const errors = errorsOf(text);
  assert.equal(errors.length, 1, `expected one error, got:\n${errors.map(formatPolicyError).join("\n")}`);
  return errors[0]!;
}

describe("parsePolicyText: valid policies", () => {
  it("reads a full policy, keeping parameters as written", () => {
    const r = parsePolicyText(
      policyYaml(
        "default",
        `  rpo: 1h30m
  priority: -5
  match:
    namespaces: [prod-*, billing]
    excludeNamespaces: [prod-sandbox]
    namespaceSelector:
      matchLabels: {team: db}
      matchExpressions: [{key: tier, operator: In, values: [gold]}, {key: legacy, operator: DoesNotExist}]
  exemptions: {allowed: true, requireReason: true, requireExpiry: true, neverExempt: [cnpg-backup-required]}
  rules:
    schedule-too-rare: {action: warn, maxInterval: 14d}
    cnpg-backup-target: {action: "off"}
  defaults:
    cnpg-backup-target: {enabled: true, target: primary}
`,
      ),
      "p.yaml",
      catalog,
    );
    assert.ok(r.ok, JSON.stringify(r));
    const [p] = r.policies;
    assert.equal(p!.name, "default");
    assert.equal(p!.source, "p.yaml");
    assert.equal(p!.line, 1);
    assert.deepEqual(p!.spec.rules!["schedule-too-rare"], { action: "warn", maxInterval: "14d" });
    assert.equal(p!.spec.rpo, "1h30m");
    assert.equal(p!.spec.priority, -5);
  });

  it("reads several documents, skipping empty ones, and JSON", () => {
    const text = `---\n${policyYaml("a", "  rpo: 5m\n")}\n---\n# nothing here\n---\n${policyYaml("b", "  {}\n")}`;
    const r = parsePolicyText(text, "p.yaml", catalog);
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.policies.map((p) => [p.name, p.line]), [["a", 2], ["b", 12]]);

    const json = JSON.stringify({ apiVersion: "pgbackupguard.io/v1alpha1", kind: "BackupPolicy", metadata: { name: "j" }, spec: { rules: { "cnpg-backup-target": { action: "audit" } } } });
    const rj = parsePolicyText(json, "p.json", catalog);
    assert.ok(rj.ok);
    assert.equal(rj.policies[0]!.spec.rules!["cnpg-backup-target"]!.action, "audit");
  });

  it("accepts a policy without spec, and ignores status and extra metadata", () => {
    const r = parsePolicyText(
      "apiVersion: pgbackupguard.io/v1alpha1\nkind: BackupPolicy\nmetadata: {name: x, uid: abc, resourceVersion: '1'}\nstatus: {}\n",
      "p.yaml",
      catalog,
    );
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.policies[0]!.spec, {});
  });

  it("takes action: false (kubectl's YAML 1.1 reading of unquoted off) as off", () => {
    const r = validatePolicyObject(
      { apiVersion: "pgbackupguard.io/v1alpha1", kind: "BackupPolicy", metadata: { name: "k" }, spec: { rules: { "cnpg-backup-target": { action: false } } } },
      "cluster",
      catalog,
    );
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.policy.spec.rules!["cnpg-backup-target"]!.action, "off");
  });

  it("reads unquoted off as the string off (YAML 1.2)", () => {
    const r = parsePolicyText(policyYaml("o", "  rules:\n    cnpg-backup-target: {action: off}\n"), "p.yaml", catalog);
    assert.ok(r.ok);
    assert.equal(r.policies[0]!.spec.rules!["cnpg-backup-target"]!.action, "off");
  });
});

describe("parsePolicyText: each kind of mistake, with its field and line", () => {
  it("unknown rule: lists the known rules", () => {
    const e = onlyError(policyYaml("x", "  rules:\n    no-such-rule: {action: warn}\n"));
    assert.equal(e.path, "spec.rules.no-such-rule");
    assert.equal(e.line, 7);
    assert.match(e.message, /^unknown rule; known rules: schedule-too-rare, schedule-too-frequent, cnpg-backup-target, cnpg-backup-required$/);
  });

  it("unknown rule near a known one: did you mean", () => {
    const e = onlyError(policyYaml("x", "  rules:\n    schedule-to-rare: {action: warn}\n"));
    assert.equal(e.message, 'unknown rule; did you mean "schedule-too-rare"?');
  });

  it("unknown parameter of a rule", () => {
    const e = onlyError(policyYaml("x", "  rules:\n    schedule-too-rare:\n      action: warn\n      maxIntervall: 7d\n"));
    assert.equal(e.path, "spec.rules.schedule-too-rare.maxIntervall");
    assert.equal(e.line, 9);
    assert.match(e.message, /unknown parameter of rule schedule-too-rare; did you mean "maxInterval"\?/);
    const far = onlyError(policyYaml("x", "  rules:\n    schedule-too-rare: {color: red}\n"));
    assert.match(far.message, /its parameters are: action, maxInterval$/);
  });

  it("bad duration, in a rule parameter and in rpo", () => {
    const e = onlyError(policyYaml("x", "  rules:\n    schedule-too-rare:\n      maxInterval: 7days\n"));
    assert.equal(e.path, "spec.rules.schedule-too-rare.maxInterval");
    assert.equal(e.line, 8);
    assert.equal(e.message, 'must be a duration like 30s, 5m, 1h, 7d, 2w, or combined like 1h30m (got "7days")');
    const rpo = onlyError(policyYaml("x", "  rpo: 300\n"));
    assert.equal(rpo.path, "spec.rpo");
    assert.equal(rpo.line, 6);
    assert.match(rpo.message, /must be a duration like .* \(got 300\)/);
  });

  it("rpo of zero", () => {
    const e = onlyError(policyYaml("x", "  rpo: 0m\n"));
    assert.equal(e.path, "spec.rpo");
    assert.match(e.message, /must be longer than 0s/);
  });

  it("bad action: the allowed ones, with a suggestion", () => {
    const e = onlyError(policyYaml("x", "  rules:\n    cnpg-backup-target: {action: warning}\n"));
    assert.equal(e.path, "spec.rules.cnpg-backup-target.action");
    assert.equal(e.line, 7);
    assert.equal(e.message, 'must be one of deny, warn, audit, off (got "warning"); did you mean "warn"?');
  });

  it("a rule written as a bare action", () => {
    const e = onlyError(policyYaml("x", "  rules:\n    cnpg-backup-target: warn\n"));
    assert.equal(e.message, 'must be a map like {action: warn} (got "warn")');
  });

  it("wrong parameter type and range", () => {
    const errors = errorsOf(policyYaml("x", "  rules:\n    cnpg-backup-required: {maxInstances: 0, backupPlugins: plugin}\n"));
    const byPath = Object.fromEntries(errors.map((e) => [e.path, e.message]));
    assert.match(byPath["spec.rules.cnpg-backup-required.maxInstances"]!, /must be >= 1 \(got 0\)/);
    assert.equal(byPath["spec.rules.cnpg-backup-required.backupPlugins"], 'must be a list (got "plugin")');
  });

  it("unknown defaulter, unknown defaulter parameter, bad enabled", () => {
    const errors = errorsOf(policyYaml("x", "  defaults:\n    nope: {}\n    cnpg-backup-target: {enabled: yes, targett: primary}\n"));
    const byPath = Object.fromEntries(errors.map((e) => [e.path, [e.message, e.line]]));
    assert.deepEqual(byPath["spec.defaults.nope"], ["unknown defaulter; known defaulters: cnpg-backup-target, cpo-retention-full", 7]);
    assert.deepEqual(byPath["spec.defaults.cnpg-backup-target.enabled"], ['must be true or false (got "yes")', 8]);
    assert.match(String(byPath["spec.defaults.cnpg-backup-target.targett"]![0]), /did you mean "target"/);
  });

  it("wrong apiVersion or kind: one clear error, no schema noise", () => {
    const e = onlyError("apiVersion: v1\nkind: BackupPolicy\nmetadata: {name: x}\nspec: {bogus: 1}\n");
    assert.equal(e.path, "apiVersion");
    assert.equal(e.line, 1);
    assert.equal(e.message, 'must be pgbackupguard.io/v1alpha1 (got "v1")');
    const k = onlyError("apiVersion: pgbackupguard.io/v1alpha1\nkind: ConfigMap\nmetadata: {name: x}\n");
    assert.equal(k.path, "kind");
    assert.equal(k.line, 2);
    assert.equal(k.message, 'must be BackupPolicy (got "ConfigMap")');
    const missing = errorsOf("metadata: {name: x}\nspec: {}\n");
    assert.deepEqual(missing.map((m) => [m.path, m.message]), [
      ["apiVersion", "is missing; a BackupPolicy has apiVersion: pgbackupguard.io/v1alpha1"],
      ["kind", "is missing; a BackupPolicy has kind: BackupPolicy"],
    ]);
  });

  it("a document that is not a map", () => {
    const e = onlyError("- a\n- b\n");
    assert.equal(e.path, "");
    assert.equal(e.line, 1);
    assert.equal(e.message, "a BackupPolicy must be a map (got a list)");
    assert.match(onlyError("just text").message, /must be a map \(got "just text"\)/);
    const spec = onlyError(policyYaml("x", "  - rpo\n"));
    assert.equal(spec.path, "spec");
    assert.equal(spec.message, "must be a map (got a list)");
  });

  it("missing metadata.name, unknown top-level and spec fields", () => {
    const e = onlyError("apiVersion: pgbackupguard.io/v1alpha1\nkind: BackupPolicy\nmetadata: {}\n");
    assert.equal(e.path, "metadata.name");
    assert.equal(e.message, "is required");
    assert.equal(e.line, 3);
    const f = onlyError(policyYaml("x", "  rule:\n    cnpg-backup-target: {action: warn}\n"));
    assert.equal(f.path, "spec.rule");
    assert.equal(f.message, 'unknown field; did you mean "rules"?');
  });

  it("match: namespace patterns and selectors", () => {
    const errors = errorsOf(
      policyYaml(
        "x",
        "  match:\n    namespaces: [Prod]\n    namespaceSelector:\n      matchExpressions:\n        - {key: tier, operator: In}\n        - {key: env, operator: Exists, values: [a]}\n        - {key: env, operator: Like}\n",
      ),
    );
    const byPath = Object.fromEntries(errors.map((e) => [e.path, e.message]));
    assert.match(byPath["spec.match.namespaces[0]"]!, /must be a namespace name or a glob with \*/);
    assert.equal(byPath["spec.match.namespaceSelector.matchExpressions[0].values"], "operator In needs at least one value");
    assert.equal(byPath["spec.match.namespaceSelector.matchExpressions[1].values"], "operator Exists takes no values; remove them");
    assert.match(byPath["spec.match.namespaceSelector.matchExpressions[2].operator"]!, /must be one of In, NotIn, Exists, DoesNotExist \(got "Like"\)/);
  });

  it("neverExempt names an unknown rule", () => {
    const e = onlyError(policyYaml("x", "  exemptions:\n    neverExempt: [cnpg-backup-required, cnpg-backup-requird]\n"));
    assert.equal(e.path, "spec.exemptions.neverExempt[1]");
    assert.equal(e.message, 'unknown rule; did you mean "cnpg-backup-required"?');
  });

  it("malformed YAML: an error with its line, never a throw", () => {
    const e = errorsOf(`${policyYaml("x", "  rules:\n    cnpg-backup-target: {action: warn\n  rpo: 5m\n")}`);
    assert.ok(e.length >= 1);
    assert.match(e[0]!.message, /^invalid YAML: /);
    assert.equal(typeof e[0]!.line, "number");
    assert.ok(e[0]!.line! >= 7);
    const tab = errorsOf("apiVersion: pgbackupguard.io/v1alpha1\nkind: BackupPolicy\nmetadata:\n\tname: x\n");
    assert.equal(tab[0]!.line, 4);
  });

  it("duplicate keys and duplicate policy names", () => {
    const dup = errorsOf("apiVersion: pgbackupguard.io/v1alpha1\nkind: BackupPolicy\nkind: BackupPolicy\nmetadata: {name: x}\n");
    assert.equal(dup[0]!.line, 3);
    assert.match(dup[0]!.message, /unique/);
    const names = onlyError(`${policyYaml("x", "  {}\n")}\n---\n${policyYaml("x", "  {}\n")}`);
    assert.equal(names.path, "metadata.name");
    assert.equal(names.line, 9);
    assert.match(names.message, /already defined at p\.yaml:1/);
  });

  it("an empty file is an error", () => {
    assert.match(onlyError("").message, /no BackupPolicy document/);
    assert.match(onlyError("# only a comment\n---\n").message, /no BackupPolicy document/);
  });

  it("reports errors of several documents, each with its own lines", () => {
    const text = `${policyYaml("a", "  rpo: soon\n")}\n---\n${policyYaml("b", "  rules:\n    nope: {}\n")}`;
    const errors = errorsOf(text);
    assert.deepEqual(errors.map((e) => [e.path, e.line]), [["spec.rpo", 6], ["spec.rules.nope", 15]]);
  });

  it("wrong types anywhere never throw", () => {
    const values = [null, 1, "x", [], {}, [1], { a: null }];
    const fields = ["spec", "spec.rules", "spec.match", "spec.match.namespaceSelector", "spec.match.namespaceSelector.matchExpressions", "spec.exemptions", "spec.defaults", "metadata", "spec.rules.cnpg-backup-target"];
    for (const field of fields) {
      for (const v of values) {
        const doc: Record<string, unknown> = { apiVersion: "pgbackupguard.io/v1alpha1", kind: "BackupPolicy", metadata: { name: "x" }, spec: {} };
        let cur: Record<string, unknown> = doc;
        const steps = field.split(".");
        for (const s of steps.slice(0, -1)) cur = (cur[s] ??= {}) as Record<string, unknown>;
        cur[steps.at(-1)!] = v;
        const r = validatePolicyObject(doc, "t", catalog);
        if (!r.ok) for (const e of r.errors) assert.ok(e.message.length > 0);
      }
    }
  });
});

describe("loadPolicyFiles", () => {
  const dir = mkdtempSync(join(tmpdir(), "pgbg-policy-"));
  writeFileSync(join(dir, "a.yaml"), policyYaml("a", "  rpo: 10m\n"));
  mkdirSync(join(dir, "more"));
  writeFileSync(join(dir, "more", "b.yml"), policyYaml("b", "  priority: 2\n"));
  writeFileSync(join(dir, "more", "notes.txt"), "not a policy");

  it("reads files and directories", () => {
    const r = loadPolicyFiles([dir], catalog);
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.policies.map((p) => [p.name, p.source]), [["a", join(dir, "a.yaml")], ["b", join(dir, "more", "b.yml")]]);
  });

  it("a missing file is an error value", () => {
    const r = loadPolicyFiles([join(dir, "absent.yaml")], catalog);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.errors[0]!.message, /cannot read the policy: no such file or directory/);
  });

  it("an unreadable file is an error value", { skip: process.getuid?.() === 0 ? "running as root: permissions are not enforced" : false }, () => {
    const f = join(dir, "secret.yaml");
    writeFileSync(f, policyYaml("s", "  {}\n"));
    chmodSync(f, 0o000);
    const r = loadPolicyFiles([f], catalog);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.errors[0]!.message, /permission denied/);
  });

  it("the same name in two files is refused", () => {
    const f = join(dir, "again.yaml");
    writeFileSync(f, policyYaml("a", "  {}\n"));
    const r = loadPolicyFiles([join(dir, "a.yaml"), f], catalog);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.errors[0]!.source, f);
      assert.match(r.errors[0]!.message, /already defined at .*a\.yaml:1/);
    }
  });
});
