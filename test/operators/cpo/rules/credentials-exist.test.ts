// cpo-credentials-exist: configuration.secret must name a Secret of the cluster's namespace (the operator mounts it optional).
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/credentials-exist.ts";
import type { Resource } from "../../../../src/engine/types.ts";
import { backup, cluster, good, s3Repo } from "./fixtures.ts";
import { SHOP, edit } from "./manifests.ts";

function secret(name: string, namespace: string | undefined = "db"): Resource {
  const metadata: Record<string, unknown> = { name };
  if (namespace !== undefined) metadata.namespace = namespace;
  return { apiVersion: "v1", kind: "Secret", metadata, stringData: { "s3.conf": "[global]\nrepo1-s3-key=x" } } as Resource;
}

function withSecret(name: unknown): Resource {
  return cluster(backup([s3Repo(1)], undefined, { configuration: { secret: name } }));
}

const SECRET_PATH = "spec.backup.pgbackrest.configuration.secret";

ruleTester(rule, {
  valid: [
    { name: "Secret exists", resource: withSecret("cluster-1-s3-credentials"), lookups: [secret("cluster-1-s3-credentials")] },
    { name: "no secret configured", resource: good(), lookups: [secret("x")] },
    { name: "empty secret name: nothing mounted", resource: withSecret(""), lookups: [secret("x")] },
    { name: "secret not a string", resource: withSecret({ name: "x" }), lookups: [secret("y")] },
    { name: "configuration a string", resource: cluster(backup([s3Repo(1)], undefined, { configuration: "x" })), lookups: [secret("y")] },
    {
      name: "no spec.backup.pgbackrest: nothing is mounted",
      resource: { ...cluster(undefined), spec: { backup: { configuration: { secret: "gone" } } } } as Resource,
      lookups: [secret("y")],
    },
    { name: "placeholder name: not checked", notChecked: true, resource: withSecret("${CLUSTER}-s3"), lookups: [secret("y")] },
    { name: "Secrets unknown: not checked", notChecked: true, resource: withSecret("cluster-1-s3-credentials") },
    { name: "realistic: cluster and Secret both without namespace (kustomize sets it)", resource: SHOP, lookups: [secret("orders-db-pgbackrest", undefined)] },
    { name: "realistic: cluster without namespace, the Secret with one", resource: SHOP, lookups: [secret("orders-db-pgbackrest", "shop-prod")] },
  ],
  invalid: [
    {
      name: "the docs' typo: credential vs credentials",
      resource: withSecret("cluster-1-s3-credential"),
      lookups: [secret("cluster-1-s3-credentials")],
      problems: [{ path: SECRET_PATH, message: /^Secret "cluster-1-s3-credential" is not among the known Secrets of namespace db\. The operator mounts it optional/ }],
    },
    {
      name: "Secret in another namespace",
      resource: withSecret("cluster-1-s3-credentials"),
      lookups: [secret("cluster-1-s3-credentials", "other")],
      problems: [{ path: SECRET_PATH }],
    },
    {
      name: "unknown kind",
      resource: withSecret("cluster-1-s3-credentials"),
      problems: [{ path: SECRET_PATH, notChecked: true }],
    },
    {
      name: "realistic: a typo, no namespace anywhere",
      resource: edit(SHOP, ({ p }) => {
        p.configuration = { secret: "orders-db-pgbackrest-creds" };
      }),
      lookups: [secret("orders-db-pgbackrest", undefined)],
      problems: [{ path: SECRET_PATH, message: `Secret "orders-db-pgbackrest-creds" is not among the known Secrets of the cluster's namespace` }],
    },
    {
      name: "realistic: the Secret exists in two namespaces and the cluster has none: undecidable",
      resource: SHOP,
      lookups: [secret("orders-db-pgbackrest", "shop-prod"), secret("orders-db-pgbackrest", "shop-staging")],
      problems: [{ path: SECRET_PATH, message: "several Secret objects", notChecked: true }],
    },
    {
      name: "realistic: Secret name from a Flux placeholder is not checked (the result says why)",
      resource: edit(SHOP, ({ p }) => {
        p.configuration = { secret: "${CLUSTER}-pgbackrest" };
      }),
      lookups: [secret("orders-db-pgbackrest", undefined)],
      problems: [{ path: SECRET_PATH, message: "unresolved placeholder ${CLUSTER}", notChecked: true }],
    },
  ],
});
