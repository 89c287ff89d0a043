// The example policies in docs/examples/policies load against the real rule catalog and do what docs/policy.md says.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadPolicyFiles } from "../../src/policy/load.ts";
import { PolicySet } from "../../src/policy/set.ts";
import { formatPolicyError } from "../../src/policy/document.ts";
import { findRule } from "../../src/rules/index.ts";
import { repoRoot } from "../helpers/shared.ts";

const dir = join(repoRoot, "docs", "examples", "policies");

describe("docs/examples/policies", () => {
  const r = loadPolicyFiles([dir]);

  it("every example is a valid policy", () => {
    assert.ok(r.ok, r.ok ? "" : r.errors.map(formatPolicyError).join("\n"));
    assert.deepEqual(r.policies.map((p) => p.name).sort(), ["development", "production"]);
  });

  it("production applies to prod-* but not prod-sandbox; development by label; production wins when both match", () => {
    if (!r.ok) return;
    const set = new PolicySet(r.policies);
    assert.deepEqual(set.forNamespace("prod-eu").sources.slice(1), ["production"]);
    assert.equal(set.forNamespace("prod-eu").settings.rpoSeconds, 60);
    assert.equal(set.forNamespace("prod-eu").rules.get("cnpg-backup-target")!.action, "deny");
    assert.deepEqual(set.forNamespace("prod-sandbox").sources.slice(1), []);
    assert.deepEqual(set.forNamespace("dev", { environment: "development" }).sources.slice(1), ["development"]);
    assert.equal(set.forNamespace("dev", { environment: "development" }).rules.get("cnpg-backup-required")!.action, "warn");
    const both = set.forNamespace("prod-x", { environment: "development" });
    assert.deepEqual(both.sources.slice(1), ["development", "production"]);
    assert.equal(both.settings.rpoSeconds, 60);
    assert.equal(both.rules.get("cpo-offsite-repo")!.action, "deny");
    if (findRule("schedule-too-rare")) assert.deepEqual(both.rules.get("schedule-too-rare")!.params.maxInterval, "1d");
  });
});
