// Small helpers for the e2e scenarios: manifests, kubectl output parsing, polling.
import { join } from "node:path";
import { stringify } from "yaml";
import type { Cluster } from "./cluster.ts";
import { repoRoot } from "./cluster.ts";
import { run, type RunResult } from "./processes.ts";

export type Obj = Record<string, unknown>;

export function yaml(...docs: Obj[]): string {
  return docs.map((d) => stringify(d)).join("---\n");
}

/** The `Warning: …` lines kubectl printed (the webhooks' warnings, one per line). */
export function warnings(r: RunResult): string[] {
  return r.stderr
    .split("\n")
    .filter((l) => l.startsWith("Warning: "))
    .map((l) => l.slice("Warning: ".length));
}

/**
 * Rule / default ids of `[id] path: message` items: one at the start of each warning line, or each item of a
 * denial message (`…denied Kind ns/name: [id] …; [id] …`). Brackets inside paths (`repos[0]`) do not count.
 */
export function bracketIds(text: string | string[]): string[] {
  const all = Array.isArray(text) ? text.join("\n") : text;
  return [...new Set([...all.matchAll(/(?:^|: |; )\[([a-z][a-z0-9-]*[a-z0-9])\] /gm)].map((m) => m[1]!))].sort();
}

/** The denial message of our validating webhook in kubectl's output, or undefined. */
export function denial(r: RunResult): string | undefined {
  const m = /admission webhook "validate\.pgbackupguard\.io" denied the request: (.*)/.exec(r.stderr);
  return m?.[1];
}

export function describeRun(r: RunResult): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

let counter = 0;
/** Creates a fresh namespace (namespaces are never deleted: there is no namespace controller here). */
export async function namespace(c: Cluster, prefix: string, labels: Record<string, string> = {}): Promise<string> {
  const name = `${prefix}-${++counter}-${process.pid % 1000}`;
  await c.kubectlOk(["apply", "-f", "-"], { input: yaml({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } }) });
  return name;
}

/** Polls `probe` until it returns true (or throws the last failure after `timeoutMs`). */
export async function eventually<T>(what: string, probe: () => Promise<T | false>, timeoutMs = 15_000, intervalMs = 300): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** `pg-backup-guard <args>` from src/ (the same code the webhook runs). */
export function cli(args: readonly string[], input?: string): Promise<RunResult> {
  return run(process.execPath, [join(repoRoot, "test", "e2e", "pg-backup-guard.ts"), ...args], { input, timeoutMs: 60_000 });
}

// ---- manifests used by several scenarios ----

/** A Cluster with no backup at all: denied (cnpg-backup-required). */
export function brokenCluster(ns: string, name = "broken"): Obj {
  return {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: { name, namespace: ns },
    spec: { instances: 3, storage: { size: "1Gi" } },
  };
}

/** In-tree barmanObjectStore on the primary: accepted with warnings (deprecated store, backup target). */
export function riskyCluster(ns: string, name = "risky"): Obj {
  return {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: { name, namespace: ns },
    spec: {
      instances: 2,
      storage: { size: "1Gi" },
      postgresql: { parameters: { archive_timeout: "5min" } },
      backup: {
        target: "primary",
        retentionPolicy: "30d",
        barmanObjectStore: { destinationPath: `s3://backups/${name}`, s3Credentials: { inheritFromIAMRole: true } },
      },
    },
  };
}

/** A Cluster archiving through the barman-cloud plugin to ObjectStore `store`. */
export function pluginCluster(ns: string, name: string, store: string): Obj {
  return {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: { name, namespace: ns },
    spec: {
      instances: 2,
      storage: { size: "1Gi" },
      postgresql: { parameters: { archive_timeout: "5min" } },
      backup: { target: "prefer-standby" },
      plugins: [{ name: "barman-cloud.cloudnative-pg.io", isWALArchiver: true, parameters: { barmanObjectName: store } }],
    },
  };
}

export function objectStore(ns: string, name: string): Obj {
  return {
    apiVersion: "barmancloud.cnpg.io/v1",
    kind: "ObjectStore",
    metadata: { name, namespace: ns },
    spec: {
      retentionPolicy: "14d",
      configuration: { destinationPath: `s3://backups/${ns}/${name}`, s3Credentials: { inheritFromIAMRole: true } },
    },
  };
}

/** A Cluster taking volume snapshots with class `className` (WAL through the plugin to `store`). */
export function snapshotCluster(ns: string, name: string, className: string, store: string): Obj {
  const c = pluginCluster(ns, name, store) as { spec: Record<string, unknown> };
  c.spec.backup = { target: "prefer-standby", volumeSnapshot: { className, online: true } };
  return c;
}

export function snapshotClass(name: string, driver = "hostpath.csi.k8s.io"): Obj {
  return { apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name }, driver, deletionPolicy: "Delete" };
}

/** A CPO postgresql with pgBackRest to S3 but no schedule and no retention: the defaults fill both in. */
/** `spec.backups` of a PGO cluster with one volume repo and nothing else (no schedules, no retention). */
export const PGO_VOLUME_BACKUPS = {
  pgbackrest: { repos: [{ name: "repo1", volume: { volumeClaimSpec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } } }] },
};

/** A Crunchy PGO PostgresCluster of the given served version, with `spec.backups` when given. */
export function pgoCluster(ns: string, name: string, version: "v1" | "v1beta1" | string, backups?: object): Obj {
  return {
    apiVersion: `postgres-operator.crunchydata.com/${version}`,
    kind: "PostgresCluster",
    metadata: { name, namespace: ns },
    spec: {
      postgresVersion: 17,
      instances: [{ name: "i1", dataVolumeClaimSpec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }],
      ...(backups ? { backups } : {}),
    },
  };
}

export function cpoWithoutSchedules(ns: string, name = "stock"): Obj {
  return {
    apiVersion: "cpo.opensource.cybertec.at/v1",
    kind: "postgresql",
    metadata: { name, namespace: ns },
    spec: {
      dockerImage: "containers.cybertec.at/cybertec-pg-container/postgres:rocky9-18.3-2",
      numberOfInstances: 1,
      teamId: "acid",
      postgresql: { version: "18" },
      volume: { size: "1Gi" },
      backup: {
        pgbackrest: {
          image: "containers.cybertec.at/cybertec-pg-container/pgbackrest:rocky9-18.3-2",
          configuration: { secret: `${name}-s3` },
          global: { "repo1-path": `/${ns}/${name}/repo1` },
          repos: [{ name: "repo1", storage: "s3", resource: "backups", endpoint: "s3.eu-central-1.amazonaws.com", region: "eu-central-1" }],
        },
      },
    },
  };
}
