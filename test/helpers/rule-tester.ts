// An ESLint-style RuleTester: each rule's tests are data — valid cases and invalid cases with the
// problems they must produce. A case is a resource (object or YAML) plus optional params, rpo, lookups.
//
// What the tester enforces (stricter than a plain deepEqual; the API is unchanged, every option is optional):
// - Every `ruleTester(rule, { valid, invalid })` call needs at least one valid and one invalid case.
// - A case's `params` are validated against the rule's parameter schema exactly as a BackupPolicy's
//   `spec.rules.<id>` entry is (validatePolicyObject: ajv, durations); invalid params fail the case, naming it.
// - Not-checked answers are never ignored. A valid case that yields a not-checked problem fails unless the case
//   says `notChecked: true` (then it must yield at least one not-checked problem and no finding). An invalid case
//   lists its not-checked problems among `problems` with `notChecked: true`, in order.
// - An expected problem's `path` and `message` (a substring or a RegExp) are checked when given. Problems are compared in the order the rule reports them, and their count must match.
// `runCase` runs one case without assertions (for hand-written tests).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import type { FieldOrigin, Operation, Problem, Resource, Rule, RuleContext } from "../../src/engine/types.ts";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import { paramDefaults, DEFAULT_RPO_SECONDS } from "../../src/policy/builtin.ts";
import { validatePolicyObject } from "../../src/policy/validate.ts";
import { POLICY_API_VERSION } from "../../src/policy/document.ts";

export interface RuleCase {
  name?: string;
  /** The resource, as an object or a YAML string. */
  resource: Resource | string;
  /** Parameters merged over the rule's defaults; validated against the rule's parameter schema. */
  params?: Record<string, unknown>;
  rpoSeconds?: number;
  /** Objects the lookups know (a kind with none here is unknown). */
  lookups?: (Resource | string)[];
  operation?: Operation;
  oldResource?: Resource | string;
  now?: Date;
  /** Rules that are off or exempted for this case (every other rule counts as active). */
  inactiveRules?: string[];
  /** Fields the simulated API server (crd) or a policy default wrote, as admit() reports them. */
  origin?: Record<string, FieldOrigin>;
  /** Valid cases only: the rule is expected to answer not-checked (at least one not-checked problem, no finding). */
  notChecked?: boolean;
}

export interface ExpectedProblem {
  /** The reported path must equal it, when given. */
  path?: string;
  /** A substring or a pattern the message must match. */
  message?: string | RegExp;
  notChecked?: boolean;
}

export interface InvalidCase extends RuleCase {
  problems: ExpectedProblem[];
}

export const FIXED_NOW = new Date("2026-11-22T12:00:00Z");

function toResource(r: Resource | string): Resource {
  return (typeof r === "string" ? parse(r) : r) as Resource;
}

export function runCase<P>(rule: Rule<P>, c: RuleCase): Problem[] {
  const ctx: RuleContext<P> = {
    // The engine's contract: defaults merged with policy values that passed the schema (checked in ruleTester).
    params: { ...paramDefaults(rule.meta.params), ...(c.params ?? {}) } as P,
    policy: { rpoSeconds: c.rpoSeconds ?? DEFAULT_RPO_SECONDS },
    lookups: new InventoryLookups((c.lookups ?? []).map(toResource)),
    now: c.now ?? FIXED_NOW,
    operation: c.operation ?? "CREATE",
  };
  if (c.oldResource) ctx.oldResource = toResource(c.oldResource);
  const inactive = new Set(c.inactiveRules ?? []);
  ctx.ruleActive = (id) => !inactive.has(id);
  const origin = c.origin ?? {};
  ctx.origin = (path) => (Object.hasOwn(origin, path) ? origin[path] : undefined);
  return rule.check(toResource(c.resource), ctx);
}

function caseName(c: RuleCase, i: number): string {
  return c.name ?? `case ${i + 1}`;
}

// One catalog array per rule, so validatePolicyObject compiles each rule's schema once.
const catalogs = new WeakMap<object, readonly Rule<never>[]>();

/** Why `params` would be refused in a BackupPolicy's `spec.rules.<id>`, or undefined when they are valid. */
export function paramsErrors<P>(rule: Rule<P>, params: Record<string, unknown>): string | undefined {
  let rules = catalogs.get(rule);
  if (!rules) catalogs.set(rule, (rules = [rule as unknown as Rule<never>]));
  const doc = { apiVersion: POLICY_API_VERSION, kind: "BackupPolicy", metadata: { name: "rule-tester" }, spec: { rules: { [rule.meta.id]: params } } };
  const r = validatePolicyObject(doc, "rule-tester", { rules: rules as never, defaulters: [] });
  return r.ok ? undefined : r.errors.map((e) => `${e.path}: ${e.message}`).join("; ");
}

function checkParams<P>(rule: Rule<P>, c: RuleCase, label: string): void {
  if (c.params === undefined) return;
  const errors = paramsErrors(rule, c.params);
  assert.equal(errors, undefined, `${label}: params ${JSON.stringify(c.params)} are not valid for ${rule.meta.id}: ${errors}`);
}

const show = (problems: Problem[]) => JSON.stringify(problems, null, 2);

export function ruleTester<P>(rule: Rule<P>, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    it("has at least one valid and one invalid case", () => {
      assert.ok(cases.valid.length > 0, `${rule.meta.id}: no valid case`);
      assert.ok(cases.invalid.length > 0, `${rule.meta.id}: no invalid case`);
    });
    for (const [i, c] of cases.valid.entries()) {
      const label = `valid: ${caseName(c, i)}`;
      it(label, () => {
        checkParams(rule, c, label);
        const problems = runCase(rule, c);
        const findings = problems.filter((p) => !p.notChecked);
        assert.deepEqual(findings, [], `${label}: expected no problems, got: ${show(problems)}`);
        if (c.notChecked) assert.ok(problems.length > 0, `${label}: expected a not-checked answer, got none`);
        else assert.deepEqual(problems, [], `${label}: unexpected not-checked answer (say notChecked: true if intended): ${show(problems)}`);
      });
    }
    for (const [i, c] of cases.invalid.entries()) {
      const label = `invalid: ${caseName(c, i)}`;
      it(label, () => {
        assert.ok(c.problems.length > 0, `${label}: an invalid case must expect at least one problem`);
        assert.ok(!c.notChecked, `${label}: notChecked on an invalid case; mark the expected problems notChecked instead`);
        checkParams(rule, c, label);
        const problems = runCase(rule, c);
        assert.equal(problems.length, c.problems.length, `${label}: expected ${c.problems.length} problem(s), got: ${show(problems)}`);
        for (const [j, want] of c.problems.entries()) {
          const got = problems[j]!;
          const at = `${label}, problem ${j + 1}`;
          if (want.path !== undefined) assert.equal(got.path, want.path, `${at}: path`);
          if (want.message instanceof RegExp) assert.match(got.message, want.message, `${at}: message`);
          else if (want.message !== undefined) assert.ok(got.message.includes(want.message), `${at}: message "${got.message}" should contain "${want.message}"`);
          assert.equal(Boolean(got.notChecked), Boolean(want.notChecked), `${at}: notChecked (message: ${got.message})`);
        }
      });
    }
  });
}

/** Every rule module must document itself well enough for `explain`, the README and SARIF. */
export function assertRuleMeta<P>(rule: Rule<P>): void {
  const m = rule.meta;
  assert.match(m.id, /^[a-z][a-z0-9-]+$/);
  assert.ok(m.appliesTo.length > 0, `${m.id}: appliesTo`);
  for (const k of ["summary", "rationale", "bad", "good", "fix"] as const) assert.ok(m.docs[k].trim().length > 0, `${m.id}: docs.${k}`);
}
