// Every regular expression applied to user data stays fast on long adversarial strings (issue 12,
// "Catastrophic regex"). Each case runs on ~100,000 characters; the linear versions take milliseconds, the
// quadratic ones they replaced took 30 s or more, so the generous bound below still catches a regression.
// Judged linear or bounded without a change (listed in docs/reliability.md): pgduration (64-character cap),
// cron GO_TRIM (1,000-character schedule cap), cpo cluster-name-length (`/-+$/` on a 33-character slice),
// admission oneLine/sentences, isExcluded, parseVarsFile, parseUntil, formatPath.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Resource, RuleContext } from "../../src/engine/types.ts";
import { cpoRules } from "../../src/operators/cpo/rules/index.ts";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import { paramDefaults } from "../../src/policy/builtin.ts";
import { substituteManifests, parseVarsFile } from "../../src/input/envsubst.ts";
import { globMatches } from "../../src/policy/match.ts";
import { oneLine, sentences, shorten } from "../../src/webhook/admission.ts";
import { isExcluded } from "../../src/input/read.ts";
import { parsePgDuration } from "../../src/util/pgduration.ts";
import { parseDuration } from "../../src/util/duration.ts";
import { parseUntil } from "../../src/engine/exemptions.ts";
import { formatPath } from "../../src/policy/validate.ts";
import { parseSchedule } from "../../src/cron/index.ts";
import { parseManifests } from "../../src/input/parse.ts";
import { checkRule } from "../../src/rules/define.ts";

const N = 100_000;
/** Far above the linear cost (ms) and far below the quadratic one (tens of seconds). */
const LIMIT_MS = 1500;

function fast(name: string, fn: () => unknown): void {
  const start = performance.now();
  fn();
  const ms = performance.now() - start;
  assert.ok(ms < LIMIT_MS, `${name} took ${ms.toFixed(0)} ms on ${N} characters`);
}

const T = { timeout: 120_000 };

describe("regular expressions on long adversarial strings", () => {
  it("cpo-repo-path-unique: a path of 100,000 slashes and a letter (was /\\/+$/: 31 s)", T, () => {
    const rule = cpoRules.find((r) => r.meta.id === "cpo-repo-path-unique")!;
    const path = `${"/".repeat(N)}a`;
    const repo = (n: number) => ({ name: `repo${n}`, storage: "s3", resource: "b", endpoint: "e", region: "r", schedule: { full: "0 1 * * *" } });
    const r: Resource = {
      apiVersion: "cpo.opensource.cybertec.at/v1",
      kind: "postgresql",
      metadata: { name: "acid", namespace: "db" },
      spec: { backup: { pgbackrest: { repos: [repo(1), repo(2)], global: { "repo1-path": path, "repo2-path": `${path}///` } } } },
    };
    const ctx: RuleContext = { params: paramDefaults(rule.meta.params), policy: { rpoSeconds: 300 }, lookups: new InventoryLookups(), now: new Date(), operation: "CREATE" };
    let problems: unknown[] = [];
    fast("repo-path-unique", () => (problems = checkRule(rule, r, ctx)));
    // The trailing slashes are still ignored: both repos name the same place.
    assert.equal(problems.length, 1);
  });

  it("Flux ${VAR##pattern} with several * on a long value (was a RegExp per prefix: 20 s at 200 characters)", T, () => {
    const vars = new Map([["V", "a".repeat(N)]]);
    for (const op of ["#", "##", "%", "%%"]) {
      let out = "";
      fast(`\${V${op}*a*a*a*b}`, () => (out = substituteManifests(`x: \${V${op}*a*a*a*b}\n`, vars).text));
      assert.equal(out, `x: ${"a".repeat(N)}\n`, op); // no match: unchanged
    }
    // Go path.Match: * never crosses a /.
    assert.equal(substituteManifests("x: ${V##*/}\n", new Map([["V", "a/b/c"]])).text, "x: b/c\n");
    assert.equal(substituteManifests("x: ${V%/*}\n", new Map([["V", "a/b/c"]])).text, "x: a/b\n");
  });

  it("policy namespace globs on a long namespace (was ^.*-a-.*-b-.*$)", T, () => {
    const name = `${"-a--b-".repeat(N / 6)}x`;
    let r = true;
    fast("globMatches", () => (r = globMatches("*-a-*-b-*-c-*", name)));
    assert.equal(r, false);
    assert.equal(globMatches("prod-*", "prod-eu"), true);
    assert.equal(globMatches("a*b*a", "aab"), false);
  });

  it("judged linear or bounded: messages, globs, durations, dates, paths, schedules, YAML lines", T, () => {
    const spaces = " ".repeat(N);
    fast("oneLine", () => oneLine(`a${spaces}\u0001${spaces}b`));
    fast("sentences", () => sentences(`${". ".repeat(N / 2)}x`));
    fast("shorten", () => shorten(`${"e.g. ".repeat(N / 5)}x`, 100));
    fast("isExcluded", () => isExcluded(`${"/".repeat(N)}a`, [`${"/".repeat(N)}b/`, "./x"]));
    fast("parseVarsFile", () => parseVarsFile(`export${spaces}A${spaces}\n${spaces}B${"x".repeat(N)}\n`, "v.env"));
    fast("parsePgDuration", () => parsePgDuration(`1${spaces}X`));
    fast("parseDuration", () => parseDuration(`${"1s".repeat(N / 2)}x`));
    fast("parseUntil", () => parseUntil(`2026-01-01T00:00:00.${"1".repeat(N)}x`));
    fast("formatPath", () => formatPath(["a".repeat(N), "1".repeat(N), `${"-".repeat(N)}~`]));
    fast("parseSchedule cpo TZ", () => parseSchedule(`TZ=x a${spaces}b`, "kubernetes"));
    fast("parseSchedule cnpg", () => parseSchedule(`${"7,".repeat(N / 2)}x`, "robfig-v1"));
    fast("YAML line hint", () => parseManifests(`a: ${"x".repeat(N)}apiVersion: v1\na: 2\n`, "f.yaml"));
  });
});
