// Every cnpg rule over the upstream CNPG samples and plugin examples: never throws, and a few known verdicts.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { Resource, RuleContext } from "../../../../src/engine/types.ts";
import { cnpgRules } from "../../../../src/operators/cnpg/rules/index.ts";
import { assertRuleMeta } from "../../../helpers/rule-tester.ts";
import { InventoryLookups } from "../../../../src/lookups/inventory.ts";
import { paramDefaults } from "../../../../src/policy/builtin.ts";
import { resourceTypeOf } from "../../../../src/engine/resource.ts";
import { hasShared, sharedPath, SKIP_NO_SHARED } from "../../../helpers/shared.ts";
import { checkRule } from "../../../../src/rules/define.ts";

const CATALOG = [
  "cnpg-schedule-six-fields",
  "cnpg-backup-required",
  "cnpg-wal-archive-required",
  "cnpg-barman-object-store-deprecated",
  "cnpg-plugin-object-name-required",
  "cnpg-object-store-exists",
  "cnpg-snapshot-class-required",
  "cnpg-snapshot-class-exists",
  "cnpg-offline-snapshot-downtime",
  "cnpg-wait-for-archive",
  "cnpg-backup-method-explicit",
  "cnpg-backup-method-matches-cluster",
  "cnpg-plugin-configuration-required",
  "cnpg-online-flags-method",
  "cnpg-backup-target",
  "cnpg-scheduled-backup-name-length",
  "cnpg-backup-owner-reference",
  "cnpg-retention-required",
  "cnpg-archive-timeout-rpo",
  "cnpg-archive-destination-unique",
  "cnpg-skip-empty-archive-check",
  "cnpg-validation-disabled",
  "cnpg-backup-plugin-parameters",
  "cnpg-wal-snapshot-class",
  "cnpg-credentials-exist",
];

describe("cnpg rule catalog", () => {
  it("has the DESIGN ids in order (schedule-six-fields first once registered)", () => {
    const ids = cnpgRules.map((r) => r.meta.id);
    assert.deepEqual(ids, CATALOG.filter((id) => ids.includes(id)));
    assert.ok(ids.length >= CATALOG.length - 1, `missing: ${CATALOG.filter((id) => !ids.includes(id)).join(", ")}`);
  });
  it("documents every rule", () => {
    for (const r of cnpgRules) assertRuleMeta(r);
  });
});

function readDocs(dir: string): { file: string; resource: Resource }[] {
  const out: { file: string; resource: Resource }[] = [];
  for (const entry of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (!/\.ya?ml$/.test(entry)) continue;
    for (const doc of parseAllDocuments(readFileSync(join(dir, entry), "utf8"))) {
      const value = doc.toJS() as unknown;
      if (resourceTypeOf(value)) out.push({ file: entry, resource: value as Resource });
    }
  }
  return out;
}

function problemsFor(resource: Resource, lookups: InventoryLookups): Map<string, string[]> {
  const byRule = new Map<string, string[]>();
  for (const rule of cnpgRules) {
    const type = resourceTypeOf(resource)!;
    if (!rule.meta.appliesTo.includes(type)) continue;
    const ctx: RuleContext = { params: paramDefaults(rule.meta.params), policy: { rpoSeconds: 300 }, lookups, now: new Date(), operation: "CREATE" };
    const problems = checkRule(rule, resource, ctx).filter((p) => !p.notChecked);
    if (problems.length > 0) byRule.set(rule.meta.id, problems.map((p) => p.path));
  }
  return byRule;
}

describe("cnpg rules over the upstream samples", { skip: hasShared ? false : SKIP_NO_SHARED }, () => {
  const samples = hasShared ? readDocs(sharedPath("upstream", "cnpg", "samples")) : [];
  const plugin = hasShared ? readDocs(sharedPath("upstream", "cnpg", "plugin-barman-cloud-examples")) : [];
  const all = [...samples, ...plugin];
  const inventory = new InventoryLookups(all.map((s) => s.resource));
  const find = (list: typeof all, file: string, kind: string) => {
    const hit = list.find((s) => s.file === file && s.resource.kind === kind);
    assert.ok(hit, `${file} ${kind}`);
    return hit.resource;
  };

  it("never throw, with and without lookups", () => {
    assert.ok(all.length > 50);
    for (const { resource } of all) {
      problemsFor(resource, new InventoryLookups());
      problemsFor(resource, inventory);
    }
  });

  it("the plugin example cluster and its store pass the deny rules that concern them", () => {
    const store = find(plugin, "minio-store.yaml", "ObjectStore");
    const c = find(plugin, "cluster-example.yaml", "Cluster");
    const found = problemsFor(c, new InventoryLookups([store]));
    for (const id of ["cnpg-backup-required", "cnpg-wal-archive-required", "cnpg-plugin-object-name-required", "cnpg-object-store-exists", "cnpg-archive-timeout-rpo"]) {
      assert.ok(!found.has(id), `${id}: ${JSON.stringify(found.get(id))}`);
    }
    assert.equal(problemsFor(store, inventory).size, 0);
    assert.equal(problemsFor(find(plugin, "backup-example.yaml", "Backup"), inventory).size, 0);
  });

  it("cluster-example-bis has no WAL archive; cluster-example-legacy is deprecated", () => {
    assert.ok(problemsFor(find(samples, "cluster-example-bis.yaml", "Cluster"), inventory).has("cnpg-wal-archive-required"));
    assert.deepEqual(problemsFor(find(plugin, "cluster-example-legacy.yaml", "Cluster"), inventory).get("cnpg-barman-object-store-deprecated"), ["spec.backup.barmanObjectStore"]);
  });

  it("the default-method sample Backup must state its method", () => {
    assert.ok(problemsFor(find(samples, "backup-example.yaml", "Backup"), inventory).has("cnpg-backup-method-explicit"));
  });
});
