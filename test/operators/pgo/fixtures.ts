// A valid PGO PostgresCluster to build test cases from: every pgo-* rule passes on it.
import type { Resource } from "../../../src/engine/types.ts";

type Obj = Record<string, unknown>;

export const R = "spec.backups.pgbackrest.repos";
export const G = "spec.backups.pgbackrest.global";

export function s3Repo(n = 1, schedules: unknown = { full: "30 2 * * 0", differential: "30 2 * * 1-6" }, bucket = "backups"): Obj {
  const repo: Obj = { name: `repo${n}`, s3: { bucket, endpoint: "s3.eu-west-1.amazonaws.com", region: "eu-west-1" } };
  if (schedules !== null) repo.schedules = schedules;
  return repo;
}

export function volumeRepo(n = 1, schedules: unknown = { full: "0 1 * * 0", differential: "0 1 * * 1-6" }): Obj {
  const repo: Obj = {
    name: `repo${n}`,
    volume: { volumeClaimSpec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } } },
  };
  if (schedules !== null) repo.schedules = schedules;
  return repo;
}

/** global with path and retention for repo1..repoN of `repos` (by their names). */
export function globalFor(repos: unknown[], name = "hippo", ns = "prod"): Obj {
  const g: Obj = {};
  for (const r of repos) {
    const n = (r as Obj).name;
    if (typeof n !== "string") continue;
    g[`${n}-path`] = `/pgbackrest/${ns}/${name}/${n}`;
    g[`${n}-retention-full`] = "4";
    g[`${n}-retention-full-type`] = "count";
  }
  return g;
}

export function pgbackrest(repos: unknown[], more: Obj = {}): Obj {
  return { configuration: [{ secret: { name: "hippo-creds" } }], global: globalFor(repos), repos, ...more };
}

/** A PostgresCluster; `backups` undefined means none. */
export function cluster(backups?: Obj | null, extra: Obj = {}, meta: Obj = {}): Resource {
  const spec: Obj = {
    postgresVersion: 17,
    instances: [{ name: "instance1", dataVolumeClaimSpec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }],
    ...extra,
  };
  if (backups !== undefined && backups !== null) spec.backups = backups;
  return {
    apiVersion: "postgres-operator.crunchydata.com/v1",
    kind: "PostgresCluster",
    metadata: { name: "hippo", namespace: "prod", ...meta },
    spec,
  };
}

/** s3 repo1 with weekly full + daily differential, retention, own path, credentials. */
export function good(): Resource {
  return cluster({ pgbackrest: pgbackrest([s3Repo(1)]) });
}

/** A copy of `r` with `spec.backups.pgbackrest` changed by `edit`. */
export function withPgbackrest(r: Resource, edit: (p: Obj) => void): Resource {
  const copy = structuredClone(r);
  edit(((copy.spec as Obj).backups as Obj).pgbackrest as Obj);
  return copy;
}
