import type { Resource } from "../../../src/engine/types.ts";

export function scheduledBackup(schedule: unknown, spec: Record<string, unknown> = {}): Resource {
  const s: Record<string, unknown> = { cluster: { name: "pg" }, method: "plugin", ...spec };
  if (schedule !== undefined) s.schedule = schedule;
  return { apiVersion: "postgresql.cnpg.io/v1", kind: "ScheduledBackup", metadata: { name: "daily", namespace: "db" }, spec: s };
}

export function cpoCluster(schedules: unknown[]): Resource {
  return {
    apiVersion: "cpo.opensource.cybertec.at/v1",
    kind: "postgresql",
    metadata: { name: "pg", namespace: "db" },
    spec: {
      backup: {
        pgbackrest: {
          image: "pgbackrest:latest",
          repos: schedules.map((schedule, i) => ({ name: `repo${i + 1}`, storage: "s3", resource: "bucket", schedule })),
        },
      },
    },
  };
}
