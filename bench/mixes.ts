// Generated, deterministic benchmark inputs (the same text on every run and machine).
//
//   bench      the original friendly mix (Clusters, ScheduledBackups, Backups, ObjectStores, CPO postgresqls)
//   realistic  issue 13's mix: per 10,000 resources 3,712 ScheduledBackups, 3,584 CPO postgresqls (full/incr/diff
//              schedules, one or two repos, acrossRepos in prod namespaces), 2,576 Clusters (plugin, snapshot,
//              legacy, none) and 128 Backups, over ~N/4 namespaces; schedules from a realistic list with times
//              varied, CPO pairs that collide and pairs that do not (disjoint days at the same time of day,
//              shifted minutes, disjoint hours)
//   worst      every resource a distinct pathological-but-valid schedule (pair): days that almost never meet
//              (Feb 29 vs one weekday in February), never meet at the same time of day (the 31st vs the 30th,
//              odd vs even days), never fire at all (the 31st of Feb/Apr), `a/7` vs `b/11` steps, OR'ed day of
//              month and day of week, `?`, names, `*-5`, v1 stepped stars (a true AND of dom and dow)
//
// Each mix is an input text (the resources `validate` admits) plus an inventory text (what `--lookup` would give:
// Namespaces with labels, ObjectStores, VolumeSnapshotClasses) and BackupPolicy documents.

export interface Mix {
  name: string;
  /** The resources, one multi-document YAML text. */
  input: string;
  /** Objects for lookups only (like `--lookup`): Namespaces, ObjectStores, VolumeSnapshotClasses. */
  inventory: string;
  /** BackupPolicy documents (like `--policy`), one YAML text; empty for the built-in policy only. */
  policy: string;
  /** Covered resources in `input`, by kind. */
  counts: Record<string, number>;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run validates the same input. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- a tiny YAML emitter (block style, what people write) ----------------------------------------------

type Json = string | number | boolean | null | Json[] | { [k: string]: Json | undefined };

const PLAIN = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

function scalar(v: string | number | boolean | null): string {
  if (typeof v !== "string") return String(v);
  return PLAIN.test(v) && !RESERVED.test(v) ? v : JSON.stringify(v);
}

function emit(value: Json, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item !== null && typeof item === "object" && !Array.isArray(item)) {
        const lines: string[] = [];
        emit(item, `${indent}  `, lines);
        out.push(`${indent}- ${lines[0]!.trimStart()}`, ...lines.slice(1));
      } else out.push(`${indent}- ${scalar(item as string)}`);
    }
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, Json | undefined>)) {
    if (v === undefined) continue;
    const key = scalar(k);
    if (v !== null && typeof v === "object") {
      if (Array.isArray(v) && v.length === 0) out.push(`${indent}${key}: []`);
      else if (!Array.isArray(v) && Object.keys(v).length === 0) out.push(`${indent}${key}: {}`);
      else {
        out.push(`${indent}${key}:`);
        emit(v, Array.isArray(v) ? indent : `${indent}  `, out);
      }
    } else out.push(`${indent}${key}: ${scalar(v)}`);
  }
}

export function toYaml(doc: Json): string {
  const out: string[] = [];
  emit(doc, "", out);
  return `${out.join("\n")}\n`;
}

function documents(docs: Json[]): string {
  return docs.map(toYaml).join("---\n");
}

// ---- the original bench mix (kept as it was, for continuity with earlier RESULTS.md rows) -----------------

const BENCH_CNPG = ["0 0 2 * * *", "0 30 1 * * *", "0 0 */6 * * *", "0 0 0 * * 0", "0 2 * * *", "@daily", "0 0 3 * * 1-5", "*/30 * * * * *"];
const BENCH_CPO = ["30 2 * * 0", "0 1 * * *", "0 */4 * * *", "0 3 1 * *", "15 2 * * 1-6"];

export function benchMix(count: number): Mix {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const docs: string[] = [];
  const counts: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const kindName = ["Cluster", "ScheduledBackup", "Backup", "ObjectStore", "postgresql"][i % 5]!;
    counts[kindName] = (counts[kindName] ?? 0) + 1;
    const ns = `team-${i % 50}`;
    const name = `db-${i}`;
    const kind = i % 5;
    if (kind === 0) {
      const variant = pick(["plugin", "plugin", "snapshot", "legacy", "none"]);
      const instances = pick([1, 2, 3]);
      let spec = `  instances: ${instances}\n  storage:\n    size: ${pick([1, 10, 100])}Gi\n`;
      if (variant !== "none" && variant !== "legacy")
        spec += `  plugins:\n    - name: barman-cloud.cloudnative-pg.io\n      isWALArchiver: true\n      parameters:\n        barmanObjectName: store-${i % 7}\n`;
      if (variant === "snapshot") spec += `  backup:\n    volumeSnapshot:\n      className: csi-snap\n      online: ${pick(["true", "false"])}\n`;
      if (variant === "legacy")
        spec += `  backup:\n    retentionPolicy: 30d\n    barmanObjectStore:\n      destinationPath: s3://bucket/${name}\n      s3Credentials:\n        inheritFromIAMRole: true\n`;
      if (r() < 0.3) spec += `  postgresql:\n    parameters:\n      archive_timeout: ${pick(["1min", "5min", "15min"])}\n      max_connections: "200"\n`;
      docs.push(`apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  labels:\n    app: shop\nspec:\n${spec}`);
    } else if (kind === 1) {
      const method = pick(["plugin", "volumeSnapshot", ""]);
      docs.push(
        `apiVersion: postgresql.cnpg.io/v1\nkind: ScheduledBackup\nmetadata:\n  name: ${name}-daily\n  namespace: ${ns}\nspec:\n  schedule: "${pick(BENCH_CNPG)}"\n  cluster:\n    name: db-${i - 1}\n` +
          (method ? `  method: ${method}\n` : "") +
          (method === "plugin" ? `  pluginConfiguration:\n    name: barman-cloud.cloudnative-pg.io\n` : "") +
          (r() < 0.7 ? `  backupOwnerReference: self\n` : ""),
      );
    } else if (kind === 2) {
      docs.push(
        `apiVersion: postgresql.cnpg.io/v1\nkind: Backup\nmetadata:\n  name: ${name}-once\n  namespace: ${ns}\nspec:\n  cluster:\n    name: db-${i - 2}\n  method: ${pick(["plugin", "volumeSnapshot", "barmanObjectStore"])}\n  target: ${pick(["primary", "prefer-standby"])}\n`,
      );
    } else if (kind === 3) {
      docs.push(
        `apiVersion: barmancloud.cnpg.io/v1\nkind: ObjectStore\nmetadata:\n  name: store-${i % 7}\n  namespace: ${ns}\nspec:\n` +
          (r() < 0.8 ? `  retentionPolicy: "30d"\n` : "") +
          `  configuration:\n    destinationPath: s3://backups/${ns}\n    s3Credentials:\n      inheritFromIAMRole: true\n`,
      );
    } else {
      const storage = pick(["s3", "s3", "pvc", "gcs"]);
      docs.push(
        `apiVersion: cpo.opensource.cybertec.at/v1\nkind: postgresql\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  numberOfInstances: 2\n  teamId: acid\n  postgresql:\n    version: "18"\n` +
          (r() < 0.6 ? `    parameters:\n      archive_timeout: "${pick([60, 300, 1800])}"\n` : "") +
          `  volume:\n    size: 10Gi\n  backup:\n    pgbackrest:\n      image: pgbackrest:18\n      global:\n` +
          (r() < 0.8 ? `        repo1-retention-full: "7"\n` : "") +
          `        repo1-path: /${ns}/${name}\n      repos:\n        - name: repo1\n          storage: ${storage}\n          resource: bucket\n          schedule:\n            full: "${pick(BENCH_CPO)}"\n` +
          (r() < 0.5 ? `            incr: "${pick(BENCH_CPO)}"\n` : ""),
      );
    }
  }
  return { name: "bench", input: docs.join("---\n"), inventory: "", policy: "", counts };
}

// ---- shared pieces of the realistic and worst-case mixes -----------------------------------------------

const TEAMS = ["payments", "orders", "search", "billing", "identity", "catalog", "shipping", "analytics", "crm", "inventory", "ledger", "auth", "media", "notify", "pricing", "risk"];
const ENVS = ["prod", "prod", "staging", "dev", "qa"];
const APPS = ["api", "core", "events", "reports", "sessions", "users", "audit", "jobs", "ledger", "web"];

/** Policies as a platform team would write them: stricter in prod (selected by label), relaxed in dev (by name). */
const POLICY = documents([
  {
    apiVersion: "pgbackupguard.io/v1alpha1",
    kind: "BackupPolicy",
    metadata: { name: "prod" },
    spec: {
      priority: 10,
      rpo: "5m",
      match: { namespaceSelector: { matchLabels: { env: "prod" } } },
      rules: {
        "cpo-schedule-collision": { action: "deny", acrossRepos: true },
        "schedule-too-rare": { action: "deny", maxInterval: "2d" },
      },
    },
  },
  {
    apiVersion: "pgbackupguard.io/v1alpha1",
    kind: "BackupPolicy",
    metadata: { name: "dev" },
    spec: {
      priority: 5,
      rpo: "1h",
      match: { namespaces: ["*-dev-*", "*-qa-*"] },
      rules: { "schedule-too-rare": { action: "warn", maxInterval: "30d" }, "cnpg-backup-required": { action: "warn" } },
    },
  },
]);

interface Namespace {
  name: string;
  env: string;
  team: string;
}

function namespaces(count: number, r: () => number): Namespace[] {
  const out: Namespace[] = [];
  for (let i = 0; i < count; i++) {
    const team = TEAMS[i % TEAMS.length]!;
    const env = ENVS[Math.floor(r() * ENVS.length)]!;
    out.push({ name: `${team}-${env}-${Math.floor(i / TEAMS.length)}`, env, team });
  }
  return out;
}

/** Kinds in the proportions (3712 : 3584 : 2576 : 128 per 10,000), shuffled deterministically. */
function kindOrder(count: number, r: () => number): string[] {
  const cpo = Math.round((count * 3584) / 10_000);
  const cluster = Math.round((count * 2576) / 10_000);
  const backup = Math.round((count * 128) / 10_000);
  const sb = count - cpo - cluster - backup;
  const kinds = [
    ...Array<string>(sb).fill("ScheduledBackup"),
    ...Array<string>(cpo).fill("postgresql"),
    ...Array<string>(cluster).fill("Cluster"),
    ...Array<string>(backup).fill("Backup"),
  ];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  return kinds;
}

function meta(name: string, ns: Namespace, extra: Record<string, Json> = {}): Json {
  return {
    name,
    namespace: ns.name,
    labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": ns.team, team: ns.team },
    ...extra,
  };
}

function inventoryFor(nss: Namespace[]): string {
  const docs: Json[] = [];
  for (const ns of nss) {
    docs.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns.name, labels: { env: ns.env, team: ns.team, "kubernetes.io/metadata.name": ns.name } } });
    docs.push({
      apiVersion: "barmancloud.cnpg.io/v1",
      kind: "ObjectStore",
      metadata: { name: `${ns.team}-store`, namespace: ns.name },
      spec: {
        retentionPolicy: "30d",
        configuration: { destinationPath: `s3://backups/${ns.name}`, s3Credentials: { inheritFromIAMRole: true }, wal: { compression: "gzip" } },
      },
    });
  }
  docs.push({ apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "csi-snapclass" }, driver: "ebs.csi.aws.com", deletionPolicy: "Retain" });
  docs.push({ apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "csi-hostpath-snapclass" }, driver: "hostpath.csi.k8s.io", deletionPolicy: "Delete" });
  return documents(docs);
}

function clusterDoc(name: string, ns: Namespace, r: () => number): Json {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const variant = pick(["plugin", "plugin", "plugin", "snapshot", "snapshot", "legacy", "none"]);
  const spec: Record<string, Json> = {
    instances: pick([1, 2, 3, 3]),
    imageName: `ghcr.io/cloudnative-pg/postgresql:${pick(["16.9", "17.5", "18.1"])}`,
    primaryUpdateStrategy: "unsupervised",
    storage: { size: `${pick([10, 20, 50, 100])}Gi`, storageClass: pick(["fast-ssd", "standard"]) },
    postgresql: { parameters: { max_connections: "200", shared_buffers: "1GB", ...(r() < 0.6 ? { archive_timeout: pick(["1min", "5min", "15min"]) } : {}) } },
    resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { memory: "4Gi" } },
  };
  const plugin = { name: "barman-cloud.cloudnative-pg.io", isWALArchiver: true, parameters: { barmanObjectName: r() < 0.95 ? `${ns.team}-store` : `${name}-missing-store` } };
  if (variant === "plugin") {
    spec.plugins = [plugin];
    spec.backup = { target: "prefer-standby" };
  } else if (variant === "snapshot") {
    spec.plugins = [plugin];
    spec.backup = { target: "prefer-standby", volumeSnapshot: { className: pick(["csi-snapclass", "csi-hostpath-snapclass"]), online: r() < 0.8 } };
  } else if (variant === "legacy") {
    spec.backup = {
      retentionPolicy: "30d",
      barmanObjectStore: { destinationPath: `s3://legacy/${ns.name}/${name}`, s3Credentials: { inheritFromIAMRole: true }, wal: { compression: "gzip" } },
    };
  }
  return { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: meta(name, ns), spec };
}

function backupDoc(name: string, cluster: string, ns: Namespace, r: () => number): Json {
  const method = ["plugin", "volumeSnapshot", "barmanObjectStore"][Math.floor(r() * 3)]!;
  const spec: Record<string, Json> = { cluster: { name: cluster }, method };
  if (method === "plugin") spec.pluginConfiguration = { name: "barman-cloud.cloudnative-pg.io" };
  if (r() < 0.5) spec.target = "primary";
  return { apiVersion: "postgresql.cnpg.io/v1", kind: "Backup", metadata: meta(`${name}-before-upgrade`, ns), spec };
}

function scheduledDoc(name: string, cluster: string, ns: Namespace, schedule: string, r: () => number): Json {
  const method = ["plugin", "plugin", "volumeSnapshot", ""][Math.floor(r() * 4)]!;
  const spec: Record<string, Json> = { schedule, cluster: { name: cluster } };
  if (method) spec.method = method;
  if (method === "plugin") spec.pluginConfiguration = { name: "barman-cloud.cloudnative-pg.io" };
  if (r() < 0.7) spec.backupOwnerReference = "self";
  if (r() < 0.3) spec.immediate = true;
  return { apiVersion: "postgresql.cnpg.io/v1", kind: "ScheduledBackup", metadata: meta(name, ns), spec };
}

type CpoSchedules = { full?: string; incr?: string; diff?: string };

function postgresqlDoc(name: string, ns: Namespace, repos: CpoSchedules[], r: () => number): Json {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const global: Record<string, Json> = {};
  const list: Json[] = repos.map((schedule, i) => {
    const n = i + 1;
    global[`repo${n}-path`] = `/${ns.name}/${name}/repo${n}`;
    if (r() < 0.85) {
      global[`repo${n}-retention-full`] = String(pick([2, 4, 7, 14]));
      global[`repo${n}-retention-full-type`] = "count";
    }
    const storage = i === 0 ? pick(["s3", "s3", "gcs", "azure", "pvc"]) : pick(["pvc", "s3", "gcs"]);
    const repo: Record<string, Json> = { name: `repo${n}`, storage };
    if (storage === "pvc") repo.volume = { size: `${pick([50, 100, 200])}Gi` };
    else repo.resource = `backups-${ns.team}`;
    if (storage === "s3") Object.assign(repo, { endpoint: "s3.eu-central-1.amazonaws.com", region: "eu-central-1" });
    repo.schedule = schedule as Json;
    return repo;
  });
  return {
    apiVersion: "cpo.opensource.cybertec.at/v1",
    kind: "postgresql",
    metadata: meta(name, ns),
    spec: {
      dockerImage: "containers.cybertec.at/cybertec-pg-container/postgres:rocky9-18.3-2",
      numberOfInstances: pick([1, 2, 3]),
      teamId: ns.team,
      postgresql: { version: pick(["16", "17", "18"]), parameters: { max_connections: "200", ...(r() < 0.7 ? { archive_timeout: pick(["60", "300", "1800"]) } : {}) } },
      volume: { size: `${pick([10, 20, 50])}Gi` },
      backup: {
        pgbackrest: {
          image: "containers.cybertec.at/cybertec-pg-container/pgbackrest:rocky9-18.3-2",
          configuration: { secret: `${name}-backup-credentials` },
          global,
          repos: list,
        },
      },
    },
  };
}

// ---- the realistic mix ---------------------------------------------------------------------------------

/** CNPG ScheduledBackup schedules people write (incl. the 5-field and descriptor mistakes); `%m`/`%h` are varied. */
const CNPG_REALISTIC = [
  "0 %m %h * * *",
  "0 %m %h * * *",
  "0 %m %h * * *",
  "0 0 2 * * *",
  "0 30 1 * * *",
  "0 0 0 * * *",
  "0 0 */6 * * *",
  "0 0 */12 * * *",
  "0 %m %h * * 0",
  "0 %m %h * * 1-5",
  "0 0 3 * * 6",
  "0 %m %h * * 1,3,5",
  "@daily",
  "@hourly",
  "@weekly",
  "%m %h * * *", // a crontab line: CNPG reads it seconds first
  "0 0 0 1 * *", // monthly: too rare for the default 7d
  "0 0 4 1,15 * *",
];

/** CPO (full, incr, diff) per repo; `%m`/`%h` varied; comments say whether full and the others share a minute. */
const CPO_REALISTIC: { repos: CpoSchedules[]; multi?: boolean }[] = [
  { repos: [{ full: "%m %h * * 0", incr: "%m %h * * 1-6" }] }, // the operator docs' weekly/daily: disjoint days, same time
  { repos: [{ full: "30 2 * * 0", incr: "30 2 * * 1-6" }] },
  { repos: [{ full: "30 2 * * *", incr: "*/30 * * * *" }] }, // docs' S3 example: collides daily at 02:30
  { repos: [{ full: "%m %h * * *", incr: "%m2,%m3 * * * *" }] }, // shifted minutes: never
  { repos: [{ full: "0 %h * * 0", incr: "0 */6 * * *" }] }, // collides when %h is a multiple of 6
  { repos: [{ full: "0 1 * * 6", incr: "0 */4 * * *", diff: "0 13 * * 3" }] }, // disjoint hours
  { repos: [{ full: "%m %h * * 6", incr: "%m %h * * 0-5" }] },
  { repos: [{ full: "0 5 1 * *", incr: "0 5 * * 1" }] }, // monthly full vs Monday incr: collide on a Monday the 1st
  { repos: [{ full: "@daily", incr: "@hourly" }] }, // midnight
  { repos: [{ full: "%m %h * * *" }] },
  { repos: [{ full: "%m %h * * 0", diff: "%m %h * * 3" }] },
  { repos: [{ full: "0 1 * * 0", incr: "@every 6h" }] }, // @every > 1 min: not compared
  { repos: [{ full: "%m %h * * 0", incr: "%m %h * * 1-6" }, { full: "%m %h * * *" }], multi: true }, // across repos: collides
  { repos: [{ full: "%m %h * * 0", incr: "%m %h * * 1-6" }, { full: "%m2 %h * * *" }], multi: true }, // across repos: never
  { repos: [{ full: "30 2 * * *", incr: "15,45 * * * *" }, { full: "0 4 * * 0", diff: "0 4 * * 3" }], multi: true },
];

/** A time people pick for backups: quarter hours (some 5 past), early in the UTC morning. */
function drawTimes(r: () => number): { m: number; h: number } {
  return { m: Math.floor(r() * 4) * 15 + (r() < 0.3 ? 5 : 0), h: Math.floor(r() * 6) };
}

function fill(template: string, { m, h }: { m: number; h: number }): string {
  return template
    .replaceAll("%m2", String((m + 15) % 60))
    .replaceAll("%m3", String((m + 45) % 60))
    .replaceAll("%m", String(m))
    .replaceAll("%h", String(h));
}

export function realisticMix(count: number): Mix {
  const r = rng(13);
  const nss = namespaces(Math.max(4, Math.round(count / 4)), r);
  const kinds = kindOrder(count, r);
  const docs: Json[] = [];
  const clusters: { name: string; ns: Namespace }[] = [];
  const counts: Record<string, number> = {};
  for (const [i, kind] of kinds.entries()) {
    counts[kind] = (counts[kind] ?? 0) + 1;
    const ns = nss[Math.floor(r() * nss.length)]!;
    const name = `${ns.team}-${APPS[i % APPS.length]}-${i.toString(36)}`;
    // Most backups name a Cluster of the mix (in its namespace); a few a Cluster from elsewhere.
    const target = clusters.length > 0 && r() < 0.9 ? clusters[Math.floor(r() * clusters.length)]! : { name: `${name}-db`, ns };
    if (kind === "Cluster") {
      docs.push(clusterDoc(name, ns, r));
      clusters.push({ name, ns });
    } else if (kind === "ScheduledBackup") {
      const schedule = fill(CNPG_REALISTIC[Math.floor(r() * CNPG_REALISTIC.length)]!, drawTimes(r));
      docs.push(scheduledDoc(`${target.name}-${schedule.startsWith("@") ? "daily" : "sched"}-${i.toString(36)}`, target.name, target.ns, schedule, r));
    } else if (kind === "Backup") docs.push(backupDoc(name, target.name, target.ns, r));
    else {
      const pattern = CPO_REALISTIC[Math.floor(r() * CPO_REALISTIC.length)]!;
      // One minute and hour per resource: the templates mean the same %m/%h in every schedule of it.
      const times = drawTimes(r);
      const repos = pattern.repos.map((s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, fill(v, times)])) as CpoSchedules);
      docs.push(postgresqlDoc(name, ns, repos, r));
    }
  }
  return { name: "realistic", input: documents(docs), inventory: inventoryFor(nss), policy: POLICY, counts };
}

// ---- the worst-case mix --------------------------------------------------------------------------------

/**
 * Pathological CPO pairs (5 fields, Kubernetes dialect), parameterised by minute `m`, hour `h` and `k`: each
 * family keeps the times of day overlapping so that only the days decide, which is what made the old search walk.
 */
const CPO_WORST: ((m: number, h: number, k: number) => CpoSchedules)[] = [
  (m, h, k) => ({ full: `${m} ${h} 29 2 *`, incr: `${m} ${h} * 2 ${k % 7}` }), // Feb 29 on weekday k: every ~28 years
  (m, h, k) => ({ full: `${m} ${h} 31 ${["1,3", "5,7", "8,10", "12"][k % 4]} *`, incr: `${m} ${h} 30 * *` }), // never: 31st vs 30th
  (m, h, k) => ({ full: `${m} ${h} 31 2,4 *`, incr: `${m} ${h} 30 2 *`, diff: `${m} ${h} 1-7 * ${k % 7}` }), // never fire at all
  (m, h, k) => ({ full: `${m % 7}/7 ${h} * * *`, incr: `${m % 11}/11 ${h}-23/${2 + (k % 5)} * * *` }), // steps that meet rarely or never
  (m, h, k) => ({ full: `${m} ${h % 7}/7 * * ${k % 7}`, incr: `${m} ${h % 11}/11 13 * *` }), // a weekday vs the 13th, stepped hours
  (m, h, k) => ({ full: `${m} ${h} 13 * 5`, incr: `${m} ${h} ${1 + (k % 28)} * ${(k + 3) % 7}` }), // dom OR dow on both sides
  (m, h, k) => ({ full: `${m} ${h} 1-31/3 * *`, incr: `${m} ${h} 2-31/3 * *`, diff: `${m} ${h} 3-31/3 * *` }), // disjoint days, same time
  (m, h, k) => ({ full: `${m} ${h} ? * ${["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"][k % 7]}`, incr: `${m} ${h} ? ${["JAN", "FEB", "MAR", "APR"][k % 4]}-DEC */2` }),
  (m, h, k) => ({ full: `${m} ${h} */2 * 1`, incr: `${m} ${h} 2-30/2 * 0` }), // v3: stepped star loses the star bit, so dom OR dow
  (m, h, k) => ({ full: `${m} ${h} 29,30 2 *`, incr: `${m},${(m + 1) % 60} ${h} 28 2 ${k % 7}` }),
];

/** Pathological CNPG schedules (6 fields, robfig v1): distinct per (s, m, h, k). */
const CNPG_WORST: ((s: number, m: number, h: number, k: number) => string)[] = [
  (s, m, h) => `${s} ${m} ${h} 29 2 *`, // every 4 years, 8 across 2100
  (s, m, h, k) => `${s} ${m} ${h} 31 ${["2,4", "4,6", "9,11", "2,4,6"][k % 4]} *`, // never fires
  (s, m, h, k) => `${s} ${m} ${h} */2 * ${k % 7}`, // v1 keeps the star bit: odd days AND one weekday
  (s, m, h, k) => `${s} ${m} ${h} 1-7 * ${k % 7}`, // no star bit: first week OR a weekday
  (s, m, h, k) => `${s} ${m % 7}/7 ${h}-23/${1 + (k % 11)} * * *`,
  (s, m, h, k) => `${s} ${m} ${h} *-5 ${1 + (k % 12)} ?`, // v1 ignores what follows `*-`
  (s, m, h, k) => `${s} ${m} ${h} ${1 + (k % 31)} ${["JAN", "FEB", "MAR", "APR", "MAY", "JUN"][k % 6]}-DEC/5 *`,
  (s, m, h, k) => `${s} ${m} ${h} 13 * ${["fri", "FRI", "Fri"][k % 3]}`, // 13th OR Friday
];

export function worstMix(count: number): Mix {
  const r = rng(7);
  const nss = namespaces(Math.max(4, Math.round(count / 4)), r);
  const docs: Json[] = [];
  const counts: Record<string, number> = { postgresql: 0, ScheduledBackup: 0 };
  for (let i = 0; i < count; i++) {
    const ns = nss[i % nss.length]!;
    const name = `${ns.team}-${APPS[i % APPS.length]}-${i.toString(36)}`;
    // Mixed-radix decoding of i: every resource gets its own combination (distinct schedule text).
    const j = Math.floor(i / 2);
    if (i % 2 === 0) {
      counts.postgresql!++;
      const family = CPO_WORST[j % CPO_WORST.length]!;
      const rest = Math.floor(j / CPO_WORST.length);
      const m = rest % 60;
      const h = Math.floor(rest / 60) % 24;
      const k = Math.floor(rest / 1440);
      const pair = family(m, h, k);
      // A second repo repeats the full at another hour: acrossRepos (prod) compares it too.
      const second: CpoSchedules = { full: pair.full!.replace(/^(\S+) (\S+)/, (_w, mm: string) => `${mm} ${(h + 12) % 24}`) };
      docs.push(postgresqlDoc(name, ns, k % 2 === 0 ? [pair, second] : [pair], r));
    } else {
      counts.ScheduledBackup!++;
      const family = CNPG_WORST[j % CNPG_WORST.length]!;
      const rest = Math.floor(j / CNPG_WORST.length);
      const s = rest % 60;
      const m = Math.floor(rest / 60) % 60;
      const h = Math.floor(rest / 3600) % 24;
      const k = Math.floor(rest / 86400) + (rest % 97);
      docs.push(scheduledDoc(`${name}-sched`, `${name}-db`, ns, family(s, m, h, k), r));
    }
  }
  return { name: "worst", input: documents(docs), inventory: inventoryFor(nss), policy: POLICY, counts };
}

export function mixByName(name: string, count: number): Mix {
  if (name === "bench") return benchMix(count);
  if (name === "realistic") return realisticMix(count);
  if (name === "worst") return worstMix(count);
  throw new Error(`unknown mix ${name} (bench, realistic, worst)`);
}
