// Hostile or accidental inputs: huge files, deep nesting, alias bombs. Each must give a clear error, fast.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPolicyFiles, parsePolicyText, MAX_POLICY_BYTES } from "../../src/policy/load.ts";
import { validatePolicyObject, MAX_DEPTH } from "../../src/policy/validate.ts";
import type { PolicyError } from "../../src/policy/document.ts";
import { catalog, policyYaml } from "./fixtures.ts";

function refused(text: string): { errors: PolicyError[]; ms: number } {
  const t0 = performance.now();
  const r = parsePolicyText(text, "big.yaml", catalog);
  const ms = performance.now() - t0;
  assert.equal(r.ok, false);
  return { errors: r.ok ? [] : r.errors, ms };
}

describe("bounded inputs", () => {
  it("a 50 MB text is refused before parsing", () => {
    const { errors, ms } = refused(`# ${"x".repeat(50 * 1024 * 1024)}`);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /the policy is 50\.0 MiB; a BackupPolicy file may be at most 1 MiB/);
    assert.ok(ms < 500, `took ${ms} ms`);
  });

  it("a 50 MB file is refused without reading it", () => {
    const file = join(mkdtempSync(join(tmpdir(), "pgbg-big-")), "huge.yaml");
    writeFileSync(file, "");
    truncateSync(file, 50 * 1024 * 1024); // sparse: costs no disk and no time
    const t0 = performance.now();
    const r = loadPolicyFiles([file], catalog);
    assert.ok(performance.now() - t0 < 200);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.errors[0]!.source, file);
      assert.match(r.errors[0]!.message, /at most 1 MiB/);
    }
  });

  it("just under the size limit is parsed", () => {
    const pad = `# ${"x".repeat(MAX_POLICY_BYTES - 400)}\n`;
    const r = parsePolicyText(pad + policyYaml("p", "  {}\n"), "p.yaml", catalog);
    assert.ok(r.ok, JSON.stringify(r).slice(0, 300));
  });

  it("deeply nested flow collections: an error with a line, no stack overflow", () => {
    const { errors, ms } = refused(`${policyYaml("p", "  rules:\n")}    x: ${"[".repeat(200_000)}${"]".repeat(200_000)}\n`);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.line, 7);
    assert.match(errors[0]!.message, new RegExp(`more than ${MAX_DEPTH} levels`));
    assert.ok(ms < 500, `took ${ms} ms`);
  });

  it("deeply nested block maps: an error, not a crash", () => {
    let text = policyYaml("p", "");
    for (let i = 0; i < 200; i++) text += `${"  ".repeat(i + 1)}k${i}:\n`;
    text += `${"  ".repeat(201)}v\n`;
    const { errors } = refused(text);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /nests more than 64 levels deep/);
  });

  it("deep objects from the API server are refused by depth, iteratively", () => {
    let deep: unknown = "x";
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const r = validatePolicyObject({ apiVersion: "pgbackupguard.io/v1alpha1", kind: "BackupPolicy", metadata: { name: "d" }, spec: deep }, "cluster", catalog);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.errors[0]!.message, /nests more than/);
  });

  it("an alias bomb is refused", () => {
    let text = `${policyYaml("p", "  {}\n")}status:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n`;
    for (let i = 1; i < 12; i++) text += `  a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]\n`;
    const { errors, ms } = refused(text);
    assert.match(errors[0]!.message, /alias/i);
    assert.ok(ms < 1000, `took ${ms} ms`);
  });

  it("long values are cut in messages, and many mistakes are capped", () => {
    const { errors } = refused(policyYaml("p", `  rpo: ${"9".repeat(5000)}x\n`));
    assert.ok(errors[0]!.message.length < 200, errors[0]!.message);
    const many = Array.from({ length: 200 }, (_, i) => `    unknown-${i}: {}\n`).join("");
    const capped = refused(policyYaml("p", `  rules:\n${many}`)).errors;
    assert.equal(capped.length, 51);
    assert.match(capped.at(-1)!.message, /and 150 more errors/);
  });
});
