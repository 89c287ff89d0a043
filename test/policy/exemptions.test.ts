// Policy-level exemptions (`spec.exemptions.resources`): validated with the policy, honoured by the one engine, so the
// CLI (validate, audit) and the webhook agree; reported when used and when expired. Also: which policies applied.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parsePolicyText } from "../../src/policy/load.ts";
import { formatPolicyError, type PolicyDocument } from "../../src/policy/document.ts";
import { mergePolicies } from "../../src/policy/merge.ts";
import { PolicySet } from "../../src/policy/set.ts";
import { evaluate } from "../../src/engine/engine.ts";
import type { Resource } from "../../src/engine/types.ts";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import { validate as validateRequest } from "../../src/webhook/handler.ts";
import type { AdmissionRequest } from "../../src/webhook/admission.ts";
import { run } from "../cli/run.ts";
import { auditObjects } from "../../src/audit/run.ts";
import { formatAuditText } from "../../src/audit/text.ts";

const NOW = new Date("2026-01-15T12:00:00Z");
const RULE = "cnpg-backup-required"; // denies a Cluster without any backup configuration
// With cnpg-backup-required exempted, the missing WAL archive is reported by this one (one problem, one finding).
const WAL = "cnpg-wal-archive-required";

function policyText(spec: string, name = "platform"): string {
  return `apiVersion: pgbackupguard.io/v1alpha1\nkind: BackupPolicy\nmetadata: {name: ${name}}\nspec:\n${spec}`;
}

function load(spec: string, name = "platform"): PolicyDocument[] {
  const r = parsePolicyText(policyText(spec, name), "p.yaml");
  assert.ok(r.ok, r.ok ? "" : r.errors.map(formatPolicyError).join("\n"));
  return r.policies;
}

function errors(spec: string): string[] {
  const r = parsePolicyText(policyText(spec), "p.yaml");
  assert.equal(r.ok, false, "expected the policy to be refused");
  return r.ok ? [] : r.errors.map(formatPolicyError);
}

function cluster(name: string, namespace: string | undefined, labels: Record<string, string> = {}, annotations?: Record<string, string>): Resource {
  const metadata: Resource["metadata"] = { name, labels };
  if (namespace !== undefined) metadata.namespace = namespace;
  if (annotations) metadata.annotations = annotations;
  return { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata, spec: { instances: 1 } };
}

const LEGACY = `  exemptions:
    resources:
      - kinds: [Cluster]
        namespaces: [legacy-*]
        names: [pg-*]
        rules: [${RULE}, ${WAL}]
        reason: "migrated by the data team, ticket DB-7"
        until: "2026-06-30"
`;

function judge(docs: PolicyDocument[], r: Resource, now = NOW) {
  const set = new PolicySet(docs);
  return evaluate(r, { policy: set.forNamespace(r.metadata.namespace), lookups: new InventoryLookups(), now });
}

describe("spec.exemptions.resources: valid policies", () => {
  it("loads every field, and the annotation settings next to it", () => {
    const [doc] = load(`  exemptions:
    allowed: false
    neverExempt: [cnpg-wal-archive-required]
    resources:
      - kinds: [Cluster, ScheduledBackup]
        namespaces: [legacy, legacy-*]
        names: [pg-old, "pg-*"]
        selector:
          matchLabels: {team: data}
          matchExpressions: [{key: tier, operator: NotIn, values: [gold]}]
        rules: [${RULE}, schedule-too-rare]
        reason: imported
        until: "2026-12-31T18:00:00Z"
      - {selector: {matchLabels: {owner: vendor}}, rules: [${RULE}], reason: vendor-managed, until: "2026-03-01"}
`);
    assert.equal(doc!.spec.exemptions!.resources!.length, 2);
    const merged = mergePolicies([doc!]);
    assert.equal(merged.exemptions.allowed, false);
    assert.deepEqual(merged.exemptions.resources!.map((x) => [x.policy, x.index]), [["platform", 0], ["platform", 1]]);
  });

  it("merging adds the entries of every policy (they never replace each other)", () => {
    const a = load(LEGACY, "a")[0]!;
    const b = load(`  priority: 10\n  exemptions:\n    neverExempt: []\n    resources: [{names: [x], rules: [${RULE}], reason: r, until: "2026-02-01"}]\n`, "b")[0]!;
    const merged = mergePolicies([b, a]);
    assert.deepEqual(merged.exemptions.resources!.map((x) => x.policy), ["a", "b"]);
    assert.equal(mergePolicies([]).exemptions.resources, undefined);
  });
});

it("the example in docs/policy.md is a valid policy that exempts what it says", () => {
  const md = readFileSync(join(import.meta.dirname, "..", "..", "docs", "policy.md"), "utf8");
  const section = md.slice(md.indexOf("### Exemptions in the policy"));
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
  const r = parsePolicyText(`apiVersion: pgbackupguard.io/v1alpha1\nkind: BackupPolicy\nmetadata: {name: docs}\n${yaml}`, "docs");
  assert.ok(r.ok, r.ok ? "" : r.errors.map(formatPolicyError).join("\n"));
  assert.equal(judge(r.policies, cluster("pg-a", "legacy-1")).allowed, true);
  assert.equal(judge(r.policies, cluster("pg-a", "prod")).allowed, false);
});

describe("spec.exemptions.resources: invalid policies name the field", () => {
  const entry = (fields: string) => `  exemptions:\n    resources:\n      - ${fields}\n`;
  it("until is required (required expiry)", () => {
    const [e] = errors(entry(`{kinds: [Cluster], rules: [${RULE}], reason: r}`));
    assert.match(e!, /^p\.yaml:\d+: spec\.exemptions\.resources\[0\]\.until: is required: a policy exemption must expire \(required expiry\)/);
  });
  it("reason and rules are required, rules not empty, reason not blank", () => {
    assert.match(errors(entry(`{kinds: [Cluster], rules: [${RULE}], until: "2026-02-01"}`))[0]!, /resources\[0\]\.reason: is required: say why/);
    assert.match(errors(entry(`{kinds: [Cluster], reason: r, until: "2026-02-01"}`))[0]!, /resources\[0\]\.rules: is required/);
    assert.match(errors(entry(`{kinds: [Cluster], rules: [], reason: r, until: "2026-02-01"}`))[0]!, /resources\[0\]\.rules: must list at least one rule id/);
    assert.match(errors(entry(`{kinds: [Cluster], rules: [${RULE}], reason: "  ", until: "2026-02-01"}`))[0]!, /resources\[0\]\.reason: must not be blank/);
  });
  it("rule ids, kinds and dates are validated", () => {
    assert.match(errors(entry(`{kinds: [Cluster], rules: [cnpg-backup-requird], reason: r, until: "2026-02-01"}`))[0]!, /resources\[0\]\.rules\[0\]: unknown rule; did you mean "cnpg-backup-required"\?/);
    assert.match(errors(entry(`{kinds: [Clusters], rules: [${RULE}], reason: r, until: "2026-02-01"}`))[0]!, /resources\[0\]\.kinds\[0\]: must be one of .*did you mean "Cluster"\?/);
    assert.match(errors(entry(`{kinds: [Cluster], rules: [${RULE}], reason: r, until: "next week"}`))[0]!, /resources\[0\]\.until: must be a date YYYY-MM-DD/);
    assert.match(errors(entry(`{kinds: [Cluster], rules: [${RULE}], reason: r, until: "2026-02-30"}`))[0]!, /resources\[0\]\.until: is not a real date or time/);
    assert.match(errors(entry(`{names: [PG], rules: [${RULE}], reason: r, until: "2026-02-01"}`))[0]!, /resources\[0\]\.names\[0\]: must be a resource name or a glob/);
    assert.match(errors(entry(`{kinds: [Cluster], rules: [${RULE}], reason: r, until: "2026-02-01", owner: me}`))[0]!, /resources\[0\]\.owner: unknown field/);
  });
  it("an entry must name some resources; selector expressions are checked", () => {
    assert.match(errors(entry(`{rules: [${RULE}], reason: r, until: "2026-02-01"}`))[0]!, /resources\[0\]: names no resources: give at least one of kinds, namespaces, names or selector/);
    assert.match(errors(entry(`{selector: {}, rules: [${RULE}], reason: r, until: "2026-02-01"}`))[0]!, /names no resources/);
    assert.match(
      errors(entry(`{selector: {matchExpressions: [{key: a, operator: In}]}, rules: [${RULE}], reason: r, until: "2026-02-01"}`))[0]!,
      /resources\[0\]\.selector\.matchExpressions\[0\]\.values: operator In needs at least one value/,
    );
  });
});

describe("the engine honours policy exemptions", () => {
  const docs = load(LEGACY);
  it("applies to the resources every given field names, with its source", () => {
    const e = judge(docs, cluster("pg-1", "legacy-eu"));
    assert.equal(e.allowed, true);
    const entry = { reason: "migrated by the data team, ticket DB-7", until: "2026-06-30", applied: true, source: "policy platform" };
    assert.deepEqual(e.exemptions, [{ rule: RULE, ...entry }, { rule: WAL, ...entry }]);
    for (const other of [cluster("app-1", "legacy-eu"), cluster("pg-1", "prod"), cluster("pg-1", undefined)]) {
      const o = judge(docs, other);
      assert.equal(o.allowed, false, other.metadata.name);
      assert.deepEqual(o.exemptions, []);
    }
  });
  it("an expired entry is reported and no longer applies (valid through its day, UTC)", () => {
    assert.equal(judge(docs, cluster("pg-1", "legacy-eu"), new Date("2026-06-30T23:59:59Z")).allowed, true);
    const e = judge(docs, cluster("pg-1", "legacy-eu"), new Date("2026-07-01T00:00:00Z"));
    assert.equal(e.allowed, false);
    assert.deepEqual(e.exemptions.map((x) => [x.rule, x.applied, x.ignoredBecause, x.source]), [
      [RULE, false, "expired on 2026-06-30", "policy platform"],
      [WAL, false, "expired on 2026-06-30", "policy platform"],
    ]);
  });
  it("a selector matches the resource's own labels", () => {
    const sel = load(`  exemptions:\n    resources: [{selector: {matchLabels: {owner: vendor}, matchExpressions: [{key: tier, operator: NotIn, values: [gold]}]}, rules: [${RULE}, ${WAL}], reason: vendor, until: "2026-03-01"}]\n`);
    assert.equal(judge(sel, cluster("a", "x", { owner: "vendor" })).allowed, true);
    assert.equal(judge(sel, cluster("a", "x", { owner: "vendor", tier: "gold" })).allowed, false);
    assert.equal(judge(sel, cluster("a", "x", {})).allowed, false);
  });
  it("neverExempt applies to policy entries; allowed: false only turns annotations off", () => {
    const never = load(`${LEGACY}    neverExempt: [${RULE}]\n`);
    const e = judge(never, cluster("pg-1", "legacy-eu"));
    assert.equal(e.allowed, false);
    assert.match(e.exemptions[0]!.ignoredBecause!, /can never be exempted/);
    const noAnnotations = load(`${LEGACY}    allowed: false\n`);
    const annotated = cluster("pg-1", "legacy-eu", {}, { "pgbackupguard.io/exempt": RULE, "pgbackupguard.io/exempt-reason": "mine" });
    const a = judge(noAnnotations, annotated);
    assert.equal(a.allowed, true);
    assert.deepEqual(a.exemptions.map((x) => [x.source, x.applied]), [["annotation", false], ["policy platform", true], ["policy platform", true]]);
  });
  it("rules that do not apply to the kind are not listed", () => {
    const d = load(`  exemptions:\n    resources: [{namespaces: [legacy-*], rules: [${RULE}, schedule-too-rare], reason: r, until: "2026-03-01"}]\n`);
    assert.deepEqual(judge(d, cluster("pg", "legacy-a")).exemptions.map((x) => x.rule), [RULE]);
  });
  it("an entry only counts where its policy applies (spec.match)", () => {
    const d = load(`  match: {namespaces: [prod-*]}\n${LEGACY}`);
    assert.equal(judge(d, cluster("pg-1", "legacy-eu")).allowed, false);
  });
});

describe("the webhook handler and the CLI agree", () => {
  const request = (object: Resource): AdmissionRequest =>
    ({
      uid: "u1",
      kind: { group: "postgresql.cnpg.io", version: "v1", kind: "Cluster" },
      resource: { group: "postgresql.cnpg.io", version: "v1", resource: "clusters" },
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      operation: "CREATE",
      userInfo: { username: "alice" },
      object,
    }) as unknown as AdmissionRequest;
  const deps = (now: Date) => ({ policies: new PolicySet(load(LEGACY)), lookups: new InventoryLookups(), lookupFailure: "allow" as const, now: () => now });

  it("webhook: used exemptions go to the audit annotations, expired ones to warnings", () => {
    const ok = validateRequest(request(cluster("pg-1", "legacy-eu")), deps(NOW));
    assert.equal(ok.response.allowed, true);
    assert.match(ok.response.auditAnnotations?.exempted ?? "", /^cnpg-backup-required \(policy platform\): migrated by the data team, ticket DB-7, until 2026-06-30; cnpg-wal-archive-required \(policy platform\)/);
    const late = validateRequest(request(cluster("pg-1", "legacy-eu")), deps(new Date("2026-08-01T00:00:00Z")));
    assert.equal(late.response.allowed, false);
    assert.ok(late.response.warnings?.some((w) => /\[cnpg-backup-required\] exemption \(policy platform\) ignored: expired on 2026-06-30/.test(w)), String(late.response.warnings));
  });

  function files(): { dir: string; policy: string; manifest: string } {
    const dir = mkdtempSync(join(tmpdir(), "pgbg-exempt-"));
    const policy = join(dir, "policy.yaml");
    const manifest = join(dir, "c.yaml");
    writeFileSync(policy, policyText(LEGACY));
    const c = "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: pg-1, namespace: legacy-eu}\nspec: {instances: 1}\n";
    writeFileSync(manifest, c);
    return { dir, policy, manifest };
  }

  it("audit: the same exemption, the same verdict, reported with its source", () => {
    const set = new PolicySet(load(LEGACY));
    const resolver = { names: ["builtin:recommended", ...set.names], forNamespace: (ns: string | undefined, l?: Record<string, string>) => set.forNamespace(ns, l) };
    const audit = (now: Date) => auditObjects({ objects: [cluster("pg-1", "legacy-eu")], lookups: new InventoryLookups(), resolver, now });
    const used = audit(NOW);
    assert.equal(used.report.results[0]!.allowed, true);
    assert.deepEqual(used.report.results[0]!.exemptions.map((e) => [e.rule, e.applied, e.source]), [[RULE, true, "policy platform"], [WAL, true, "policy platform"]]);
    const expired = audit(new Date("2026-07-01T00:00:00Z"));
    assert.equal(expired.report.results[0]!.allowed, false);
    assert.match(formatAuditText(expired.report, { color: false }), /note  exemption for cnpg-backup-required \(policy platform\) ignored: expired on 2026-06-30/);
  });

  it("validate: text, JSON and github report the exemption and its source", async () => {
    const f = files();
    const text = await run(["validate", f.manifest, "--policy", f.policy], { now: NOW });
    assert.equal(text.code, 0, text.stdout + text.stderr);
    assert.match(text.stdout, /note  exempt cnpg-backup-required \(migrated by the data team, ticket DB-7\) until 2026-06-30 \(policy platform\)/);
    const json = await run(["validate", f.manifest, "--policy", f.policy, "--format", "json"], { now: NOW });
    assert.deepEqual(JSON.parse(json.stdout).results[0].exemptions[0].source, "policy platform");
    const late = new Date("2026-07-02T00:00:00Z");
    const gh = await run(["validate", f.manifest, "--policy", f.policy, "--format", "github"], { now: late });
    assert.equal(gh.code, 1);
    assert.match(gh.stdout, /^::notice file=[^\n]*title=exemption ignored%3A cnpg-backup-required \(Cluster legacy-eu\/pg-1\)::exemption for cnpg-backup-required \(policy platform\) ignored: expired on 2026-06-30$/m);
    assert.match(gh.stdout, /^::error [^\n]*title=cnpg-backup-required/m);
  });
});

describe("which policies applied to each resource", () => {
  const selectorPolicy = policyText("  match: {namespaceSelector: {matchLabels: {tier: gold}}}\n  rules: {schedule-too-rare: {action: warn}}\n", "gold");
  const prodPolicy = policyText("  match: {namespaces: [prod]}\n", "prod-only");
  function setup() {
    const dir = mkdtempSync(join(tmpdir(), "pgbg-uses-"));
    writeFileSync(join(dir, "policies.yaml"), `${selectorPolicy}\n---\n${prodPolicy}`);
    writeFileSync(join(dir, "c.yaml"), "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: pg, namespace: db}\nspec: {instances: 1}\n");
    writeFileSync(join(dir, "ns.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: db, labels: {tier: gold}}\n");
    return dir;
  }

  it("JSON: a policies list per result; a namespaceSelector without known labels says to pass the Namespace", async () => {
    const dir = setup();
    const r = await run(["validate", join(dir, "c.yaml"), "--policy", join(dir, "policies.yaml"), "--format", "json"], { now: NOW });
    const out = JSON.parse(r.stdout);
    const uses = out.results[0].policies as { name: string; applied: boolean; why: string }[];
    assert.deepEqual(uses.map((u) => [u.name, u.applied]), [["builtin:recommended", true], ["gold", false], ["prod-only", false]]);
    assert.match(uses[1]!.why, /^namespace labels unknown: pass the Namespace with --lookup/);
    assert.match(uses[2]!.why, /namespace db is not in spec\.match\.namespaces/);
    for (const key of ["source", "line", "apiVersion", "kind", "namespace", "name", "allowed", "findings"]) assert.ok(key in out.results[0], key);
  });

  it("text: a note policies line, and the summary names only the policies that applied", async () => {
    const dir = setup();
    const unknown = await run(["validate", join(dir, "c.yaml"), "--policy", join(dir, "policies.yaml")], { now: NOW });
    assert.match(unknown.stdout, /note  policies  applied: builtin:recommended; not applied: gold \(namespace labels unknown: pass the Namespace with --lookup/);
    assert.match(unknown.stdout, /\(policy: builtin:recommended\)\n/);
    const known = await run(["validate", join(dir, "c.yaml"), "--policy", join(dir, "policies.yaml"), "--lookup", join(dir, "ns.yaml")], { now: NOW });
    assert.match(known.stdout, /note  policies  applied: builtin:recommended, gold; not applied: prod-only \(namespace db is not in spec\.match\.namespaces\)/);
    assert.match(known.stdout, /\(policy: builtin:recommended \+ gold\)\n/);
  });

  it("text: no policies line with the built-in policy alone", async () => {
    const dir = setup();
    const r = await run(["validate", join(dir, "c.yaml")], { now: NOW });
    assert.doesNotMatch(r.stdout, /note  policies/);
    assert.match(r.stdout, /\(policy: builtin:recommended\)\n/);
  });
});
