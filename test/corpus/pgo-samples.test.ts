// Every upstream PGO sample through admit() with the recommended policy: no crash, a result for every
// PostgresCluster, mutated objects still valid against the v6.0.3 CRD (the version the sample uses), and the
// expected denials. The kuttl test steps are envsubst templates: their placeholders are filled in as the kuttl
// suite does (API version v1beta1, PostgreSQL 17, upgrade 16 -> 17) before parsing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { recommendedPolicy } from "../../src/policy/builtin.ts";
import { asResource, isKubernetesObject, resourceTypeOf } from "../../src/engine/resource.ts";
import { hasShared, sharedPath, SKIP_NO_SHARED, yamlFiles } from "../helpers/shared.ts";
import { crdSchema, crdValidator } from "../helpers/crd-schema.ts";
import { admitSample } from "../helpers/samples.ts";

const GROUP = "postgres-operator.crunchydata.com";
const KUTTL_VARS: Record<string, string> = {
  KUTTL_PGCLUSTER_API_VERSION: "v1beta1",
  KUTTL_PG_VERSION: "17",
  KUTTL_PG_UPGRADE_FROM_VERSION: "16",
  KUTTL_PG_UPGRADE_TO_VERSION: "17",
};

// Why each sample is denied (file -> sorted rule ids); every other sample is allowed. The samples set no schedules and
// no retention, which the defaults (pgo-schedules, pgo-retention-full) fill in; what remains denied is a true problem:
// - optional-backups 00/04, streaming-standby 01 and tablespace-enabled 00 have no spec.backups: PGO sets
//   archive_command=true and throws WAL away, and no backup is ever taken (pgo-backups-required).
// Allowed with warnings: the volume-only samples (pgo-offsite-repo: the repo PVC is deleted with the cluster).
// Allowed silently: the s3/gcs/azure/multi-backup-repo examples (they set repoN-path and project credentials), and
// streaming-standby 03, a standby (no backups of its own until promoted).
const NO_BACKUPS = ["pgo-backups-required"];
const EXPECTED_DENIALS: Record<string, string[]> = {
  "postgres-operator/testing/kuttl/e2e/optional-backups/00-cluster.yaml": NO_BACKUPS,
  "postgres-operator/testing/kuttl/e2e/optional-backups/04-cluster.yaml": NO_BACKUPS,
  "postgres-operator/testing/kuttl/e2e/streaming-standby/01-primary-cluster.yaml": NO_BACKUPS,
  "postgres-operator/testing/kuttl/e2e/tablespace-enabled/00-cluster.yaml": NO_BACKUPS,
};


test("PGO upstream samples through admit()", (t) => {
  if (!hasShared) {
    t.skip(SKIP_NO_SHARED);
    return;
  }
  const dir = sharedPath("upstream", "pgo", "samples");
  const crdFile = sharedPath("upstream", "pgo", "postgres-operator.crunchydata.com_postgresclusters.yaml");
  const versions = ["v1", "v1beta1"].map((v) => ({ v, validate: crdValidator(crdFile, v), schema: crdSchema(crdFile, v) }));
  const policy = recommendedPolicy();
  const files = yamlFiles(dir);
  assert.ok(files.length >= 20, "samples present");

  const denials: Record<string, string[]> = {};
  let clusters = 0;
  for (const path of files) {
    const file = relative(dir, path);
    const text = readFileSync(path, "utf8").replace(/\$\{(KUTTL_[A-Z_]+)\}/g, (m, k: string) => KUTTL_VARS[k] ?? m);
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) continue;
      const obj: unknown = doc.toJS();
      if (!isKubernetesObject(obj) || obj.kind !== "PostgresCluster") continue;
      const type = resourceTypeOf(obj);
      assert.ok(type === `${GROUP}/v1/PostgresCluster` || type === `${GROUP}/v1beta1/PostgresCluster`, `${file}: covered type, got ${type}`);
      clusters++;
      const resource = asResource(obj as Record<string, unknown>);
      const { result, denied, summary } = admitSample(file, resource, versions.find((x) => type.includes(`/${x.v}/`))!, policy);
      const pgo = result.evaluation.findings.filter((f) => f.rule.startsWith("pgo-") || f.rule.startsWith("schedule-"));
      assert.ok(result.evaluation.findings.length === pgo.length, `${file}: only PGO and schedule rules report`);
      if (denied.length) denials[file] = denied;
      t.diagnostic(summary);
    }
  }
  // 24 files with one PostgresCluster each (SOURCE.md says 25; grep -rl "kind: PostgresCluster" finds 24).
  assert.equal(clusters, 24, "every PostgresCluster of the samples was judged");
  assert.deepEqual(denials, EXPECTED_DENIALS);
});
