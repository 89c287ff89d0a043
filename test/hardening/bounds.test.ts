// Rules and defaults stay linear (or bounded by what the operator's CRD allows) on large objects (issue 12, "One
// request can stall every other one"). Each case asserts the result on an object of the size that stalled the
// webhook before (thousands of CPO repos: 5.4 s; 200 repos with acrossRepos: 2.3 s; 60,000 parameters in /mutate:
// 2.4 s; 60,000 restore options: 0.7 s). The fixed code takes well under 0.5 s on each; the 10 s timeout fails a
// quadratic regression without depending on the machine's speed. Timings: bench/adversarial.ts, bench/RESULTS.md.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Problem, Resource } from "../../src/engine/types.ts";
import { evaluate } from "../../src/engine/engine.ts";
import { findRule } from "../../src/rules/index.ts";
import { MAX_LISTED } from "../../src/rules/util.ts";
import { MAX_REPOS } from "../../src/operators/cpo/model.ts";
import { recommendedPolicy } from "../../src/policy/builtin.ts";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import { mutateRequest, validate, type HandlerDeps } from "../../src/webhook/handler.ts";
import { fixedProvider } from "../../src/webhook/policy-holder.ts";
import { runCase } from "../helpers/rule-tester.ts";

const T = { timeout: 10_000 };

const rule = (id: string) => {
  const r = findRule(id);
  assert.ok(r, id);
  return r;
};

function repo(i: number): Record<string, unknown> {
  return {
    name: `repo${i + 1}`,
    storage: "s3",
    resource: `bucket-${i}`,
    endpoint: "https://s3.example.com",
    region: "eu-1",
    schedule: { full: `${i % 60} ${(i * 7) % 24} * * *`, incr: `${(i + 3) % 60} * * * *`, diff: `${(i + 5) % 60} ${i % 24} * * ${i % 7}` },
  };
}

function cpo(pgbackrest: Record<string, unknown>, extra: Record<string, unknown> = {}): Resource {
  return {
    apiVersion: "cpo.opensource.cybertec.at/v1",
    kind: "postgresql",
    metadata: { name: "acid", namespace: "db" },
    spec: { teamId: "acid", numberOfInstances: 2, ...extra, backup: { pgbackrest: { image: "pgbackrest:18", ...pgbackrest } } },
  };
}

function cluster(spec: Record<string, unknown>): Resource {
  return {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "Cluster",
    metadata: { name: "pg", namespace: "db" },
    spec: { instances: 3, storage: { size: "10Gi" }, plugins: [{ name: "barman-cloud.cloudnative-pg.io", isWALArchiver: true, parameters: { barmanObjectName: "s" } }], ...spec },
  };
}

function map(n: number, entry: (i: number) => [string, unknown]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const [k, v] = entry(i);
    out[k] = v;
  }
  return out;
}

const lookups = () =>
  new InventoryLookups([{ apiVersion: "v1", kind: "Namespace", metadata: { name: "db" } }], {
    known: ["VolumeSnapshotClass", "StorageClass", "ObjectStore", "Cluster", "ScheduledBackup", "Namespace", "CpoCluster"],
  });

function deps(policy = recommendedPolicy()): HandlerDeps {
  return { policies: fixedProvider(policy), lookups: lookups(), lookupFailure: "deny", now: () => new Date("2026-12-01T12:00:00Z") };
}

function review(object: Resource): any {
  const [group, version] = object.apiVersion.split("/");
  return {
    uid: "u1",
    kind: { group, version, kind: object.kind },
    resource: { group, version, resource: "x" },
    namespace: "db",
    name: object.metadata.name,
    operation: "CREATE",
    userInfo: { username: "t" },
    object,
  };
}

const repoIndex = (path: string) => Number(/repos\[(\d+)\]/.exec(path)?.[1] ?? -1);

describe("CPO: thousands of repos (was 5.4 s in /validate)", () => {
  const many = cpo({ repos: Array.from({ length: 20_000 }, (_, i) => repo(i)) });

  it("the whole evaluation denies the list for its length and judges only repo1..repo4", T, () => {
    const e = evaluate(many, { policy: recommendedPolicy(), lookups: lookups(), now: new Date("2026-12-01T12:00:00Z") });
    assert.equal(e.allowed, false);
    const names = e.findings.find((f) => f.rule === "cpo-repo-names" && f.path === "spec.backup.pgbackrest.repos");
    assert.ok(names, JSON.stringify(e.findings.map((f) => f.rule)));
    assert.equal(names.action, "deny");
    assert.match(names.message, /repos has 20000 entries/);
    assert.match(names.message, /not checked by the other rules/);
    // No rule reads entries after the 4th.
    const beyond = e.findings.filter((f) => repoIndex(f.path) >= MAX_REPOS);
    assert.deepEqual(beyond, []);
  });

  it("through /validate: denied, the message names cpo-repo-names", T, () => {
    const d = validate(review(many), deps());
    assert.equal(d.decision, "denied");
    assert.match(d.response.status?.message ?? "", /cpo-repo-names/);
  });

  it("thousands of repos all named repo1: cpo-repo-storage-fields and cpo-repos-required look at 4 of them", T, () => {
    const same = cpo({ repos: Array.from({ length: 20_000 }, (_, i) => ({ ...repo(i), name: "repo1", storage: i % 2 ? "s3" : "tape" })) });
    const required = runCase(rule("cpo-repos-required"), { resource: same });
    // repos[0] and repos[2] have an unknown storage; entries after the 4th are not read.
    assert.deepEqual(required.map((p) => p.path), ["spec.backup.pgbackrest.repos[0].storage", "spec.backup.pgbackrest.repos[2].storage"]);
    const storage = runCase(rule("cpo-repo-storage-fields"), { resource: same });
    assert.ok(storage.every((p) => repoIndex(p.path) < MAX_REPOS), JSON.stringify(storage.map((p) => p.path)));
  });

  it("schedule rules see the schedules of repo1..repo4 only", T, () => {
    const bad = cpo({ repos: Array.from({ length: 20_000 }, (_, i) => ({ ...repo(i), schedule: { full: "not a cron" } })) });
    const problems = runCase(rule("schedule-syntax"), { resource: bad });
    assert.deepEqual(
      problems.map((p) => p.path),
      [0, 1, 2, 3].map((i) => `spec.backup.pgbackrest.repos[${i}].schedule.full`),
    );
  });
});

describe("CPO: acrossRepos with 200 repos (was 2.3 s)", () => {
  it("cpo-schedule-collision compares repo1..repo4 only and still finds their collision", T, () => {
    // repo1 and repo2 run full backups at the same minute; every later repo too.
    const repos = Array.from({ length: 200 }, (_, i) => ({ ...repo(i), schedule: { full: "30 2 * * *" } }));
    const problems = runCase(rule("cpo-schedule-collision"), { resource: cpo({ repos }), params: { acrossRepos: true } });
    assert.ok(problems.length > 0, "the collision between repo1..repo4 is still reported");
    assert.ok(problems.every((p) => repoIndex(p.path) < MAX_REPOS), JSON.stringify(problems.map((p) => p.path)));
  });
});

describe("/mutate with 60,000 parameters (was 2.4 s)", () => {
  it("CPO: the archive_timeout default is injected once, nothing else changes", T, () => {
    const r = cpo({ repos: [repo(0)], global: { "repo1-retention-full": "7" } }, { postgresql: { version: "17", parameters: map(60_000, (i) => [`p${i}`, String(i)]) } });
    const d = mutateRequest(review(r), deps());
    const ops = (d.response.patch ? JSON.parse(Buffer.from(d.response.patch, "base64").toString()) : []) as { path: string }[];
    assert.ok(ops.length < 10, `${ops.length} patch operations`);
    assert.ok(ops.every((o) => !/\/parameters\/p\d+$/.test(o.path)), "no user parameter is rewritten");
  });

  it("CNPG: the same for a Cluster", T, () => {
    const r = cluster({ postgresql: { parameters: map(60_000, (i) => [`p${i}`, String(i)]) } });
    const d = mutateRequest(review(r), deps());
    const ops = (d.response.patch ? JSON.parse(Buffer.from(d.response.patch, "base64").toString()) : []) as { path: string }[];
    assert.ok(ops.length < 10, `${ops.length} patch operations`);
  });
});

/** The listed problems of a bounded rule: MAX_LISTED of them and one that counts the rest. */
function assertBounded(problems: Problem[], total: number, path: string): void {
  const listed = problems.filter((p) => p.path !== path);
  assert.ok(listed.length <= MAX_LISTED, `${listed.length} listed`);
  const summary = problems.find((p) => p.path === path && /more/.test(p.message));
  assert.ok(summary, JSON.stringify(problems.slice(-2)));
  assert.match(summary.message, new RegExp(`^${total - MAX_LISTED} more `));
}

describe("maps with tens of thousands of bad keys: the first 20 are listed, the rest counted (never a silent pass)", () => {
  it("cpo-restore-options-safe: 60,000 unknown restore options (was 0.7 s)", T, () => {
    const r = cpo({ repos: [repo(0)], restore: { id: "1", repo: "repo1", options: map(60_000, (i) => [`opt-${i}`, "v"]) } });
    const problems = runCase(rule("cpo-restore-options-safe"), { resource: r });
    assertBounded(problems, 60_000, "spec.backup.pgbackrest.restore.options");
    assert.match(problems[0]!.message, /"opt-0" is not a pgBackRest restore option/);
  });

  it("cpo-restore-options-safe: 60,000 global keys with line breaks", T, () => {
    const r = cpo({ repos: [repo(0)], global: map(60_000, (i) => [`repo1-x${i}`, "a\nb"]) });
    const problems = runCase(rule("cpo-restore-options-safe"), { resource: r });
    assertBounded(problems, 60_000, "spec.backup.pgbackrest.global");
  });

  it("cnpg-backup-plugin-parameters: 60,000 parameters on a ScheduledBackup", T, () => {
    const sb: Resource = {
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "ScheduledBackup",
      metadata: { name: "daily", namespace: "db" },
      spec: { schedule: "0 0 2 * * *", cluster: { name: "pg" }, method: "plugin", pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io", parameters: map(60_000, (i) => [`p${i}`, "v"]) } },
    };
    const problems = runCase(rule("cnpg-backup-plugin-parameters"), { resource: sb });
    assertBounded(problems, 60_000, "spec.pluginConfiguration.parameters");
    assert.match(problems[0]!.message, /^p0: "v" is ignored/);
  });

  it("cnpg-snapshot-class-exists: 50,000 tablespaceClassName entries naming missing classes", T, () => {
    const r = cluster({ backup: { volumeSnapshot: { className: "csi", tablespaceClassName: map(50_000, (i) => [`ts${i}`, `vsc-${i}`]) } } });
    const vsc = { apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "csi" }, driver: "d", deletionPolicy: "Delete" } as Resource;
    const problems = runCase(rule("cnpg-snapshot-class-exists"), { resource: r, lookups: [vsc] });
    assertBounded(problems, 50_000, "spec.backup.volumeSnapshot.tablespaceClassName");
    assert.equal(problems[0]!.path, "spec.backup.volumeSnapshot.tablespaceClassName.ts0");
  });

  it("cnpg-snapshot-class-required: 20,000 tablespaces on drivers without a default class", T, () => {
    const r = cluster({
      storage: { size: "1Gi", storageClass: "sc-a" },
      tablespaces: Array.from({ length: 20_000 }, (_, i) => ({ name: `ts${i}`, storage: { size: "1Gi", storageClass: `sc-${i}` } })),
      backup: { volumeSnapshot: {} },
    });
    const objects: Resource[] = [
      { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "sc-a" }, provisioner: "a" } as Resource,
      ...Array.from({ length: 20_000 }, (_, i) => ({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: `sc-${i}` }, provisioner: `d${i}` }) as Resource),
      { apiVersion: "snapshot.storage.k8s.io/v1", kind: "VolumeSnapshotClass", metadata: { name: "va", annotations: { "snapshot.storage.kubernetes.io/is-default-class": "true" } }, driver: "a", deletionPolicy: "Delete" } as Resource,
    ];
    const problems = runCase(rule("cnpg-snapshot-class-required"), { resource: r, lookups: objects });
    // PGDATA has its driver's one default class; every tablespace fails on its own driver: 20 listed, the rest counted.
    assertBounded(problems, 20_000, "spec.backup.volumeSnapshot.tablespaceClassName");
    assert.equal(problems[0]!.path, "spec.backup.volumeSnapshot.tablespaceClassName.ts0");
  });
});
