// cnpg-credentials-exist: Secrets named by ObjectStore / in-tree barmanObjectStore credentials, names only.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Resource } from "../../../../src/engine/types.ts";
import { ruleTester, runCase, assertRuleMeta } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/credentials-exist.ts";
import { cluster, objectStore } from "./fixtures.ts";
import { LEDGER_STORE, SHOP_STORE, WIKI_STORE, lookupsAll } from "./manifests.ts";

function secret(name: string, namespace = "db"): Resource {
  return { apiVersion: "v1", kind: "Secret", metadata: { name, namespace }, data: { ACCESS_KEY_ID: "eA==" } } as Resource;
}

const s3Keys = (name = "pg-s3") => ({
  accessKeyId: { name, key: "ACCESS_KEY_ID" },
  secretAccessKey: { name, key: "ACCESS_SECRET_KEY" },
});

function store(configuration: Record<string, unknown>, namespace = "db"): Resource {
  return objectStore("pg-store", { retentionPolicy: "30d", configuration: { destinationPath: "s3://b/pg", ...configuration } }, namespace);
}

function inTree(barmanObjectStore: Record<string, unknown>): Resource {
  return cluster({ instances: 3, backup: { retentionPolicy: "30d", barmanObjectStore: { destinationPath: "s3://b/pg", ...barmanObjectStore } } });
}

const S3 = "spec.configuration.s3Credentials";
const other = secret("unrelated");

ruleTester(rule, {
  valid: [
    { name: "s3 keys in an existing Secret", resource: store({ s3Credentials: s3Keys() }), lookups: [secret("pg-s3")] },
    { name: "inheritFromIAMRole: no Secret read, even with stale keys next to it", resource: store({ s3Credentials: { inheritFromIAMRole: true, ...s3Keys("gone") } }), lookups: [other] },
    { name: "azure AD identity", resource: store({ azureCredentials: { inheritFromAzureAD: true } }), lookups: [other] },
    { name: "azure default credentials", resource: store({ azureCredentials: { useDefaultAzureCredentials: true, storageAccount: { name: "gone", key: "a" } } }), lookups: [other] },
    { name: "GKE without applicationCredentials", resource: store({ googleCredentials: { gkeEnvironment: true } }), lookups: [other] },
    {
      name: "only the first provider is used (s3 before google before azure)",
      resource: store({ s3Credentials: s3Keys(), azureCredentials: { connectionString: { name: "gone", key: "c" } } }),
      lookups: [secret("pg-s3")],
    },
    { name: "in-tree store with its Secret", resource: inTree({ s3Credentials: s3Keys(), endpointCA: { name: "ca", key: "ca.crt" } }), lookups: [secret("pg-s3"), secret("ca")] },
    {
      name: "in-tree endpointCA without key is not used by CNPG",
      resource: inTree({ s3Credentials: { inheritFromIAMRole: true }, endpointCA: { name: "gone" } }),
      lookups: [other],
    },
    {
      name: "in-tree endpointCA with google credentials: barman-cloud is not pointed at it",
      resource: inTree({ googleCredentials: { gkeEnvironment: true }, endpointCA: { name: "gone", key: "ca.crt" } }),
      lookups: [other],
    },
    { name: "a Cluster with the plugin only: the ObjectStore is checked on its own", resource: cluster({ plugins: [{ name: "barman-cloud.cloudnative-pg.io", isWALArchiver: true, parameters: { barmanObjectName: "pg-store" } }] }), lookups: [other] },
    { name: "Secret name with a placeholder: not checked", notChecked: true, resource: store({ s3Credentials: s3Keys("${SECRET}") }), lookups: [other] },
    { name: "Secrets unknown: not checked", notChecked: true, resource: store({ s3Credentials: s3Keys() }) },
    { name: "wrong types read as absent", resource: store({ s3Credentials: { accessKeyId: "pg-s3", secretAccessKey: { name: 5 } } }), lookups: [other] },
    { name: "credentials a string", resource: store({ s3Credentials: "pg-s3" }), lookups: [other] },
    { name: "realistic: S3 keys in a Secret of the cluster", resource: SHOP_STORE, lookups: lookupsAll() },
    { name: "realistic: an Azure storage account key", resource: LEDGER_STORE, lookups: lookupsAll() },
    { name: "realistic: an IAM role, no Secret", resource: WIKI_STORE, lookups: lookupsAll() },
    { name: "realistic: a Secret name from a Flux placeholder", notChecked: true, resource: SHOP_STORE.replaceAll("name: orders-db-s3", "name: ${APP}-s3"), lookups: lookupsAll() },
  ],
  invalid: [
    {
      name: "s3 Secret missing: one finding for both keys",
      resource: store({ s3Credentials: s3Keys() }),
      lookups: [other],
      problems: [{ path: `${S3}.accessKeyId.name`, message: /^Secret "pg-s3" \(also named at spec\.configuration\.s3Credentials\.secretAccessKey\.name\) is not among the known Secrets of namespace db\. barman-cloud reads.*walArchivingFailing/ }],
    },
    {
      name: "region and sessionToken are read too",
      resource: store({ s3Credentials: { ...s3Keys(), region: { name: "pg-region", key: "r" }, sessionToken: { name: "pg-token", key: "t" } } }),
      lookups: [secret("pg-s3")],
      problems: [{ path: `${S3}.region.name`, message: 'Secret "pg-region"' }, { path: `${S3}.sessionToken.name`, message: 'Secret "pg-token"' }],
    },
    {
      name: "Secret in another namespace does not count",
      resource: store({ s3Credentials: s3Keys() }),
      lookups: [secret("pg-s3", "other")],
      problems: [{ path: `${S3}.accessKeyId.name` }],
    },
    {
      name: "azure keys",
      resource: store({ azureCredentials: { storageAccount: { name: "az", key: "a" }, storageKey: { name: "az-key", key: "k" } } }),
      lookups: [secret("az")],
      problems: [{ path: "spec.configuration.azureCredentials.storageKey.name", message: 'Secret "az-key"' }],
    },
    {
      name: "azure connection string",
      resource: store({ azureCredentials: { connectionString: { name: "az-conn", key: "c" } } }),
      lookups: [other],
      problems: [{ path: "spec.configuration.azureCredentials.connectionString.name" }],
    },
    {
      name: "google application credentials, also inside GKE",
      resource: store({ googleCredentials: { gkeEnvironment: true, applicationCredentials: { name: "gcs", key: "sa.json" } } }),
      lookups: [other],
      problems: [{ path: "spec.configuration.googleCredentials.applicationCredentials.name" }],
    },
    {
      name: "plugin endpointCA: required pod volume",
      resource: store({ s3Credentials: { inheritFromIAMRole: true }, endpointCA: { name: "minio-ca", key: "ca.crt" } }),
      lookups: [other],
      problems: [{ path: "spec.configuration.endpointCA.name", message: "required volume, so the kubelet cannot start them" }],
    },
    {
      name: "credentials and CA in one Secret: one finding naming both effects",
      resource: store({ s3Credentials: s3Keys("minio"), endpointCA: { name: "minio", key: "ca.crt" } }),
      lookups: [other],
      problems: [{ path: `${S3}.accessKeyId.name`, message: /WAL archiving fails.*kubelet cannot start them/ }],
    },
    {
      name: "in-tree store",
      resource: inTree({ s3Credentials: s3Keys() }),
      lookups: [other],
      problems: [{ path: "spec.backup.barmanObjectStore.s3Credentials.accessKeyId.name", message: "ContinuousArchiving" }],
    },
    {
      name: "in-tree endpointCA with s3",
      resource: inTree({ s3Credentials: { inheritFromIAMRole: true }, endpointCA: { name: "ca", key: "ca.crt" } }),
      lookups: [other],
      problems: [{ path: "spec.backup.barmanObjectStore.endpointCA.name", message: "AWS_CA_BUNDLE" }],
    },
    {
      name: "Secrets unknown: reported as not checked",
      resource: store({ s3Credentials: s3Keys() }),
      problems: [{ path: `${S3}.accessKeyId.name`, notChecked: true, message: "no Secret objects are known" }],
    },
    {
      name: "realistic: the Secret not created yet (a SealedSecret not applied)",
      resource: SHOP_STORE,
      lookups: lookupsAll().filter((r) => r.metadata.name !== "orders-db-s3"),
      problems: [{ path: `${S3}.accessKeyId.name`, message: 'Secret "orders-db-s3" (also named at spec.configuration.s3Credentials.secretAccessKey.name)' }],
    },
  ],
});

describe("cnpg-credentials-exist", () => {
  it("documents itself", () => assertRuleMeta(rule));

  it("never throws on wrong types", () => {
    const weird: unknown[] = [null, 0, "", "x", true, [], [1, null], {}, { name: [] }, { name: "" }];
    for (const w of weird) {
      for (const field of ["s3Credentials", "azureCredentials", "googleCredentials", "endpointCA"]) {
        for (const r of [store({ [field]: w }), inTree({ [field]: w }), store({ s3Credentials: { accessKeyId: w, region: w } })]) {
          assert.doesNotThrow(() => runCase(rule, { resource: r, lookups: [other] }));
        }
      }
    }
    for (const spec of [null, "x", { configuration: "x" }, { configuration: [] }]) {
      assert.doesNotThrow(() => runCase(rule, { resource: objectStore("s", spec), lookups: [other] }));
    }
  });
});
