// Every rule module declares itself with defineRule (typed parameters, no `Rule<any>`) and has its own test file,
// named after it: test/operators/<operator>/rules/<module>.test.ts (or <rule-id>.test.ts), test/rules/schedule/<name>.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

function modules(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(".ts") && f !== "index.ts" && !f.endsWith(".d.ts"));
}

const RULE_DIRS: [string, string][] = [
  ...readdirSync(join(ROOT, "src/operators"), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(ROOT, "src/operators", d.name, "rules")))
    .map((d): [string, string] => [`src/operators/${d.name}/rules`, `test/operators/${d.name}/rules`]),
];

test("every operator rule module has its own test file", () => {
  assert.ok(RULE_DIRS.length >= 3, "cnpg, cpo and pgo have rules");
  const missing: string[] = [];
  for (const [src, tests] of RULE_DIRS) {
    for (const m of modules(src)) {
      if (!readFileSync(join(ROOT, src, m), "utf8").includes("defineRule")) continue; // a helper module, not a rule
      // Named after the module, or after the rule id (`pgo-` + module).
      const names = [m, `${src.split("/")[2]}-${m}`].map((n) => join(tests, n.replace(/\.ts$/, ".test.ts")));
      if (!names.some((t) => existsSync(join(ROOT, t)))) missing.push(`${src}/${m}: no ${names.join(" or ")}`);
    }
  }
  assert.deepEqual(missing, []);
});

test("the generic schedule rules have their own test files", () => {
  for (const m of modules("src/rules/schedule")) {
    const text = readFileSync(join(ROOT, "src/rules/schedule", m), "utf8");
    if (!text.includes("defineRule")) continue;
    assert.ok(existsSync(join(ROOT, "test/rules/schedule", m.replace(/\.ts$/, ".test.ts"))), m);
  }
});

test("rules are declared with defineRule, never typed Rule<any>", () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) {
        const text = readFileSync(join(ROOT, p), "utf8");
        if (p.endsWith("layout.test.ts")) continue; // its own patterns
        if (/\b(Rule|Defaulter|RuleContext)<any>/.test(text) || (p.startsWith("src/") && /^export const \w+: Rule\b/m.test(text))) offenders.push(p);
      }
    }
  };
  for (const dir of ["src", "scripts", "bench", "test"]) walk(dir);
  assert.deepEqual(offenders, []);
});
