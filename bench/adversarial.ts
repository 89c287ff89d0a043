// Adversarial shapes per rule and per defaulter (issue 12, "One request can stall every other one"): objects up
// to the API server's 3 MiB request limit, built to hit each rule's worst case, timed rule by rule, defaulter by
// defaulter, and through the whole /validate and /mutate handler path. The bar: no request holds the event loop
// for more than 50 ms.
//
//   node_modules/.bin/node bench/adversarial.ts             # prints the table (markdown) and the worst cases
//   node_modules/.bin/node bench/adversarial.ts --only cpo  # shapes whose name contains "cpo"
//
// Every shape is generated afresh for each of the 3 runs (a salt changes schedules and names), so caches keyed by
// schedule text do not hide the cost a new hostile object pays; the figure is the median of the 3 runs, after a
// warm-up on small objects (JIT). Shapes are CRD-legal where the CRD allows the size; where it does not (more than 4
// CPO repos, which `^repo[1-4]$` + `listType: map` forbid) they are still measured, because /mutate sees objects
// before schema validation, the CLI sees any file, and anyone who reaches the port can send anything.
import { cpus } from "node:os";
import type { Resource, RuleContext } from "../src/engine/types.ts";
import type { EffectivePolicy } from "../src/policy/types.ts";
import { allRules } from "../src/rules/index.ts";
import { allDefaulters } from "../src/defaults/index.ts";
import { recommendedPolicy } from "../src/policy/builtin.ts";
import { resourceTypeOf } from "../src/engine/resource.ts";
import { InventoryLookups } from "../src/lookups/inventory.ts";
import { validate, mutateRequest, type HandlerDeps } from "../src/webhook/handler.ts";
import { fixedProvider } from "../src/webhook/policy-holder.ts";
import { cloneJson } from "../src/util/object.ts";
import { applyDefaulter, checkRule, type CatalogRule, type CatalogDefaulter } from "../src/rules/define.ts";

export const MIB = 1024 * 1024;
/** The API server's request body limit (`--max-request-bytes` default 3 MiB); the object must fit with the envelope. */
export const BUDGET = 3 * MIB - 16 * 1024;
export const BAR_MS = 50;

// ---- generators ------------------------------------------------------------------------------------

/** As many items as fit in `budget` bytes of JSON (measured on a sample). */
export function fill<T>(budget: number, item: (i: number) => T): T[] {
  // Sized on a late item (indexes make later items longer), then trimmed to the budget.
  const sample = JSON.stringify(item(99_999)).length + 1;
  const n = Math.max(1, Math.floor(budget / sample));
  return Array.from({ length: n }, (_, i) => item(i));
}

/** A map with as many keys as fit in `budget` bytes. */
export function fillMap(budget: number, entry: (i: number) => [string, unknown]): Record<string, unknown> {
  const [k, v] = entry(99_999);
  const sample = JSON.stringify({ [k]: v }).length;
  const n = Math.max(1, Math.floor(budget / sample));
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const [key, value] = entry(i);
    out[key] = value;
  }
  return out;
}

/** A value nested `depth` levels deep (objects and arrays alternating), inside the webhook's 100-level limit. */
export function deep(depth: number): unknown {
  let v: unknown = "x";
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

const big = (n: number, c = "a") => c.repeat(n);
const ONE_MIB = MIB - 64;

const CPO_API = "cpo.opensource.cybertec.at/v1";
const CNPG_API = "postgresql.cnpg.io/v1";

function cpo(spec: Record<string, unknown>, name = "acid-main"): Resource {
  return { apiVersion: CPO_API, kind: "postgresql", metadata: { name, namespace: "db" }, spec: { teamId: "acid", numberOfInstances: 2, ...spec } };
}

const cron = (i: number, salt: number) => `${(i + salt) % 60} ${(i * 7 + salt) % 24} * * ${i % 7}`;

function repo(i: number, salt: number, storage = i === 0 ? "pvc" : "s3"): Record<string, unknown> {
  return {
    name: `repo${i + 1}`,
    storage,
    resource: `bucket-${i}`,
    endpoint: "https://s3.example.com",
    region: "eu-1",
    ...(storage === "pvc" ? { volume: { size: "10Gi" } } : {}),
    schedule: { full: cron(i, salt), incr: cron(i + 3, salt), diff: cron(i + 5, salt) },
  };
}

const PGBR_BASE = { image: "containers.cybertec.at/cybertec-pg-container/pgbackrest:rocky9-18.3-2", configuration: { secret: "pgbackrest-secret" } };

function cnpg(kind: string, spec: Record<string, unknown>, name = "pg"): Resource {
  return { apiVersion: kind === "ObjectStore" ? "barmancloud.cnpg.io/v1" : CNPG_API, kind, metadata: { name, namespace: "db" }, spec };
}

const plugin = (i: number, wal = i === 0) => ({ name: i === 0 ? "barman-cloud.cloudnative-pg.io" : `plugin-${i}.example.com`, enabled: true, isWALArchiver: wal, parameters: { barmanObjectName: `store-${i}` } });
const objectStore = (name: string, path = `s3://bucket/${name}`) => cnpg("ObjectStore", { retentionPolicy: "30d", configuration: { destinationPath: path, s3Credentials: { accessKeyId: { name: "aws", key: "id" }, secretAccessKey: { name: "aws", key: "key" } } } }, name);
const cluster = (name: string, spec: Record<string, unknown> = {}) =>
  cnpg("Cluster", { instances: 3, storage: { size: "10Gi" }, backup: { target: "prefer-standby" }, plugins: [plugin(0)], ...spec }, name);

export interface Shape {
  name: string;
  /** What is large in it, for people. */
  what: string;
  resource: Resource;
  /** Objects in the lookups (the informer caches), beyond the base inventory. */
  lookups?: Resource[];
  /** Rule parameters overriding the policy's (by rule id). */
  params?: Record<string, Record<string, unknown>>;
}

/** Every shape, for one salt. */
export function shapes(salt: number): Shape[] {
  const out: Shape[] = [];
  const add = (s: Shape) => out.push(s);
  // ---- CPO postgresql -------------------------------------------------------------------------------
  const manyRepos = () => fill(BUDGET, (i) => repo(i, salt));
  add({ name: "cpo-repos-many", what: "repos: thousands (repo1..repoN), each with full/incr/diff", resource: cpo({ backup: { pgbackrest: { ...PGBR_BASE, repos: manyRepos() } } }) });
  add({
    name: "cpo-repos-many-across",
    what: "the same, acrossRepos: true",
    resource: cpo({ backup: { pgbackrest: { ...PGBR_BASE, repos: manyRepos() } } }),
    params: { "cpo-schedule-collision": { acrossRepos: true } },
  });
  add({
    name: "cpo-repos-200-across",
    what: "200 repos, acrossRepos: true",
    resource: cpo({ backup: { pgbackrest: { ...PGBR_BASE, repos: Array.from({ length: 200 }, (_, i) => repo(i, salt)) } } }),
    params: { "cpo-schedule-collision": { acrossRepos: true } },
  });
  add({
    name: "cpo-repos-same-name",
    what: "repos: thousands all named repo1 (duplicates)",
    resource: cpo({ backup: { pgbackrest: { ...PGBR_BASE, repos: fill(BUDGET, (i) => ({ ...repo(i, salt), name: "repo1" })) } } }),
  });
  add({
    name: "cpo-repos-pvc-many",
    what: "repos: thousands of pvc repos",
    resource: cpo({ backup: { pgbackrest: { ...PGBR_BASE, repos: fill(BUDGET, (i) => repo(i, salt, "pvc")) } } }),
  });
  add({
    name: "cpo-global-keys",
    what: "global: 60,000+ repoN-* keys (paths, retention) with 4 repos",
    resource: cpo({
      backup: {
        pgbackrest: {
          ...PGBR_BASE,
          repos: [0, 1, 2, 3].map((i) => repo(i, salt)),
          global: fillMap(BUDGET, (i) => [`repo${(i % 4) + 1}${i >= 4 ? `-x${i}` : ""}-path`, `/p/${i % 97}/`]),
        },
      },
    }),
  });
  add({
    name: "cpo-global-retention",
    what: "global: 60,000+ keys, repo numbers 1..N",
    resource: cpo({
      backup: { pgbackrest: { ...PGBR_BASE, repos: [0, 1, 2, 3].map((i) => repo(i, salt)), global: fillMap(BUDGET, (i) => [`repo${i + 1}-retention-full`, String(i)]) } },
    }),
  });
  add({
    name: "cpo-parameters",
    what: "postgresql.parameters: 60,000+ keys",
    resource: cpo({
      postgresql: { version: "17", parameters: fillMap(BUDGET, (i) => [`p${i}`, String(i)]) },
      backup: { pgbackrest: { ...PGBR_BASE, repos: [0, 1].map((i) => repo(i, salt)) } },
    }),
  });
  add({
    name: "cpo-restore-options",
    what: "restore.options: 60,000+ keys",
    resource: cpo({
      backup: { pgbackrest: { ...PGBR_BASE, repos: [repo(0, salt)], restore: { id: "r1", repo: "repo1", options: fillMap(BUDGET, (i) => [`opt-${i}`, `v${i}`]) } } },
    }),
  });
  add({
    name: "cpo-long-strings",
    what: "1 MiB values: global path, restore option, archive_timeout",
    resource: cpo({
      postgresql: { version: "17", parameters: { archive_timeout: big(ONE_MIB / 3, "9") } },
      backup: {
        pgbackrest: {
          ...PGBR_BASE,
          repos: [0, 1].map((i) => repo(i, salt)),
          global: { "repo1-path": `${big(ONE_MIB / 3, "/")}a`, "repo2-path": `/${big(ONE_MIB / 3 - 8, "a")}/` },
          restore: { id: "x", repo: "repo1", options: { set: big(1000) } },
        },
      },
    }),
  });
  add({
    name: "cpo-long-schedules",
    what: "schedules: long (just under and over the 1,000-character cap)",
    resource: cpo({
      backup: {
        pgbackrest: {
          ...PGBR_BASE,
          repos: [0, 1, 2, 3].map((i) => ({ ...repo(i, salt), schedule: { full: `${Array.from({ length: 240 }, (_, k) => k % 60).join(",")} * * * *`, incr: big(400_000, "*"), diff: `0 0 ${big(300_000, "1")} * *` } })),
        },
      },
    }),
  });
  add({
    name: "cpo-env-deep",
    what: "env/labels/selector: deep (95 levels) and wide preserved fields",
    resource: cpo({
      backup: {
        pgbackrest: {
          ...PGBR_BASE,
          repos: [{ ...repo(0, salt, "pvc"), volume: { size: "1Gi", selector: { matchLabels: fillMap(BUDGET / 3, (i) => [`l${i}`, "v"]) } } }],
          env: fill(BUDGET / 3, (i) => ({ name: `E${i}`, valueFrom: deep(i === 0 ? 95 : 4) })),
          labels: fillMap(BUDGET / 3, (i) => [`k${i}`, "v"]),
        },
      },
    }),
  });
  add({
    name: "cpo-standby-clone",
    what: "standby + clone with 1 MiB strings",
    resource: cpo({
      standby: { standby_host: big(ONE_MIB / 2, " ") + "h", s3_wal_path: big(ONE_MIB / 4) },
      clone: { cluster: big(1000), pgbackrest: { options: fillMap(BUDGET / 4, (i) => [`o${i}`, "v"]) } },
      backup: { pgbackrest: { ...PGBR_BASE, repos: [repo(0, salt)] } },
    }),
  });
  add({
    name: "cpo-name-long",
    what: "metadata.name 253 characters; many CPO clusters in the lookups",
    resource: cpo({ backup: { pgbackrest: { ...PGBR_BASE, repos: [0, 1].map((i) => repo(i, salt, "pvc")) } } }, `${big(240, "a")}-${salt}`.slice(0, 253)),
    lookups: Array.from({ length: 10_000 }, (_, i) => cpo({ backup: { pgbackrest: { ...PGBR_BASE, repos: [repo(0, salt, "pvc")] } } }, `acid-${i}`)),
  });
  // ---- CNPG Cluster -------------------------------------------------------------------------------
  add({ name: "cnpg-plugins", what: "plugins: thousands", resource: cluster("pg", { plugins: fill(BUDGET, (i) => plugin(i, i % 2 === 0)) }) });
  add({
    name: "cnpg-plugins-barman",
    what: "plugins: thousands of barman-cloud entries (same name)",
    resource: cluster("pg", { plugins: fill(BUDGET, (i) => ({ ...plugin(0), parameters: { barmanObjectName: `store-${i % 50}` } })) }),
    lookups: Array.from({ length: 50 }, (_, i) => objectStore(`store-${i}`)),
  });
  add({
    name: "cnpg-external-clusters",
    what: "externalClusters: thousands with plugin and barmanObjectStore",
    resource: cluster("pg", {
      externalClusters: fill(BUDGET, (i) => ({
        name: `ext-${i}`,
        ...(i % 2 ? { plugin: plugin(0) } : { barmanObjectStore: { destinationPath: `s3://b/${i}`, serverName: `s${i}` } }),
      })),
      bootstrap: { recovery: { source: "ext-0" } },
      replica: { enabled: true, source: "ext-1" },
    }),
  });
  add({
    name: "cnpg-tablespaces",
    what: "tablespaces: thousands, volumeSnapshot with tablespaceClassName map",
    resource: cluster("pg", {
      tablespaces: fill(BUDGET / 2, (i) => ({ name: `ts${i}`, storage: { size: "1Gi", storageClass: `sc-${i % 20}` } })),
      backup: { target: "prefer-standby", volumeSnapshot: { className: "csi", tablespaceClassName: fillMap(BUDGET / 2, (i) => [`ts${i}`, `vsc-${i % 20}`]) } },
    }),
  });
  add({
    name: "cnpg-parameters",
    what: "postgresql.parameters: 60,000+ keys",
    resource: cluster("pg", { postgresql: { parameters: fillMap(BUDGET, (i) => [`p${i}`, String(i)]) } }),
  });
  add({
    name: "cnpg-barman-long",
    what: "barmanObjectStore with 1 MiB strings and many data/wal fields",
    resource: cluster("pg", {
      plugins: [],
      postgresql: { parameters: { archive_timeout: big(ONE_MIB / 4, "9") } },
      backup: {
        retentionPolicy: big(ONE_MIB / 4, "3"),
        barmanObjectStore: { destinationPath: `s3://${big(ONE_MIB / 4)}`, serverName: big(ONE_MIB / 8), s3Credentials: { accessKeyId: { name: big(253), key: "k" }, secretAccessKey: { name: "s", key: "k" } } },
      },
    }),
  });
  add({
    name: "cnpg-annotations",
    what: "metadata.annotations/labels: thousands (exemption annotations included)",
    resource: {
      ...cluster("pg"),
      metadata: {
        name: "pg",
        namespace: "db",
        labels: fillMap(BUDGET / 3, (i) => [`l${i}`, "v"]) as Record<string, string>,
        annotations: { ...fillMap(BUDGET / 2, (i) => [`a${i}.example.com/x`, big(20)]), "pgbackupguard.io/exempt": Array.from({ length: 2000 }, (_, i) => `rule-${i}`).join(","), "pgbackupguard.io/exempt-reason": big(10_000) } as Record<string, string>,
      },
    },
  });
  add({
    name: "cnpg-deep",
    what: "deep (95 levels) preserved fields: plugin parameters, affinity, managed",
    resource: cluster("pg", { plugins: [{ ...plugin(0), parameters: { barmanObjectName: "s", extra: deep(95) } }], managed: { services: { additional: fill(BUDGET / 2, (i) => ({ selectorType: "rw", serviceTemplate: { metadata: { name: `s${i}` }, spec: deep(6) } })) } } }),
  });
  add({
    name: "cnpg-cluster-lookups",
    what: "10,000 Clusters and 10,000 ObjectStores in the namespace (archive-destination-unique)",
    resource: cluster("pg", {
      plugins: [plugin(0)],
      externalClusters: fill(BUDGET / 2, (i) => ({ name: `ext-${i}`, plugin: { ...plugin(0), parameters: { barmanObjectName: `store-${i % 10_000}` } } })),
    }),
    lookups: [
      ...Array.from({ length: 10_000 }, (_, i) => cluster(`c-${i}`, { plugins: [{ ...plugin(0), parameters: { barmanObjectName: `store-${i}` } }] })),
      ...Array.from({ length: 10_000 }, (_, i) => objectStore(`store-${i}`, `s3://bucket/${i % 100}`)),
    ],
  });
  add({
    name: "cnpg-snapshot",
    what: "volumeSnapshot with thousands of labels/annotations, walStorage, many StorageClasses/VSCs",
    resource: cluster("pg", {
      storage: { size: "1Gi", storageClass: "sc-1" },
      walStorage: { size: "1Gi", storageClass: "sc-2" },
      backup: { target: "prefer-standby", volumeSnapshot: { className: "vsc-1", walClassName: "vsc-2", labels: fillMap(BUDGET / 2, (i) => [`l${i}`, "v"]), annotations: fillMap(BUDGET / 2, (i) => [`a${i}`, "v"]) } },
    }),
    lookups: [
      ...Array.from({ length: 5000 }, (_, i) => ({ apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: `vsc-${i}`, annotations: { "snapshot.storage.kubernetes.io/is-default-class": "true" } }, driver: `d${i % 10}`, deletionPolicy: "Retain" }) as Resource),
      ...Array.from({ length: 5000 }, (_, i) => ({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: `sc-${i}` }, provisioner: `d${i % 10}` }) as Resource),
    ],
  });
  // ---- CNPG ScheduledBackup, Backup, ObjectStore; VolumeSnapshotClass ---------------------------------
  add({
    name: "cnpg-scheduledbackup",
    what: "ScheduledBackup: long schedule, 1 MiB cluster name, huge pluginConfiguration.parameters; 10,000 ScheduledBackups and Clusters in lookups",
    resource: cnpg("ScheduledBackup", {
      schedule: `0 ${Array.from({ length: 60 }, (_, k) => k).join(",")} * * * *`,
      cluster: { name: big(ONE_MIB / 2) },
      method: "plugin",
      pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io", parameters: fillMap(BUDGET / 3, (i) => [`p${i}`, "v"]) },
      backupOwnerReference: "self",
    }, `${big(200, "s")}${salt}`),
    lookups: [
      ...Array.from({ length: 10_000 }, (_, i) => cnpg("ScheduledBackup", { schedule: `0 ${i % 60} 2 * * *`, cluster: { name: "c-0" }, method: "plugin", pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" } }, `sb-${i}`)),
      ...Array.from({ length: 10_000 }, (_, i) => cluster(`c-${i}`)),
    ],
  });
  add({
    name: "cnpg-scheduledbackup-many-targets",
    what: "ScheduledBackup for a Cluster with thousands of plugins; many ScheduledBackups of that Cluster",
    resource: cnpg("ScheduledBackup", { schedule: "0 0 2 * * *", cluster: { name: "big" }, method: "plugin", pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" } }, "daily"),
    lookups: [
      cluster("big", { plugins: fill(BUDGET, (i) => plugin(i, i === 0)) }),
      ...Array.from({ length: 10_000 }, (_, i) => cnpg("ScheduledBackup", { schedule: `0 ${i % 60} ${i % 24} * * *`, cluster: { name: "big" }, method: i % 2 ? "plugin" : "volumeSnapshot", pluginConfiguration: { name: `plugin-${i}.example.com` } }, `sb-${i}`)),
    ],
  });
  add({
    name: "cnpg-backup",
    what: "Backup with huge pluginConfiguration.parameters and a 1 MiB cluster name",
    resource: cnpg("Backup", { cluster: { name: big(ONE_MIB / 2) }, method: "plugin", online: true, onlineConfiguration: { waitForArchive: true }, pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io", parameters: fillMap(BUDGET / 3, (i) => [`p${i}`, "v"]) } }),
  });
  add({
    name: "cnpg-objectstore",
    what: "ObjectStore: 1 MiB destinationPath, huge instanceSidecarConfiguration env",
    resource: cnpg("ObjectStore", {
      retentionPolicy: "30d",
      configuration: { destinationPath: `s3://${big(ONE_MIB)}`, endpointURL: big(ONE_MIB / 4) },
      instanceSidecarConfiguration: { env: fill(BUDGET / 3, (i) => ({ name: `E${i}`, value: "v" })) },
    }, "store"),
    lookups: Array.from({ length: 10_000 }, (_, i) => objectStore(`store-${i}`, `s3://${big(1000)}`)),
  });
  add({
    name: "vsc",
    what: "VolumeSnapshotClass with 60,000 parameters",
    resource: { apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "vsc" }, driver: big(ONE_MIB / 2), deletionPolicy: "Delete", parameters: fillMap(BUDGET / 2, (i) => [`p${i}`, "v"]) } as Resource,
  });
  return out;
}

// ---- timing ------------------------------------------------------------------------------------------

/** A policy with every rule on (default-off rules as warn) and every defaulter enabled. */
export function allOnPolicy(params: Shape["params"] = {}): EffectivePolicy {
  const p = recommendedPolicy();
  for (const r of allRules) {
    const s = p.rules.get(r.meta.id)!;
    if (s.action === "off") s.action = "warn";
    Object.assign(s.params, params[r.meta.id] ?? {});
  }
  for (const d of allDefaulters) p.defaults.get(d.meta.id)!.enabled = true;
  return p;
}

const BASE_LOOKUPS: Resource[] = [
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "db", labels: { team: "a" } } } as Resource,
  objectStore("store-0"),
];
const KNOWN = ["VolumeSnapshotClass", "StorageClass", "ObjectStore", "Cluster", "ScheduledBackup", "Namespace", "CpoCluster"] as const;

export function lookupsFor(shape: Shape): InventoryLookups {
  return new InventoryLookups([...BASE_LOOKUPS, ...(shape.lookups ?? [])], { known: [...KNOWN] });
}

function ctxFor(policy: EffectivePolicy, lookups: InventoryLookups, id: string, defaulter = false): RuleContext {
  const setting = defaulter ? policy.defaults.get(id) : policy.rules.get(id);
  return {
    params: setting?.params ?? {},
    policy: policy.settings,
    lookups,
    now: new Date("2026-12-01T12:00:00Z"),
    operation: "CREATE",
    ruleActive: () => true,
    ruleParams: (rid) => policy.rules.get(rid)?.params,
  };
}

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

export function review(object: Resource): any {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
  return {
    uid: "00000000-0000-4000-8000-000000000001",
    kind: { group, version, kind: object.kind },
    resource: { group, version, resource: `${object.kind.toLowerCase()}s` },
    name: object.metadata.name,
    namespace: object.metadata.namespace,
    operation: "CREATE",
    userInfo: { username: "bench" },
    object,
    oldObject: null,
    dryRun: false,
  };
}

export interface Row {
  unit: string;
  shape: string;
  ms: number;
  bytes: number;
  error?: string;
}

/** Times every applicable rule and defaulter, and the two handlers, on one shape. */
export function measure(shape: Shape): Row[] {
  const rows: Row[] = [];
  const type = resourceTypeOf(shape.resource);
  const bytes = JSON.stringify(shape.resource).length;
  const policy = allOnPolicy(shape.params);
  const lookups = lookupsFor(shape);
  for (const rule of allRules as CatalogRule[]) {
    if (!type || !rule.meta.appliesTo.includes(type) || rule.meta.auditOnly) continue;
    const row: Row = { unit: rule.meta.id, shape: shape.name, ms: 0, bytes };
    try {
      row.ms = time(() => checkRule(rule, shape.resource, ctxFor(policy, lookups, rule.meta.id)));
    } catch (err) {
      row.error = String(err).slice(0, 100);
    }
    rows.push(row);
  }
  for (const d of allDefaulters as CatalogDefaulter[]) {
    if (!type || !d.meta.appliesTo.includes(type)) continue;
    const copy = cloneJson(shape.resource);
    const row: Row = { unit: `default:${d.meta.id}`, shape: shape.name, ms: 0, bytes };
    try {
      row.ms = time(() => applyDefaulter(d, copy, ctxFor(policy, lookups, d.meta.id, true)));
    } catch (err) {
      row.error = String(err).slice(0, 100);
    }
    rows.push(row);
  }
  const deps: HandlerDeps = { policies: fixedProvider(policy), lookups, lookupFailure: "deny", now: () => new Date("2026-12-01T12:00:00Z") };
  const req = review(shape.resource);
  // The floor no rule can go below: decoding the request body (the webhook does this before any rule runs).
  const body = JSON.stringify({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: req });
  rows.push({ unit: "floor: JSON.parse of the AdmissionReview", shape: shape.name, bytes: body.length, ms: time(() => JSON.parse(body)) });
  rows.push({ unit: "handler /validate", shape: shape.name, bytes, ms: time(() => validate(req, deps)) });
  rows.push({ unit: "handler /mutate", shape: shape.name, bytes, ms: time(() => mutateRequest(req, deps)) });
  return rows;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function main(): void {
  const args = process.argv.slice(2);
  const only = args.includes("--only") ? args[args.indexOf("--only") + 1]! : "";
  const runs = args.includes("--runs") ? Number(args[args.indexOf("--runs") + 1]) : 3;
  // Warm-up: every rule and defaulter on small objects, so the first large shape does not pay for JIT compilation.
  for (let i = 0; i < 30; i++) {
    for (const s of shapes(1000 + i)) {
      const small = JSON.parse(JSON.stringify(s.resource, (_k, v) => (Array.isArray(v) ? v.slice(0, 3) : typeof v === "string" ? v.slice(0, 40) : v))) as Resource;
      if (i === 0 || s.name.startsWith(only)) measure({ ...s, resource: small, lookups: (s.lookups ?? []).slice(0, 3) });
    }
    if (i === 0) break;
  }
  const all = new Map<string, Row[]>();
  for (let run = 0; run < runs; run++) {
    for (const s of shapes(run + 1)) {
      if (only && !s.name.includes(only)) continue;
      for (const r of measure(s)) {
        const key = `${r.unit}\u0000${r.shape}`;
        all.set(key, [...(all.get(key) ?? []), r]);
      }
    }
  }
  // Worst shape per unit (median over runs).
  const worst = new Map<string, Row>();
  for (const rs of all.values()) {
    const r: Row = { ...rs[0]!, ms: median(rs.map((x) => x.ms)) };
    const w = worst.get(r.unit);
    if (!w || r.ms > w.ms) worst.set(r.unit, r);
  }
  const order = [...worst.values()].sort((a, b) => b.ms - a.ms);
  console.log(`Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${runs} runs, median per shape\n`);
  console.log("| rule / defaulter / handler | worst shape | ms | object size | over 50 ms |");
  console.log("|---|---|---:|---:|---|");
  for (const r of order) {
    console.log(`| ${r.unit} | ${r.shape} | ${r.ms.toFixed(1)} | ${(r.bytes / MIB).toFixed(2)} MiB | ${r.ms > BAR_MS ? "**yes**" : "no"}${r.error ? ` (threw: ${r.error})` : ""} |`);
  }
  // The whole request path per shape: the body decode (not ours), /validate and /mutate.
  console.log("\n| shape | object size | JSON.parse of the body (floor) | /validate | /mutate |\n|---|---:|---:|---:|---:|");
  const at = (unit: string, shape: string) => median((all.get(`${unit}\u0000${shape}`) ?? []).map((r) => r.ms));
  for (const s of shapes(1)) {
    if (only && !s.name.includes(only)) continue;
    const bytes = JSON.stringify(s.resource).length;
    const cell = (ms: number) => `${ms.toFixed(1)}${ms > BAR_MS ? " **over**" : ""}`;
    console.log(`| ${s.name} | ${(bytes / MIB).toFixed(2)} MiB | ${cell(at("floor: JSON.parse of the AdmissionReview", s.name))} | ${cell(at("handler /validate", s.name))} | ${cell(at("handler /mutate", s.name))} |`);
  }
  const errors = [...all.values()].flat().filter((r) => r.error);
  if (errors.length > 0) console.log(`\nthrew: ${[...new Set(errors.map((e) => `${e.unit} on ${e.shape}: ${e.error}`))].join("\n")}`);
  if (args.includes("--shapes")) {
    console.log("\n| shape | what | size |\n|---|---|---:|");
    for (const s of shapes(1)) console.log(`| ${s.name} | ${s.what} | ${(JSON.stringify(s.resource).length / MIB).toFixed(2)} MiB |`);
  }
}

if (import.meta.main) main();
