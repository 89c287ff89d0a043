// cpo-pvc-name-overlap: the operator deletes repo-host PVCs by substring, so a cluster whose name ends with another's loses its pvc repo with it.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/pvc-name-overlap.ts";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import type { Resource } from "../../../../src/engine/types.ts";
import { assertRuleMeta, runCase } from "../../../helpers/rule-tester.ts";
import { rule as credentialsExist } from "../../../../src/operators/cpo/rules/credentials-exist.ts";
import { backup, cluster, pvcRepo, s3Repo } from "./fixtures.ts";
import { KEYCLOAK, SHOP } from "./manifests.ts";

function secret(name: string, namespace = "db"): Resource {
  return { apiVersion: "v1", kind: "Secret", metadata: { name, namespace }, stringData: { "s3.conf": "[global]\nrepo1-s3-key=x" } } as Resource;
}

/** A CPO cluster named `name` in `namespace` (null: none written) with the given repos (pvc by default). */
function named(name: string, repos: unknown[] = [pvcRepo(1)], namespace: string | null = "db"): Resource {
  const r = cluster(backup(repos));
  return { ...r, metadata: namespace === null ? { name } : { name, namespace } };
}

function withSecret(name: unknown): Resource {
  return cluster(backup([s3Repo(1)], undefined, { configuration: { secret: name } }));
}

const R0 = "spec.backup.pgbackrest.repos[0]";

ruleTester(rule, {
  valid: [
    { name: "alone", resource: named("db"), lookups: [named("db")] },
    { name: "names that do not end with each other", resource: named("db"), lookups: [named("db"), named("db-app"), named("dba")] },
    { name: "no pvc repos anywhere", resource: named("db", [s3Repo(1)]), lookups: [named("app-db", [s3Repo(1)])] },
    { name: "other namespace", resource: named("db"), lookups: [named("app-db", [pvcRepo(1)], "other")] },
    {
      name: "this cluster has no pvc repo and the longer name is its own",
      resource: named("app-db", [s3Repo(1)]),
      lookups: [named("db")],
    },
    { name: "pvc repo without spec.backup.pgbackrest counts for nothing", resource: { ...named("db"), spec: { volume: {} } } as Resource, lookups: [{ ...named("app-db"), spec: { backup: {} } } as Resource] },
    { name: "placeholder name", resource: named("${NAME}"), lookups: [named("app-db")] },
    { name: "CpoCluster kind unknown, no pvc repos: nothing at stake here", resource: named("db", [s3Repo(1)]), lookups: [] },
    { name: "realistic: the pvc cluster next to an unrelated one, no namespaces", resource: KEYCLOAK, lookups: [KEYCLOAK, SHOP] },
    { name: "realistic: a cluster named pg in another namespace", resource: KEYCLOAK, lookups: [KEYCLOAK, named("pg", [s3Repo(1)], "other")] },
  ],
  invalid: [
    {
      name: "this cluster's pvc repo is deleted with the shorter-named cluster",
      resource: named("app-db"),
      lookups: [named("db", [s3Repo(1)])],
      problems: [{ path: R0, message: /^deleting the CPO cluster "db" in this namespace deletes this cluster's repo PVC repo1-app-db-pgbackrest-repo-host-0 and the repo1 backups on it.*"db-pgbackrest-repo-host"/ }],
    },
    {
      name: "the other one's pvc repo is deleted with this cluster, whatever this cluster's repos",
      resource: named("db", [s3Repo(1)]),
      lookups: [named("app-db")],
      problems: [{ path: "metadata.name", message: /^deleting this cluster deletes the repo PVC repo1-app-db-pgbackrest-repo-host-0 of the CPO cluster "app-db"/ }],
    },
    {
      name: "both directions, and removing the last pvc repo is named when there is one",
      resource: named("prod-db"),
      lookups: [named("db"), named("x-prod-db")],
      problems: [
        { path: R0, message: '"db" in this namespace (or removing its last pvc repo)' },
        { path: "metadata.name", message: /^deleting this cluster \(or removing its last pvc repo\) deletes the repo PVC repo1-x-prod-db/ },
      ],
    },
    {
      name: "the operator's test, not 'contains': a repo prefix completes the name",
      resource: named("b", [pvcRepo(1)]),
      lookups: [named("o1-b", [s3Repo(1)])],
      problems: [{ path: R0, message: '"o1-b"' }],
    },
    {
      name: "several others in one finding",
      resource: named("a-b-db", [s3Repo(1), pvcRepo(2)]),
      lookups: [named("db", [s3Repo(1)]), named("b-db", [s3Repo(1)])],
      problems: [{ path: "spec.backup.pgbackrest.repos[1]", message: /"db", "b-db".*repo2-a-b-db-pgbackrest-repo-host-0/ }],
    },
    { name: "CpoCluster kind unknown, with pvc repos", resource: named("db"), lookups: [], problems: [{ path: R0, notChecked: true }] },
    {
      name: "realistic: a cluster named pg next to keycloak-pg (no namespaces)",
      resource: KEYCLOAK,
      lookups: [KEYCLOAK, named("pg", [s3Repo(1)], null)],
      problems: [{ path: R0, message: `deleting the CPO cluster "pg" in this namespace deletes this cluster's repo PVC repo1-keycloak-pg-pgbackrest-repo-host-0` }],
    },
    {
      name: "realistic: deleting pg deletes keycloak-pg's backups (seen from pg)",
      resource: named("pg", [s3Repo(1)], null),
      lookups: [parse(KEYCLOAK) as Resource],
      problems: [{ path: "metadata.name", message: 'deletes the repo PVC repo1-keycloak-pg-pgbackrest-repo-host-0 of the CPO cluster "keycloak-pg"' }],
    },
  ],
});

describe("cpo lookup rules", () => {
  it("document themselves", () => {
    assertRuleMeta(credentialsExist);
    assertRuleMeta(rule);
  });

  it("stay linear and never throw on odd input", () => {
    const many = Array.from({ length: 2000 }, (_, i) => named(`c${i}-db`, [pvcRepo(1)]));
    const reposFlood = cluster(backup(Array.from({ length: 10_000 }, () => pvcRepo(1))));
    const start = performance.now();
    const problems = runCase(rule, { resource: named("db"), lookups: many });
    runCase(rule, { resource: { ...reposFlood, metadata: { name: "x", namespace: "db" } }, lookups: many });
    assert.ok(performance.now() - start < 2000);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /"c0-db" \(and of "c1-db", .*"c5-db" and 1994 more\)/);
    for (const w of [null, 0, "x", [], {}, [null, 1, "pvc"]]) {
      for (const r of [cluster(backup(w)), cluster(w as never), withSecret(w), { ...named("db"), metadata: { name: w } } as Resource]) {
        assert.doesNotThrow(() => runCase(rule, { resource: r, lookups: [named("app-db"), r] }));
        assert.doesNotThrow(() => runCase(credentialsExist, { resource: r, lookups: [secret("x")] }));
      }
    }
  });
});
