// A valid CPO postgresql to build test cases from: every rule passes on it.
import type { Resource } from "../../../../src/engine/types.ts";

export function cluster(pgbackrest?: Record<string, unknown> | null, extra: Record<string, unknown> = {}): Resource {
  const spec: Record<string, unknown> = {
    teamId: "acid",
    numberOfInstances: 2,
    volume: { size: "5Gi" },
    postgresql: { version: "17", parameters: { archive_timeout: "5min" } },
    ...extra,
  };
  if (pgbackrest !== undefined) spec.backup = { pgbackrest };
  return { apiVersion: "cpo.opensource.cybertec.at/v1", kind: "postgresql", metadata: { name: "cluster-1", namespace: "db" }, spec };
}

export function s3Repo(n = 1, schedule: unknown = { full: "30 2 * * *" }): Record<string, unknown> {
  return { name: `repo${n}`, storage: "s3", resource: "bucket", endpoint: "s3.example.com", region: "eu-1", schedule };
}

export function pvcRepo(n = 1, schedule: unknown = { full: "30 2 * * *" }): Record<string, unknown> {
  return { name: `repo${n}`, storage: "pvc", volume: { size: "10Gi" }, schedule };
}

export function backup(repos: unknown, global?: unknown, more: Record<string, unknown> = {}): Record<string, unknown> {
  const g =
    global !== undefined
      ? global
      : Object.fromEntries(
          (Array.isArray(repos) ? repos : []).flatMap((_, i) => [
            [`repo${i + 1}-path`, `/db/cluster-1/repo${i + 1}/`],
            [`repo${i + 1}-retention-full`, "7"],
            [`repo${i + 1}-retention-full-type`, "count"],
          ]),
        );
  const out: Record<string, unknown> = { image: "pgbackrest:18", repos, ...more };
  if (g !== null) out.global = g;
  return out;
}

/** The full good cluster: s3 repo1 with daily full, hourly incr off the full's minute, retention, path, archive_timeout. */
export function good(): Resource {
  return cluster(backup([s3Repo(1, { full: "30 2 * * *", incr: "0 * * * *" })]));
}

/** A cluster with one s3 repo per schedule given (repo1, repo2, ...). */
export function withSchedule(schedule: unknown, ...more: unknown[]): Resource {
  return cluster(backup([s3Repo(1, schedule), ...more.map((s, i) => s3Repo(i + 2, s))]));
}

/** The good cluster with spec.postgresql.parameters set to `parameters`. */
export function withParameters(parameters: unknown): Resource {
  const r = good();
  (r.spec as Record<string, unknown>).postgresql = { version: "17", parameters };
  return r;
}
