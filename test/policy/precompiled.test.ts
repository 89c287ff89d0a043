// The BackupPolicy validator that scripts/build-cli.ts compiles ahead of time (precompiledPolicyPlugin, ajv's
// standalone code) must answer exactly as the one src/policy/validate.ts compiles at run time: same verdict, same
// errors, on valid policies and on every one-field corruption of them.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { parse } from "yaml";
import type { ValidateFunction } from "ajv/dist/2020.js";
import { precompiledPolicyPlugin } from "../../scripts/build-cli.ts";
import { newAjv } from "../../src/policy/validate.ts";
import { policySchema } from "../../src/policy/schema.ts";
import { allRules } from "../../src/rules/index.ts";
import { allDefaulters } from "../../src/defaults/index.ts";
import { repoRoot } from "../helpers/shared.ts";

async function precompiled(dir: string): Promise<ValidateFunction> {
  const out = join(dir, "precompiled.mjs");
  await build({ entryPoints: [join(repoRoot, "src", "policy", "precompiled.ts")], bundle: true, platform: "node", format: "esm", outfile: out, plugins: [precompiledPolicyPlugin()], logLevel: "error", banner: { js: `const require = process.getBuiltinModule("node:module").createRequire(import.meta.url);` } });
  const mod = (await import(pathToFileURL(out).href)) as { precompiledPolicyValidator?: ValidateFunction };
  assert.equal(typeof mod.precompiledPolicyValidator, "function", "the plugin replaced the module");
  return mod.precompiledPolicyValidator!;
}

/** A policy that sets something in every part of the spec: every rule, every defaulter. */
function richPolicy(): Record<string, unknown> {
  return {
    apiVersion: "pgbackupguard.io/v1alpha1",
    kind: "BackupPolicy",
    metadata: { name: "rich", namespace: "pg-backup-guard" },
    spec: {
      rpo: "5m",
      priority: 10,
      match: { namespaces: ["prod-*"], namespaceSelector: { matchLabels: { env: "prod" } } },
      exemptions: { allowed: true, requireReason: true, requireExpiry: false },
      rules: Object.fromEntries(allRules.map((r) => [r.meta.id, { action: "warn" }])),
      defaults: Object.fromEntries(allDefaulters.map((d) => [d.meta.id, { enabled: true }])),
    },
  };
}

/** Every document that differs from `doc` in one place: a value of another type, or an unknown key. */
function corruptions(doc: unknown): Generator<[string, unknown]> {
  return corrupt(doc, doc, []);
}

function* corrupt(root: unknown, node: unknown, path: (string | number)[]): Generator<[string, unknown]> {
  const set = (value: unknown): unknown => {
    if (path.length === 0) return value;
    const copy = structuredClone(root) as Record<string | number, unknown>;
    let o = copy;
    for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
    o[path[path.length - 1]!] = value;
    return copy;
  };
  const where = path.join(".") || "(root)";
  for (const v of [42, "x", [], {}, null, true, -1]) yield [`${where} = ${JSON.stringify(v)}`, set(v)];
  if (node !== null && typeof node === "object") {
    if (!Array.isArray(node)) yield [`${where} + unknown key`, set({ ...(node as object), zzUnknown: 1 })];
    for (const [k, v] of Object.entries(node)) yield* corrupt(root, v, [...path, Array.isArray(node) ? Number(k) : k]);
  }
}

describe("the precompiled BackupPolicy validator (scripts/build-cli.ts)", () => {
  it("answers as the run-time compiled one: every corruption of a policy that sets every rule and defaulter, and the examples", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pgbg-precompiled-"));
    try {
      const ahead = await precompiled(dir);
      const runtime = newAjv().compile(policySchema(allRules, allDefaulters));
      const docs: [string, unknown][] = [["rich policy", richPolicy()], ...corruptions(richPolicy())];
      const example = parse(readFileSync(join(repoRoot, "examples", "policy-tests", "prod-policy.yaml"), "utf8")) as unknown;
      docs.push(["examples/policy-tests/prod-policy.yaml", example], ...corruptions(example));
      let invalid = 0;
      for (const [what, doc] of docs) {
        const a = ahead(doc);
        const b = runtime(doc);
        assert.equal(a, b, `${what}: verdict`);
        assert.deepEqual(ahead.errors ?? null, runtime.errors ?? null, `${what}: errors`);
        if (!b) invalid++;
      }
      assert.ok(runtime(richPolicy()), JSON.stringify(runtime.errors));
      assert.ok(invalid > docs.length / 2, `most corruptions are invalid (${invalid} of ${docs.length})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const bundle = join(repoRoot, "dist", "cli.mjs");
  it("the built bundle uses it: an invalid policy gets the same errors from dist/cli.mjs as from src/", existsSync(bundle) ? {} : { skip: "dist/cli.mjs is not built: run `npm run build` (npm test does)" }, () => {
    const dir = mkdtempSync(join(tmpdir(), "pgbg-precompiled-"));
    try {
      const bad = join(dir, "bad.yaml");
      writeFileSync(bad, "apiVersion: pgbackupguard.io/v1alpha1\nkind: BackupPolicy\nmetadata: {name: bad}\nspec:\n  rpo: 5 minutes\n  rules:\n    schedule-too-rare: {action: block, maxInterval: 3}\n    no-such-rule: {action: warn}\n");
      const cluster = join(repoRoot, "examples", "cnpg-plugin", "cluster.yaml");
      const viaBundle = spawnSync(process.execPath, [join(repoRoot, "bin", "pg-backup-guard.js"), "validate", cluster, "--policy", bad], { encoding: "utf8" });
      const viaSrc = spawnSync(process.execPath, ["--input-type=module", "-e", `import { main } from ${JSON.stringify(join(repoRoot, "src", "cli", "main.ts"))}; process.exitCode = await main(${JSON.stringify(["validate", cluster, "--policy", bad])});`], { encoding: "utf8" });
      assert.equal(viaBundle.status, 2, viaBundle.stderr);
      assert.equal(viaBundle.status, viaSrc.status);
      assert.equal(viaBundle.stderr, viaSrc.stderr);
      assert.match(viaBundle.stderr, /rpo/);
      // ajv's standalone code is in the bundle (the plugin ran), not only the run-time compiler.
      assert.match(readFileSync(bundle, "utf8"), /\.evaluated ?= ?\{"props"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
