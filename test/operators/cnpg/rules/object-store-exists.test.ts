// cnpg-object-store-exists: the ObjectStore a barman-cloud entry names exists in the Cluster's namespace (else the
// plugin requeues forever and a new Cluster never bootstraps).
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cnpg/rules/object-store-exists.ts";
import { PLUGIN, archiver, cluster, objectStore } from "./fixtures.ts";
import { LEDGER_CLUSTER, SHOP_CLUSTER, WIKI_CLUSTER, lookupsAll, swap } from "./manifests.ts";

ruleTester(rule, {
  valid: [
    { name: "store exists", resource: cluster({ plugins: [archiver] }), lookups: [objectStore("pg-store")] },
    { name: "no barman-cloud plugin", resource: cluster({ plugins: [] }), lookups: [objectStore("x")] },
    { name: "other plugins are not barman-cloud's", resource: cluster({ plugins: [{ name: "pgbackrest.dalibo.com", isWALArchiver: true, parameters: { barmanObjectName: "x" } }] }), lookups: [objectStore("y")] },
    { name: "ObjectStore kind unknown: not checked, never denied", notChecked: true, resource: cluster({ plugins: [archiver] }) },
    { name: "missing name is the other rule's", resource: cluster({ plugins: [{ name: PLUGIN }] }), lookups: [objectStore("x")] },
    { name: "Cluster namespace set by kustomize, store's written", resource: cluster({ plugins: [archiver] }, { namespace: undefined }), lookups: [objectStore("pg-store")] },
    { name: "store namespace set by kustomize, Cluster's written", resource: cluster({ plugins: [archiver] }), lookups: [{ ...objectStore("pg-store"), metadata: { name: "pg-store" } }] },
    { name: "namespace is a Flux placeholder", resource: cluster({ plugins: [archiver] }, { namespace: "${NS}" }), lookups: [objectStore("pg-store")] },
    { name: "realistic: the store is in the repository (no namespaces written)", resource: SHOP_CLUSTER, lookups: lookupsAll() },
    { name: "realistic: archive and recovery source on one store", resource: LEDGER_CLUSTER, lookups: lookupsAll() },
    { name: "realistic: a store name from a Flux placeholder", notChecked: true, resource: WIKI_CLUSTER, lookups: lookupsAll() },
  ],
  invalid: [
    {
      name: "store missing",
      resource: cluster({ plugins: [archiver] }),
      lookups: [objectStore("other-store")],
      problems: [{ path: "spec.plugins[0].parameters.barmanObjectName", message: /ObjectStore "pg-store" is not among the known objects of namespace db.*known there: other-store/ }],
    },
    {
      name: "store in another namespace: the message never lists a store it says is missing",
      resource: cluster({ plugins: [archiver] }),
      lookups: [objectStore("pg-store", undefined, "elsewhere"), objectStore("other", undefined, "elsewhere")],
      problems: [{ message: /^((?!known there).)*namespace db((?!known there).)*$/ }],
    },
    {
      name: "recovery source store missing",
      resource: cluster({ plugins: [archiver], externalClusters: [{ name: "src", plugin: { name: PLUGIN, parameters: { barmanObjectName: "old-store" } } }] }),
      lookups: [objectStore("pg-store")],
      problems: [{ path: "spec.externalClusters[0].plugin.parameters.barmanObjectName", message: "old-store" }],
    },
    {
      name: "one missing store named twice: one finding",
      resource: cluster({ plugins: [archiver], externalClusters: [{ name: "src", plugin: archiver }] }),
      lookups: [objectStore("x")],
      problems: [{ path: "spec.plugins[0].parameters.barmanObjectName", message: "also named at spec.externalClusters[0].plugin.parameters.barmanObjectName" }],
    },
    {
      name: "kind unknown is reported as not checked",
      resource: cluster({ plugins: [archiver] }),
      problems: [{ path: "spec.plugins[0].parameters.barmanObjectName", notChecked: true, message: "no ObjectStore objects are known" }],
    },
    {
      name: "a placeholder name is never missing: not checked",
      resource: cluster({ plugins: [{ ...archiver, parameters: { barmanObjectName: "${APP}-store" } }] }),
      lookups: [objectStore("${APP}-store")],
      problems: [{ notChecked: true, message: "unresolved placeholder ${APP}" }],
    },
    {
      name: "the same name in two namespaces and none on the Cluster: not checked",
      resource: cluster({ plugins: [archiver] }, { namespace: undefined }),
      lookups: [objectStore("pg-store", undefined, "a"), objectStore("pg-store", undefined, "b")],
      problems: [{ notChecked: true, message: "namespaces a, b" }],
    },
    {
      name: "realistic: a store name a ${APP}-store in the repository may resolve to: not checked",
      resource: swap(SHOP_CLUSTER, "barmanObjectName: orders-db-store", "barmanObjectName: orders-store"),
      lookups: lookupsAll(),
      problems: [{ path: "spec.plugins[0].parameters.barmanObjectName", notChecked: true, message: "${APP}-store" }],
    },
    {
      name: "realistic: a wrong barmanObjectName (no ${APP}-store can be it either)",
      resource: swap(SHOP_CLUSTER, "barmanObjectName: orders-db-store", "barmanObjectName: orders-db-storage"),
      lookups: lookupsAll(),
      problems: [{ path: "spec.plugins[0].parameters.barmanObjectName", message: /ObjectStore "orders-db-storage" is not among the known objects.*known there: orders-db-store/ }],
    },
  ],
});
