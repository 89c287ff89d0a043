// cpo-credentials-exist and cpo-pvc-name-overlap: the two CPO lookup rules (Secret names, other CPO clusters).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Resource } from "../../../../src/engine/types.ts";
import { assertRuleMeta, ruleTester, runCase } from "../../../helpers/rule-tester.ts";
import { rule as credentialsExist } from "../../../../src/operators/cpo/rules/credentials-exist.ts";
import { rule as pvcNameOverlap } from "../../../../src/operators/cpo/rules/pvc-name-overlap.ts";
import { backup, cluster, good, pvcRepo, s3Repo } from "./fixtures.ts";

function secret(name: string, namespace = "db"): Resource {
  return { apiVersion: "v1", kind: "Secret", metadata: { name, namespace }, stringData: { "s3.conf": "[global]\nrepo1-s3-key=x" } } as Resource;
}

function withSecret(name: unknown): Resource {
  return cluster(backup([s3Repo(1)], undefined, { configuration: { secret: name } }));
}

/** A CPO cluster named `name` in `namespace` with the given repos (pvc by default). */
function named(name: string, repos: unknown[] = [pvcRepo(1)], namespace = "db"): Resource {
  const r = cluster(backup(repos));
  return { ...r, metadata: { name, namespace } };
}

const SECRET_PATH = "spec.backup.pgbackrest.configuration.secret";

ruleTester(credentialsExist, {
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
    { name: "placeholder name: not checked", resource: withSecret("${CLUSTER}-s3"), lookups: [secret("y")] },
    { name: "Secrets unknown: not checked", resource: withSecret("cluster-1-s3-credentials") },
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
  ],
});

const R0 = "spec.backup.pgbackrest.repos[0]";

ruleTester(pvcNameOverlap, {
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
  ],
});

describe("cpo lookup rules", () => {
  it("document themselves", () => {
    assertRuleMeta(credentialsExist);
    assertRuleMeta(pvcNameOverlap);
  });

  it("stay linear and never throw on odd input", () => {
    const many = Array.from({ length: 2000 }, (_, i) => named(`c${i}-db`, [pvcRepo(1)]));
    const reposFlood = cluster(backup(Array.from({ length: 10_000 }, () => pvcRepo(1))));
    const start = performance.now();
    const problems = runCase(pvcNameOverlap, { resource: named("db"), lookups: many });
    runCase(pvcNameOverlap, { resource: { ...reposFlood, metadata: { name: "x", namespace: "db" } }, lookups: many });
    assert.ok(performance.now() - start < 2000);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /"c0-db" \(and of "c1-db", .*"c5-db" and 1994 more\)/);
    for (const w of [null, 0, "x", [], {}, [null, 1, "pvc"]]) {
      for (const r of [cluster(backup(w)), cluster(w as never), withSecret(w), { ...named("db"), metadata: { name: w } } as Resource]) {
        assert.doesNotThrow(() => runCase(pvcNameOverlap, { resource: r, lookups: [named("app-db"), r] }));
        assert.doesNotThrow(() => runCase(credentialsExist, { resource: r, lookups: [secret("x")] }));
      }
    }
  });
});
