// Every upstream CPO sample through admit() with the recommended policy: no crash, a result for every
// postgresql, mutated objects still valid against the released CRD, and the expected denials.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { recommendedPolicy } from "../../src/policy/builtin.ts";
import { asResource, isKubernetesObject, resourceTypeOf } from "../../src/engine/resource.ts";
import { hasShared, sharedPath, SKIP_NO_SHARED } from "../helpers/shared.ts";
import { crdSchema, crdValidator } from "../helpers/crd-schema.ts";
import { admitSample } from "../helpers/samples.ts";

const NO_BACKUP = ["cpo-pgbackrest-required"];

/** Rules that deny each sample (file -> sorted rule ids); samples not listed are allowed or are not postgresql resources. */
// The docs__backup_* manifests are doc snippets without spec.postgresql (the CRD requires it), so the
// archive_timeout default has nowhere to go and the container image's 1800s applies: denied, rightly.
const NO_POSTGRESQL_SECTION = ["cpo-archive-timeout-rpo"];
// The standby samples are allowed: a standby cannot back up until promoted (cpo-standby-backups).
const EXPECTED_DENIALS: Record<string, string[]> = {
  "docs__backup_azure_blob__1_manifest.yaml": NO_POSTGRESQL_SECTION,
  "docs__backup_encryption__1_manifest.yaml": NO_POSTGRESQL_SECTION,
  "docs__backup_gcs__1_manifest.yaml": NO_POSTGRESQL_SECTION,
  "docs__backup_pvc__1_manifest.yaml": NO_POSTGRESQL_SECTION,
  "docs__backup_s3__1_manifest.yaml": NO_POSTGRESQL_SECTION,
  "docs__clone__1_manifest.yaml": NO_BACKUP,
  "docs__clone__2_manifest.yaml": NO_BACKUP,
  "docs__restore__3_manifest.yaml": ["cpo-archive-timeout-rpo", "cpo-restore-repo-required"],
  "operator__complete-postgres-manifest.yaml": NO_BACKUP,
  "operator__minimal-postgres-manifest.yaml": NO_BACKUP,
  "tutorials__high-availability-cluster.yaml": NO_BACKUP,
  "tutorials__monitored_cluster.yaml": NO_BACKUP,
  "tutorials__single-cluster.yaml": NO_BACKUP,
  "tutorials__tde-cluster.yaml": NO_BACKUP,
};

test("CPO upstream samples through admit()", (t) => {
  if (!hasShared) {
    t.skip(SKIP_NO_SHARED);
    return;
  }
  const dir = sharedPath("upstream", "cpo", "samples");
  const crdFile = sharedPath("upstream", "cpo", "crds", "tutorials-chart", "postgresql.crd.yaml");
  const crd = { validate: crdValidator(crdFile), schema: crdSchema(crdFile) };
  const policy = recommendedPolicy();
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  assert.ok(files.length > 20, "samples present");

  const denials: Record<string, string[]> = {};
  let postgresqls = 0;
  for (const file of files) {
    const docs = parseAllDocuments(readFileSync(`${dir}/${file}`, "utf8"));
    for (const doc of docs) {
      if (doc.errors.length > 0) continue; // unparseable template: ignored like the CLI does
      const obj: unknown = doc.toJS();
      if (!isKubernetesObject(obj) || resourceTypeOf(obj) !== "cpo.opensource.cybertec.at/v1/postgresql") continue;
      postgresqls++;
      const resource = asResource(obj as Record<string, unknown>);
      // No crash; mutation must not make a sample less valid for the CRD, nor add fields the CRD would prune.
      const { denied, summary } = admitSample(file, resource, crd, policy);
      if (denied.length) denials[file] = denied;
      t.diagnostic(summary);
    }
  }
  assert.ok(postgresqls >= 20, `only ${postgresqls} postgresql resources found`);
  assert.deepEqual(denials, EXPECTED_DENIALS);
});
