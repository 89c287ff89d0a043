// Flux post-build placeholders (`${APP}`, `${RETENTION:=7}`) in valid manifests must never add a finding: a value that
// still holds one is judged after substitution, so a rule answers "not checked" (or judges what stays wrong whatever
// is substituted). sweep.ts replaces every string leaf of the upstream samples and of realistic GitOps manifests by
// placeholder variants and runs every rule on them with the recommended policy (evaluate, as the rule tests do; the
// realistic sets also through admit, defaults first, as validate does). Last, the cases of the rules fixed for it
// whose own test files live under test/operators/cnpg/rules and test/rules/schedule.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { Resource } from "../../src/engine/types.ts";
import { evaluate } from "../../src/engine/engine.ts";
import { resourceTypeOf } from "../../src/engine/resource.ts";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import { recommendedPolicy } from "../../src/policy/builtin.ts";
import { couldBecome, mayBeEqual } from "../../src/util/placeholder.ts";
import { rule as scheduleSyntax } from "../../src/rules/schedule/syntax.ts";
import { rule as neverFires } from "../../src/rules/schedule/never-fires.ts";
import { rule as tooFrequent } from "../../src/rules/schedule/too-frequent.ts";
import { rule as tooRare } from "../../src/rules/schedule/too-rare.ts";
import { rule as sixFields } from "../../src/operators/cnpg/rules/schedule-six-fields.ts";
import { rule as ownerReference } from "../../src/operators/cnpg/rules/backup-owner-reference.ts";
import { rule as cnpgArchiveTimeout } from "../../src/operators/cnpg/rules/archive-timeout-rpo.ts";
import { rule as methodMatchesCluster } from "../../src/operators/cnpg/rules/backup-method-matches-cluster.ts";
import { rule as walArchiveRequired } from "../../src/operators/cnpg/rules/wal-archive-required.ts";
import { rule as objectStoreExists } from "../../src/operators/cnpg/rules/object-store-exists.ts";
import { rule as snapshotClassExists } from "../../src/operators/cnpg/rules/snapshot-class-exists.ts";
import { rule as snapshotClassRequired } from "../../src/operators/cnpg/rules/snapshot-class-required.ts";
import { rule as walSnapshotClass } from "../../src/operators/cnpg/rules/wal-snapshot-class.ts";
import { rule as scheduledBackupNameLength } from "../../src/operators/cnpg/rules/scheduled-backup-name-length.ts";
import { rule as offlineSnapshotDowntime } from "../../src/operators/cnpg/rules/offline-snapshot-downtime.ts";
import { FIXED_NOW, ruleTester, runCase } from "../helpers/rule-tester.ts";
import { hasShared, sharedPath, SKIP_NO_SHARED, yamlFiles } from "../helpers/shared.ts";
import { MANIFESTS, edit } from "../operators/cpo/rules/manifests.ts";
import { CLUSTER_OBJECTS as CNPG_CLUSTER_OBJECTS, MANIFESTS as CNPG_MANIFESTS } from "../operators/cnpg/rules/manifests.ts";
import { CNPG_PLUGIN, CNPG_SNAPSHOTS, PGO } from "./manifests.ts";
import { describeFalsePositives, fileGroups, objectsOf, sweep, type Group, type SweepOptions } from "./sweep.ts";

const KUTTL_VARS: Record<string, string> = {
  KUTTL_PGCLUSTER_API_VERSION: "v1beta1",
  KUTTL_PG_VERSION: "17",
  KUTTL_PG_UPGRADE_FROM_VERSION: "16",
  KUTTL_PG_UPGRADE_TO_VERSION: "17",
};
const kuttl = (text: string) => text.replace(/\$\{(KUTTL_[A-Z_]+)\}/g, (m, k: string) => KUTTL_VARS[k] ?? m);

const secret = (name: string): Resource => ({ apiVersion: "v1", kind: "Secret", metadata: { name }, data: { "s3.conf": "" } }) as Resource;

const REALISTIC: Group[] = [
  ...Object.entries(MANIFESTS).map(([name, yaml]) => ({
    name: `cpo/${name}`,
    objects: [parse(yaml) as Resource],
    extra: [secret("orders-db-pgbackrest"), secret("keycloak-pg-pgbackrest")],
  })),
  // The CNPG rule tests' GitOps repository, checked as a whole.
  { name: "cnpg/gitops", objects: Object.values(CNPG_MANIFESTS).map((y) => parse(y) as Resource), extra: CNPG_CLUSTER_OBJECTS },
  { name: "cnpg/plugin", objects: CNPG_PLUGIN },
  { name: "cnpg/snapshots", objects: CNPG_SNAPSHOTS },
  { name: "pgo", objects: PGO },
];

/** The sample directories: one group per file, or one for the whole directory (its files refer to each other). */
const SAMPLES: { name: string; dir: string; rewrite?: (text: string) => string; oneGroup?: boolean }[] = [
  { name: "CNPG samples", dir: "upstream/cnpg/samples" },
  { name: "CNPG barman-cloud plugin examples", dir: "upstream/cnpg/plugin-barman-cloud-examples", oneGroup: true },
  { name: "CPO samples", dir: "upstream/cpo/samples" },
  { name: "PGO samples", dir: "upstream/pgo/samples", rewrite: kuttl },
];

/**
 * The sample groups of a directory. With `oneGroup`, the files go together, except that a file naming an object
 * another file already names (cluster-example.yaml and cluster-example-legacy.yaml) starts another group: two objects
 * of one name cannot both exist, and the lookups would see only one of them.
 */
function sampleGroups(s: (typeof SAMPLES)[number]): Group[] {
  const dir = sharedPath(...s.dir.split("/"));
  if (!s.oneGroup) return fileGroups(dir, s.rewrite);
  const groups: { group: Group; names: Set<string> }[] = [];
  for (const file of yamlFiles(dir)) {
    const objects = objectsOf(readFileSync(file, "utf8"));
    const keys = objects.map((o) => `${o.kind}/${String(o.metadata.namespace)}/${String(o.metadata.name)}`);
    let g = groups.find((x) => keys.every((k) => !x.names.has(k)));
    if (!g) groups.push((g = { group: { name: `${s.dir} (${groups.length + 1})`, objects: [] }, names: new Set() }));
    g.group.objects.push(...objects);
    for (const k of keys) g.names.add(k);
  }
  return groups.map((x) => x.group);
}

function assertNone(groups: Group[], options: SweepOptions = {}): void {
  const started = performance.now();
  const { falsePositives, variants } = sweep(groups, recommendedPolicy(), options);
  const ms = Math.round(performance.now() - started);
  console.log(`${groups.length} groups, ${variants} variants, ${falsePositives.length} false positives, ${ms} ms`);
  assert.equal(falsePositives.length, 0, describeFalsePositives(falsePositives));
}

describe("the sweep itself", () => {
  it("finds a rule that judges a placeholder as written", () => {
    // backupOwnerReference as the rule read it before placeholders were handled.
    const naive = {
      ...ownerReference,
      check: (r: Resource) => (["self", "cluster"].includes((r.spec as Obj | undefined)?.backupOwnerReference) ? [] : [{ path: "spec.backupOwnerReference", message: "not self or cluster" }]),
    };
    const { falsePositives } = sweep([{ name: "cnpg/plugin", objects: CNPG_PLUGIN }], recommendedPolicy(), { rules: [naive as never] });
    assert.deepEqual([...new Set(falsePositives.map((f) => `${f.path} = ${f.value}`))].sort(), [
      "spec.backupOwnerReference = ${VAR:=self}",
      "spec.backupOwnerReference = ${VAR}",
    ]);
  });
});

describe("placeholders in valid manifests add no finding", () => {
  it("the realistic manifests pass every rule as written", () => {
    for (const g of REALISTIC) {
      const lookups = new InventoryLookups([...g.objects, ...(g.extra ?? [])]);
      for (const o of g.objects.filter((x) => resourceTypeOf(x))) {
        const e = evaluate(o, { policy: recommendedPolicy(), lookups, now: FIXED_NOW });
        assert.deepEqual(e.findings, [], `${g.name} ${o.kind}`);
      }
    }
  });
  it("realistic GitOps manifests", () => assertNone(REALISTIC, { everyRun: true }));
  it("realistic GitOps manifests, defaulted first (admit, as validate does)", () => assertNone(REALISTIC, { everyRun: true, withDefaults: true }));
  it("realistic GitOps manifests: numbers and booleans", () => assertNone(REALISTIC, { kind: "scalars" }));
  for (const s of SAMPLES) {
    it(s.name, (t) => {
      if (!hasShared) {
        t.skip(SKIP_NO_SHARED);
        return;
      }
      const groups = sampleGroups(s);
      assertNone(groups);
      assertNone(groups, { kind: "scalars" });
    });
  }
});

// A defaulter cannot know what a placeholder becomes, so it leaves such a value alone (pgo-schedules skips a repo
// named `${REPO}`; cnpg-backup-method cannot find a Cluster named by a placeholder) and the rule that the default would
// have satisfied answers not checked instead (pgo-full-schedule-required, pgo-repo-schedule-missing,
// cnpg-backup-method-explicit).
describe("placeholders in valid samples, defaulted first (admit, as validate does)", () => {
  it("CNPG and PGO samples", (t) => {
    if (!hasShared) {
      t.skip(SKIP_NO_SHARED);
      return;
    }
    assertNone([...sampleGroups(SAMPLES[0]!), ...sampleGroups(SAMPLES[3]!)], { withDefaults: true });
  });
});

// The rules fixed for placeholders whose test files are not edited here (test/operators/cnpg/rules/** and
// test/rules/schedule/** are restructured elsewhere): each one's not-checked answer on a placeholder, and what still
// stays wrong whatever is substituted.

type Obj = Record<string, any>;

/** One object of a realistic set, copied, with `change` applied to it. */
function from(set: Resource[], kind: string, change: (o: Obj) => void = () => {}): Resource {
  const o = structuredClone(set.find((x) => x.kind === kind)!) as Obj;
  change(o);
  return o as Resource;
}
/** The realistic set with the object of `kind` changed: the lookups of a case. */
function setWith(set: Resource[], kind: string, change: (o: Obj) => void): Resource[] {
  return set.map((x) => (x.kind === kind ? from(set, kind, change) : x));
}

const cpoWith = (full: string) => edit(MANIFESTS.KEYCLOAK, ({ repos }) => ((repos[0]!.schedule as Obj).full = full));

ruleTester(scheduleSyntax, {
  valid: [
    { name: "a CNPG schedule from a Flux placeholder", notChecked: true, resource: from(CNPG_PLUGIN, "ScheduledBackup", (o) => (o.spec.schedule = "${BACKUP_SCHEDULE}")) },
    { name: "a CNPG schedule with a placeholder field", notChecked: true, resource: from(CNPG_PLUGIN, "ScheduledBackup", (o) => (o.spec.schedule = "0 ${MINUTE} 2 * * *")) },
    { name: "a CPO full schedule with a default", notChecked: true, resource: cpoWith("${FULL_SCHEDULE:=0 1 * * *}") },
  ],
  invalid: [{ name: "CNPG 5-field with 0 in the month field, no placeholder", resource: from(CNPG_PLUGIN, "ScheduledBackup", (o) => (o.spec.schedule = "0 1 * * 0")), problems: [{ path: "spec.schedule" }] }],
});

ruleTester(neverFires, {
  valid: [{ name: "a placeholder schedule", notChecked: true, resource: from(CNPG_PLUGIN, "ScheduledBackup", (o) => (o.spec.schedule = "0 0 0 ${DAY} 2 *")) }],
  invalid: [{ name: "February 30", resource: from(CNPG_PLUGIN, "ScheduledBackup", (o) => (o.spec.schedule = "0 0 0 30 2 *")), problems: [{ path: "spec.schedule", message: "never fires" }] }],
});

ruleTester(tooFrequent, {
  valid: [
    { name: "a CNPG placeholder schedule", notChecked: true, resource: from(CNPG_PLUGIN, "ScheduledBackup", (o) => (o.spec.schedule = "${BACKUP_SCHEDULE}")) },
    { name: "a CPO placeholder full schedule", notChecked: true, resource: cpoWith("${FULL_SCHEDULE}") },
  ],
  invalid: [{ name: "every minute", resource: from(CNPG_PLUGIN, "ScheduledBackup", (o) => (o.spec.schedule = "0 * * * * *")), problems: [{ path: "spec.schedule" }] }],
});

ruleTester(tooRare, {
  valid: [{ name: "a CNPG placeholder schedule", notChecked: true, resource: from(CNPG_PLUGIN, "ScheduledBackup", (o) => (o.spec.schedule = "${BACKUP_SCHEDULE}")) }],
  invalid: [{ name: "monthly", resource: from(CNPG_PLUGIN, "ScheduledBackup", (o) => (o.spec.schedule = "0 0 0 1 * *")), problems: [{ path: "spec.schedule" }] }],
});

ruleTester(sixFields, {
  valid: [
    { name: "a placeholder schedule", notChecked: true, resource: from(CNPG_PLUGIN, "ScheduledBackup", (o) => (o.spec.schedule = "${BACKUP_SCHEDULE}")) },
    { name: "five fields as written, one a placeholder (it may hold two)", notChecked: true, resource: from(CNPG_PLUGIN, "ScheduledBackup", (o) => (o.spec.schedule = "${TIME} 2 * * *")) },
  ],
  invalid: [{ name: "five fields", resource: from(CNPG_PLUGIN, "ScheduledBackup", (o) => (o.spec.schedule = "0 1 * * *")), problems: [{ path: "spec.schedule", message: "has 5 fields" }] }],
});

describe("a placeholder schedule: every schedule rule gives the same reason", () => {
  it("schedule-syntax, -never-fires, -too-frequent, -too-rare and cnpg-schedule-six-fields", () => {
    const resource = from(CNPG_PLUGIN, "ScheduledBackup", (o) => (o.spec.schedule = "${BACKUP_SCHEDULE}"));
    const answers = [scheduleSyntax, neverFires, tooFrequent, tooRare, sixFields].map((r) => runCase(r as never, { resource }));
    for (const a of answers) {
      assert.equal(a.length, 1, JSON.stringify(a));
      assert.ok(a[0]!.notChecked);
      assert.equal(a[0]!.path, "spec.schedule");
    }
    assert.equal(new Set(answers.map((a) => a[0]!.message)).size, 1, JSON.stringify(answers));
    assert.match(answers[0]![0]!.message, /^the schedule "\$\{BACKUP_SCHEDULE\}" contains the unresolved placeholder \$\{BACKUP_SCHEDULE\}/);
  });
});

ruleTester(ownerReference, {
  valid: [{ name: "from a placeholder with a default", notChecked: true, resource: from(CNPG_PLUGIN, "ScheduledBackup", (o) => (o.spec.backupOwnerReference = "${OWNER:=self}")) }],
  invalid: [
    { name: "a placeholder that can only give none", resource: from(CNPG_PLUGIN, "ScheduledBackup", (o) => (o.spec.backupOwnerReference = "n${O}ne")), problems: [{ message: 'is "n${O}ne"' }] },
  ],
});

ruleTester(cnpgArchiveTimeout, {
  valid: [{ name: "from a placeholder", notChecked: true, resource: from(CNPG_PLUGIN, "Cluster", (o) => (o.spec.postgresql.parameters.archive_timeout = "${ARCHIVE_TIMEOUT:=5min}")) }],
  invalid: [{ name: "30min", resource: from(CNPG_PLUGIN, "Cluster", (o) => (o.spec.postgresql.parameters.archive_timeout = "30min")), problems: [{ path: "spec.postgresql.parameters.archive_timeout" }] }],
});

ruleTester(methodMatchesCluster, {
  valid: [
    {
      name: "the Backup's plugin name is a placeholder",
      notChecked: true,
      resource: from(CNPG_PLUGIN, "Backup", (o) => (o.spec.pluginConfiguration.name = "${BACKUP_PLUGIN}")),
      lookups: CNPG_PLUGIN,
    },
    {
      name: "the Cluster's plugin name is a placeholder",
      notChecked: true,
      resource: from(CNPG_PLUGIN, "Backup"),
      lookups: setWith(CNPG_PLUGIN, "Cluster", (o) => (o.spec.plugins[0].name = "${BARMAN_PLUGIN:=barman-cloud.cloudnative-pg.io}")),
    },
  ],
  invalid: [
    {
      name: "a placeholder that can never give the Cluster's plugin",
      resource: from(CNPG_PLUGIN, "Backup", (o) => (o.spec.pluginConfiguration.name = "${VENDOR}.example.com")),
      lookups: CNPG_PLUGIN,
      problems: [{ path: "spec.pluginConfiguration.name", message: "is not enabled" }],
    },
  ],
});

ruleTester(walArchiveRequired, {
  valid: [{ name: "isWALArchiver from a placeholder", notChecked: true, resource: from(CNPG_PLUGIN, "Cluster", (o) => (o.spec.plugins[0].isWALArchiver = "${WAL_ARCHIVER}")) }],
  invalid: [{ name: "isWALArchiver unset", resource: from(CNPG_PLUGIN, "Cluster", (o) => delete o.spec.plugins[0].isWALArchiver), problems: [{ message: "no plugin of the Cluster is marked" }] }],
});

ruleTester(objectStoreExists, {
  valid: [
    {
      name: "the only ObjectStore is named by a placeholder that can give the name",
      notChecked: true,
      resource: from(CNPG_PLUGIN, "Cluster"),
      lookups: setWith(CNPG_PLUGIN, "ObjectStore", (o) => (o.metadata.name = "${TEAM}-store")),
    },
  ],
  invalid: [
    {
      name: "a placeholder name that can never give orders-store",
      resource: from(CNPG_PLUGIN, "Cluster"),
      lookups: setWith(CNPG_PLUGIN, "ObjectStore", (o) => (o.metadata.name = "${TEAM}-archive")),
      problems: [{ message: 'ObjectStore "orders-store" is not among the known objects' }],
    },
  ],
});

ruleTester(snapshotClassExists, {
  valid: [
    {
      name: "the VolumeSnapshotClass is named by a placeholder",
      notChecked: true,
      resource: from(CNPG_SNAPSHOTS, "Cluster"),
      lookups: setWith(CNPG_SNAPSHOTS, "VolumeSnapshotClass", (o) => (o.metadata.name = "${CSI}-snapclass")),
    },
  ],
  invalid: [
    {
      name: "no class can have the name",
      resource: from(CNPG_SNAPSHOTS, "Cluster"),
      lookups: setWith(CNPG_SNAPSHOTS, "VolumeSnapshotClass", (o) => (o.metadata.name = "${CSI}-other")),
      problems: [{ path: "spec.backup.volumeSnapshot.className" }],
    },
  ],
});

const driver = (d: string) => setWith(CNPG_SNAPSHOTS, "VolumeSnapshotClass", (o) => (o.driver = d));

ruleTester(snapshotClassRequired, {
  valid: [{ name: "className's driver is a placeholder", notChecked: true, resource: from(CNPG_SNAPSHOTS, "Cluster"), lookups: driver("${CSI_DRIVER}") }],
  invalid: [
    {
      name: "className's driver can never be the volume's",
      resource: from(CNPG_SNAPSHOTS, "Cluster"),
      lookups: driver("${CLOUD}.ebs.csi.aws.com"),
      problems: [{ path: "spec.backup.volumeSnapshot.walClassName", message: "is on CSI driver hostpath.csi.k8s.io" }],
    },
  ],
});

ruleTester(walSnapshotClass, {
  valid: [{ name: "className's driver is a placeholder", notChecked: true, resource: from(CNPG_SNAPSHOTS, "ScheduledBackup"), lookups: driver("${CSI_DRIVER}") }],
  invalid: [
    {
      name: "className's driver can never be the WAL volume's",
      resource: from(CNPG_SNAPSHOTS, "ScheduledBackup"),
      lookups: driver("${CLOUD}.ebs.csi.aws.com"),
      problems: [{ path: "spec.cluster.name", message: "will not complete" }],
    },
  ],
});

ruleTester(scheduledBackupNameLength, {
  valid: [
    {
      name: "longer than 48 as written, 42 around the placeholder",
      notChecked: true,
      resource: from(CNPG_SNAPSHOTS, "ScheduledBackup", (o) => (o.metadata.name = "${APP}-db-production-eu-central-1-nightly-snapshot")),
    },
  ],
  invalid: [
    {
      name: "what is written around the placeholder is already too long",
      resource: from(CNPG_SNAPSHOTS, "ScheduledBackup", (o) => (o.metadata.name = "${APP}-orders-db-production-eu-central-1-nightly-snapshot")),
      problems: [{ path: "metadata.name", message: "at most 48 characters" }],
    },
  ],
});

describe("cnpg-offline-snapshot-downtime", () => {
  it("a cold ScheduledBackup of a Cluster named by a placeholder: not checked, for the placeholder", () => {
    const resource = from(CNPG_SNAPSHOTS, "ScheduledBackup", (o) => {
      o.spec.online = false;
      o.spec.cluster.name = "${APP}-pg";
    });
    const problems = runCase(offlineSnapshotDowntime, { resource, lookups: CNPG_SNAPSHOTS });
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.ok(problems[0]!.notChecked);
    assert.match(problems[0]!.message, /unresolved placeholder \$\{APP\}/);
  });
});

describe("couldBecome and mayBeEqual", () => {
  it("match a placeholder as any text, the rest literally", () => {
    const cases: [string, string, boolean][] = [
      ["${X}", "s3", true],
      ["repo${N}", "repo2", true],
      ["${N}1", "repo1", true],
      ["${N}d", "7", false],
      ["x${X}", "s3", false],
      ["${A}-${B}", "a-b", true],
      ["${A}-${B}", "ab", false],
      ["a${A}a", "a", false],
      ["${X:=self}", "self", true],
      ["${A}b${B}b", "b", false],
      ["plain", "plain", true],
      ["${unclosed", "${unclosed", true],
    ];
    for (const [value, candidate, want] of cases) assert.equal(couldBecome(value, candidate), want, `${value} -> ${candidate}`);
    assert.ok(mayBeEqual("${A}", "${B}-x"));
    assert.ok(!mayBeEqual("a", "b"));
  });
});
