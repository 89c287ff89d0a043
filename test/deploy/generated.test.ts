// deploy/ and the chart follow the operator registry: the webhook rules, the informers' read rules and the audit
// job's read rules are generated (scripts/gen-deploy.ts), and this fails when they drift.
import { test } from "node:test";
import assert from "node:assert/strict";
import { COMMAND, FILES, auditReadRules, mutateRules, readRules, regenerate, staleFiles, validateRules } from "../../scripts/gen-deploy.ts";
import { coveredKinds } from "../../src/operators/index.ts";

test("generated blocks of deploy/ and the chart are current", () => {
  assert.deepEqual(staleFiles(), [], `run ${COMMAND}`);
  assert.ok(FILES.includes("deploy/base/webhooks.yaml") && FILES.includes("charts/pg-backup-guard/templates/_helpers.tpl"));
});

test("the webhook rules cover every admission kind some rule or default applies to, and nothing else", () => {
  const resources = (rules: ReturnType<typeof validateRules>) => rules.flatMap((r) => r.resources.map((p) => `${r.group}/${p}`)).sort();
  const admission = coveredKinds.filter((k) => k.admission).map((k) => `${k.group}/${k.plural}`);
  assert.deepEqual(resources(validateRules()), [...admission].sort());
  // Nothing defaults an ObjectStore; VolumeSnapshotClasses are never sent to the webhook.
  assert.ok(!resources(mutateRules()).includes("barmancloud.cnpg.io/objectstores"));
  assert.ok(!resources(validateRules()).some((r) => r.endsWith("/volumesnapshotclasses")));
  // Read access: every lookup kind but Secrets (opt-in overlay); audit adds the covered kinds that are not lookups.
  assert.ok(!readRules().some((r) => r.resources.includes("secrets")));
  assert.deepEqual(auditReadRules().flatMap((r) => r.resources), ["backups"]);
});

test("a missing marker is an error naming it, not a silent no-op", () => {
  assert.throws(() => regenerate("deploy/base/webhooks.yaml", "rules: []\n"), /BEGIN\/END generated: validate rules/);
});
