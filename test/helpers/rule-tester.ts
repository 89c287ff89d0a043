// An ESLint-style RuleTester: each rule's tests are data — valid cases and invalid cases with the
// problems they must produce. A case is a resource (object or YAML) plus optional params, rpo, lookups.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import type { FieldOrigin, Operation, Problem, Resource, Rule, RuleContext } from "../../src/engine/types.ts";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import { paramDefaults, DEFAULT_RPO_SECONDS } from "../../src/policy/builtin.ts";

export interface RuleCase {
  name?: string;
  /** The resource, as an object or a YAML string. */
  resource: Resource | string;
  /** Parameters merged over the rule's defaults. */
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
}

export interface ExpectedProblem {
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

export function runCase(rule: Rule<any>, c: RuleCase): Problem[] {
  const ctx: RuleContext<any> = {
    params: { ...paramDefaults(rule.meta.params), ...(c.params ?? {}) },
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

export function ruleTester(rule: Rule<any>, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    for (const [i, c] of cases.valid.entries()) {
      it(`valid: ${caseName(c, i)}`, () => {
        const problems = runCase(rule, c);
        assert.deepEqual(
          problems.filter((p) => !p.notChecked),
          [],
          `expected no problems, got: ${JSON.stringify(problems, null, 2)}`,
        );
      });
    }
    for (const [i, c] of cases.invalid.entries()) {
      it(`invalid: ${caseName(c, i)}`, () => {
        assert.ok(c.problems.length > 0, "an invalid case must expect at least one problem");
        const problems = runCase(rule, c);
        assert.equal(
          problems.length,
          c.problems.length,
          `expected ${c.problems.length} problem(s), got: ${JSON.stringify(problems, null, 2)}`,
        );
        for (const [j, want] of c.problems.entries()) {
          const got = problems[j]!;
          if (want.path !== undefined) assert.equal(got.path, want.path, `problem ${j + 1}: path`);
          if (want.message instanceof RegExp) assert.match(got.message, want.message, `problem ${j + 1}: message`);
          else if (want.message !== undefined) assert.ok(got.message.includes(want.message), `problem ${j + 1}: message "${got.message}" should contain "${want.message}"`);
          assert.equal(Boolean(got.notChecked), Boolean(want.notChecked), `problem ${j + 1}: notChecked`);
        }
      });
    }
  });
}

/** Every rule module must document itself well enough for `explain`, the README and SARIF. */
export function assertRuleMeta(rule: Rule<any>): void {
  const m = rule.meta;
  assert.match(m.id, /^[a-z][a-z0-9-]+$/);
  assert.ok(m.appliesTo.length > 0, `${m.id}: appliesTo`);
  for (const k of ["summary", "rationale", "bad", "good", "fix"] as const) assert.ok(m.docs[k].trim().length > 0, `${m.id}: docs.${k}`);
}
