import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/repo-path-collision.ts";
import { G, R, cluster, good, pgbackrest, s3Repo, volumeRepo } from "../fixtures.ts";

const other = (name: string, global: Record<string, unknown>, extra: Record<string, unknown> = {}, ns = "prod") => ({
  ...cluster({ pgbackrest: pgbackrest([s3Repo(1)], { global }) }, extra, { name, namespace: ns }),
  apiVersion: "postgres-operator.crunchydata.com/v1beta1",
});
const defaultPath = cluster({ pgbackrest: pgbackrest([s3Repo(1)], { global: {} }) });

ruleTester(rule, {
  valid: [
    { name: "no other cluster known: not checked", notChecked: true, resource: good() },
    { name: "other cluster with its own path", resource: good(), lookups: [other("orders", { "repo1-path": "/pgbackrest/prod/orders/repo1" })] },
    { name: "itself in the inventory", resource: good(), lookups: [{ ...good(), apiVersion: "postgres-operator.crunchydata.com/v1beta1" }] },
    { name: "other bucket", resource: defaultPath, lookups: [{ ...cluster({ pgbackrest: pgbackrest([s3Repo(1, null, "elsewhere")], { global: {} }) }, {}, { name: "orders" }) }] },
    { name: "volume repos never collide", resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1)], { global: {} }) }), lookups: [cluster({ pgbackrest: pgbackrest([volumeRepo(1)], { global: {} }) }, {}, { name: "orders" })] },
    { name: "the other is a repo standby of this one", resource: defaultPath, lookups: [other("hippo-standby", {}, { standby: { repoName: "repo1" } })] },
    { name: "this one is a repo standby", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1)], { global: {} }) }, { standby: { repoName: "repo1" } }), lookups: [other("primary", {})] },
  ],
  invalid: [
    { name: "no lookups: not checked", resource: defaultPath, problems: [{ path: R, notChecked: true }] },
    { name: "both on the default path", resource: defaultPath, lookups: [other("orders", {})], problems: [{ path: G, message: "prod/orders (repo1)" }] },
    {
      name: "same explicit path, other namespace",
      resource: good(),
      lookups: [other("hippo", { "repo1-path": "/pgbackrest/prod/hippo/repo1/" }, {}, "staging")],
      problems: [{ path: `${G}.repo1-path`, message: "staging/hippo (repo1)" }],
    },
    {
      name: "another cluster's repo2 on this repo1's path",
      resource: good(),
      lookups: [
        {
          ...cluster({ pgbackrest: pgbackrest([volumeRepo(1), s3Repo(2)], { global: { "repo2-path": "/pgbackrest/prod/hippo/repo1" } }) }, {}, { name: "orders" }),
        },
      ],
      problems: [{ message: "orders (repo2)" }],
    },
  ],
});
