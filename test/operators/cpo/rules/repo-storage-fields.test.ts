// cpo-repo-storage-fields: every option the operator writes for an s3/gcs/azure repo must have a value and appear once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { ruleTester, runCase } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/repo-storage-fields.ts";
import type { Resource } from "../../../../src/engine/types.ts";
import { hasShared, sharedPath, SKIP_NO_SHARED } from "../../../helpers/shared.ts";
import { backup, cluster, good, pvcRepo, s3Repo } from "./fixtures.ts";
import { KEYCLOAK, SHOP, WIKI, edit } from "./manifests.ts";

const R0 = "spec.backup.pgbackrest.repos[0]";
const R1 = "spec.backup.pgbackrest.repos[1]";
const G = "spec.backup.pgbackrest.global";

function gcsRepo(n = 1, more: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: `repo${n}`, storage: "gcs", resource: "bucket", key: "gcs.json", keyType: "service", schedule: { full: "30 2 * * *" }, ...more };
}

function azureRepo(n = 1, more: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `repo${n}`,
    storage: "azure",
    resource: "container",
    endpoint: "blob.core.windows.net",
    account: "acct",
    key: "c2VjcmV0",
    schedule: { full: "30 2 * * *" },
    ...more,
  };
}

function without(repo: Record<string, unknown>, field: string): Record<string, unknown> {
  const copy = { ...repo };
  delete copy[field];
  return copy;
}

function one(repo: unknown, global?: unknown, extra: Record<string, unknown> = {}): Resource {
  return cluster(backup([repo], global), extra);
}

ruleTester(rule, {
  valid: [
    { name: "s3 complete", resource: good() },
    { name: "gcs service with key", resource: one(gcsRepo()) },
    { name: "gcs auto needs no key", resource: one(without(gcsRepo(1, { keyType: "auto" }), "key")) },
    { name: "azure complete", resource: one(azureRepo()) },
    { name: "pvc needs none of these", resource: one(pvcRepo()) },
    { name: "pvc plus s3", resource: cluster(backup([pvcRepo(1), s3Repo(2)])) },
    { name: "global with other options", resource: one(s3Repo(), { "repo1-path": "/x/", "repo1-s3-uri-style": "path", "repo1-retention-full": "7" }) },
    { name: "another repo's option in global", resource: one(s3Repo(), { "repo2-s3-region": "eu-1" }) },
    {
      name: "region from the postgres container's env",
      resource: one(without(s3Repo(), "region"), undefined, { env: [{ name: "PGBACKREST_REPO1_S3_REGION", value: "eu-1" }] }),
    },
    {
      name: "endpoint from spec.postgresql.env (valueFrom)",
      resource: one(without(s3Repo(), "endpoint"), undefined, {
        postgresql: { version: "17", parameters: { archive_timeout: "5min" }, env: [{ name: "PGBACKREST_REPO1_S3_ENDPOINT", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }] },
      }),
    },
    { name: "no pgbackrest", resource: cluster() },
    { name: "repos null", resource: cluster(backup(null)) },
    { name: "repos a string", resource: cluster(backup("repo1")) },
    { name: "entry a number", resource: cluster(backup([7])) },
    { name: "unknown storage: other rule", resource: one({ ...without(s3Repo(), "region"), storage: "blob" }) },
    { name: "storage in capitals is not s3 to the operator", resource: one({ ...without(s3Repo(), "region"), storage: "S3" }) },
    { name: "bad repo name: cpo-repo-names", resource: one({ ...without(s3Repo(), "region"), name: "first" }) },
    { name: "spec a string", resource: { apiVersion: "cpo.opensource.cybertec.at/v1", kind: "postgresql", metadata: {}, spec: "x" } },
    { name: "env not a list", resource: one(s3Repo(), undefined, { env: "PGBACKREST_REPO1_S3_REGION" }) },
    { name: "realistic: s3 with a bucket placeholder + gcs", resource: SHOP },
    { name: "realistic: pvc + MinIO", resource: KEYCLOAK },
    { name: "realistic: azure with placeholders", resource: WIKI },
    {
      name: "realistic: the GCS keyType from a Flux placeholder is not checked",
      notChecked: true,
      resource: edit(SHOP, ({ repos }) => {
        repos[1]!.keyType = "${GCS_KEY_TYPE:=service}";
      }),
    },
  ],
  invalid: [
    {
      name: "realistic: a GCS keyType placeholder that can only give token is still judged",
      resource: edit(SHOP, ({ repos }) => {
        repos[1]!.keyType = "t${K}ken";
      }),
      problems: [{ path: `${R1}.keyType`, message: 'keyType "t${K}ken" is not a pgBackRest GCS key type' }],
    },
    {
      name: "s3 without region",
      resource: one(without(s3Repo(), "region")),
      problems: [{ path: R0, message: "repo1 (s3) has no region" }],
    },
    {
      name: "s3 region message names the pgBackRest error and the fix",
      resource: one(without(s3Repo(), "region")),
      problems: [{ message: /key 'repo1-s3-region' must have a value.*Set `region: eu-central-1`/ }],
    },
    { name: "s3 without endpoint", resource: one(without(s3Repo(), "endpoint")), problems: [{ path: R0, message: "has no endpoint" }] },
    { name: "s3 without bucket", resource: one(without(s3Repo(), "resource")), problems: [{ path: R0, message: "has no resource (the bucket)" }] },
    { name: "s3 empty region", resource: one({ ...s3Repo(), region: "" }), problems: [{ path: `${R0}.region`, message: "an empty region" }] },
    { name: "s3 blank bucket", resource: one({ ...s3Repo(), resource: "   " }), problems: [{ path: `${R0}.resource` }] },
    { name: "s3 region a number", resource: one({ ...s3Repo(), region: 1 }), problems: [{ path: `${R0}.region`, message: "not a string" }] },
    {
      name: "s3 with only resource: two problems, in field order",
      resource: one({ name: "repo1", storage: "s3", resource: "b", schedule: { full: "30 2 * * *" } }),
      problems: [
        { path: R0, message: "no endpoint" },
        { path: R0, message: "no region" },
      ],
    },
    {
      name: "region only in global: the option is written twice",
      resource: one(without(s3Repo(), "region"), { "repo1-path": "/x/", "repo1-retention-full": "7", "repo1-s3-region": "eu-1" }),
      problems: [{ path: `${G}.repo1-s3-region`, message: 'Move the value to the repo: `region: "eu-1"`' }],
    },
    {
      name: "endpoint in global and on the repo",
      resource: one(s3Repo(), { "repo1-s3-endpoint": "s3.example.com" }),
      problems: [{ path: `${G}.repo1-s3-endpoint`, message: "cannot be set multiple times" }],
    },
    {
      name: "repo1-type in global",
      resource: one(s3Repo(), { "repo1-type": "s3" }),
      problems: [{ path: `${G}.repo1-type`, message: "from spec.backup.pgbackrest.repos[0].storage" }],
    },
    {
      name: "deprecated unindexed name for repo1",
      resource: one(s3Repo(), { "repo-s3-bucket": "bucket" }),
      problems: [{ path: `${G}.repo-s3-bucket` }],
    },
    {
      name: "env for another repo does not count",
      resource: one(without(s3Repo(), "region"), undefined, { env: [{ name: "PGBACKREST_REPO2_S3_REGION", value: "x" }] }),
      problems: [{ path: R0 }],
    },
    {
      name: "second repo (repo2) reported with its own option name",
      resource: cluster(backup([s3Repo(1), without(s3Repo(2), "endpoint")])),
      problems: [{ path: R1, message: "`repo2-s3-endpoint = ` empty" }],
    },
    { name: "gcs without bucket", resource: one(without(gcsRepo(), "resource")), problems: [{ path: R0, message: "repo1 (gcs) has no resource" }] },
    {
      name: "gcs without keyType (the operator writes it empty; pgBackRest's default does not apply)",
      resource: one(without(gcsRepo(), "keyType")),
      problems: [{ path: R0, message: "repo1-gcs-key-type" }],
    },
    { name: "gcs service without key", resource: one(without(gcsRepo(), "key")), problems: [{ path: R0, message: "/etc/pgbackrest/conf.d/<key>" }] },
    { name: "gcs service with empty key", resource: one(gcsRepo(1, { key: "" })), problems: [{ path: `${R0}.key` }] },
    { name: "gcs unknown keyType", resource: one(gcsRepo(1, { keyType: "Service" })), problems: [{ path: `${R0}.keyType`, message: "not a pgBackRest GCS key type" }] },
    { name: "gcs keyType token", resource: one(gcsRepo(1, { keyType: "token" })), problems: [{ path: `${R0}.keyType`, message: "as its token" }] },
    {
      name: "gcs key in global",
      resource: one(gcsRepo(), { "repo1-gcs-key": "/etc/pgbackrest/conf.d/gcs.json" }),
      problems: [{ path: `${G}.repo1-gcs-key` }],
    },
    { name: "azure without account", resource: one(without(azureRepo(), "account")), problems: [{ path: R0, message: "repo1 (azure) has no account" }] },
    { name: "azure without key", resource: one(without(azureRepo(), "key")), problems: [{ path: R0, message: "repo1-azure-key-type: auto" }] },
    {
      name: "azure without endpoint: the operator writes it empty",
      resource: one(without(azureRepo(), "endpoint")),
      problems: [{ path: R0, message: "`endpoint: blob.core.windows.net`" }],
    },
    { name: "azure without container", resource: one(without(azureRepo(), "resource")), problems: [{ path: R0, message: "(the container)" }] },
    {
      name: "azure key in global and not on the repo",
      resource: one(without(azureRepo(), "key"), { "repo1-azure-key": "abc" }),
      problems: [{ path: `${G}.repo1-azure-key`, message: "Move the value to the repo" }],
    },
    {
      name: "realistic: the region moved into global, as pgBackRest guides write it",
      resource: edit(SHOP, ({ repos, global }) => {
        delete repos[0]!.region;
        global["repo1-s3-region"] = "eu-central-1";
      }),
      problems: [{ path: `${G}.repo1-s3-region`, message: 'Move the value to the repo: `region: "eu-central-1"`' }],
    },
    {
      name: "realistic: the gcs DR repo without keyType",
      resource: edit(SHOP, ({ repos }) => {
        delete repos[1]!.keyType;
      }),
      problems: [{ path: R1, message: "repo2-gcs-key-type" }],
    },
  ],
});

// The published samples with object-storage repos must stay valid, and each must really have one (else the test proves nothing).
test("cpo-repo-storage-fields passes the upstream s3/gcs samples", (t) => {
  if (!hasShared) {
    t.skip(SKIP_NO_SHARED);
    return;
  }
  const files = [
    "tutorials__pgbackrest_with_s3.yaml",
    "tutorials__pgbackrest_with_gcs.yaml",
    "tutorials__clone_with_s3.yaml",
    "docs__backup_s3__1_manifest.yaml",
    "docs__backup_gcs__1_manifest.yaml",
    "docs__backup_azure_blob__1_manifest.yaml",
    "docs__backup_encryption__1_manifest.yaml",
  ];
  for (const file of files) {
    const docs = parseAllDocuments(readFileSync(sharedPath("upstream", "cpo", "samples", file), "utf8")).map((d) => d.toJS() as Resource);
    const pg = docs.find((d) => d?.kind === "postgresql");
    assert.ok(pg, `${file}: a postgresql`);
    const repos = (pg.spec as { backup?: { pgbackrest?: { repos?: { storage?: string }[] } } }).backup?.pgbackrest?.repos ?? [];
    assert.ok(repos.some((r) => ["s3", "gcs", "azure"].includes(r.storage ?? "")), `${file}: has an object-storage repo`);
    assert.deepEqual(runCase(rule, { resource: pg }), [], file);
    // The same sample with one field removed is reported: the rule really looks at these shapes.
    const broken = structuredClone(pg);
    const repo = (broken.spec as { backup: { pgbackrest: { repos: Record<string, unknown>[] } } }).backup.pgbackrest.repos[0]!;
    delete repo.resource;
    assert.equal(runCase(rule, { resource: broken }).length, 1, `${file} without resource`);
  }
});
