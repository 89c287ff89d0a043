// End to end through main(), in-process: exit codes, formats, inputs, user errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./run.ts";
import { checkXml } from "../report/fixture.ts";

const BARE_CLUSTER = "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\n  namespace: db\nspec:\n  instances: 3\n";
const CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n";

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "pgbg-cli-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

test("examples/ validates with exit 0 (CI runs exactly this)", async () => {
  const r = await run(["validate", "examples/"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /0 denied/);
});

test("docs/examples/broken/ is denied with exit 1", async () => {
  const r = await run(["validate", "docs/examples/broken/"]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
});

test("stdin: a denied Cluster exits 1; json has the documented shape with file lines", async () => {
  const r = await run(["validate", "-", "--format", "json"], { stdin: `${CONFIGMAP}---\n${BARE_CLUSTER}` });
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.summary, { resources: 1, denied: 1, warned: 0 });
  const [res] = out.results;
  assert.deepEqual(
    { source: res.source, line: res.line, kind: res.kind, namespace: res.namespace, name: res.name, allowed: res.allowed },
    { source: "<stdin>", line: 6, kind: "Cluster", namespace: "db", name: "pg", allowed: false },
  );
  // One problem, one finding: no backup configuration at all is cnpg-backup-required's alone.
  assert.deepEqual(
    res.findings.filter((f: { action: string }) => f.action === "deny").map((f: { rule: string }) => f.rule),
    ["cnpg-backup-required"],
  );
});

test("only non-covered kinds: exit 0, nothing reported", async () => {
  const r = await run(["validate", "-", "--format", "json"], { stdin: CONFIGMAP });
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.stdout), { summary: { resources: 0, denied: 0, warned: 0 }, results: [] });
});

test("directories and kubectl List output", async () => {
  const list = `apiVersion: v1\nkind: List\nitems:\n- ${BARE_CLUSTER.trimEnd().replace(/\n/g, "\n  ")}\n`;
  const dir = tempDir({ "b/list.yaml": list, "a.yaml": CONFIGMAP, "values.yaml": "replicaCount: 1\n", "kustomization.yaml": "resources: [a.yaml]\n" });
  try {
    const r = await run(["validate", dir, "--format", "json"]);
    assert.equal(r.code, 1, r.stderr);
    const res = JSON.parse(r.stdout).results;
    assert.equal(res.length, 1);
    assert.equal(res[0].source, join(dir, "b/list.yaml"));
    assert.equal(res[0].line, 4);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("malformed YAML: exit 2 naming file:line:col", async () => {
  const dir = tempDir({ "bad.yaml": "apiVersion: v1\nkind: A\nspec: [1, 2\nnext: x\n" });
  try {
    const r = await run(["validate", join(dir, "bad.yaml")]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`${join(dir, "bad.yaml").replace(/[.]/g, "\\.")}:\\d+:\\d+: `));
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("usage errors exit 2 with one line and a hint, never a stack trace", async () => {
  for (const argv of [
    ["validate", "--nope", "x.yaml"],
    ["validate"],
    ["validate", "x.yaml", "--format", "xml"],
    ["frobnicate"],
    ["validate", "/nonexistent/x.yaml"],
    ["explain"],
    ["schedule", "* * * * *"],
  ]) {
    const r = await run(argv);
    assert.equal(r.code, 2, `${argv.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /^pg-backup-guard: /, argv.join(" "));
    assert.doesNotMatch(r.stderr, /\n\s+at /, argv.join(" "));
  }
  const r = await run(["validate", "--nope", "x.yaml"]);
  assert.equal(r.stderr, `pg-backup-guard: Unknown option '--nope'\nRun "pg-backup-guard validate --help" for usage.\n`);
});

test("--help and --version", async () => {
  for (const cmd of ["validate", "mutate", "rules", "explain", "schedule"]) {
    const r = await run([cmd, "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, new RegExp(`^Usage: pg-backup-guard ${cmd}`));
  }
  assert.match((await run(["--help"])).stdout, /Commands:/);
  assert.match((await run(["--version"])).stdout, /^\d+\.\d+\.\d+/);
});

test("every format produces valid output", async () => {
  const stdin = BARE_CLUSTER;
  const json = await run(["validate", "-", "-o", "json"], { stdin });
  assert.ok(JSON.parse(json.stdout).results);
  const sarif = JSON.parse((await run(["validate", "-", "--format", "sarif"], { stdin })).stdout);
  assert.equal(sarif.version, "2.1.0");
  // The finding is about the missing spec.backup: it points at `spec:` (line 6), not at the resource's first line.
  assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine, 6);
  checkXml((await run(["validate", "-", "--format", "junit"], { stdin })).stdout);
  const gh = await run(["validate", "-", "--format", "github"], { stdin });
  assert.match(gh.stdout, /^::error file=<stdin>,line=6,title=/m);
  assert.equal(gh.code, 1);
  const text = await run(["validate", "-"], { stdin });
  assert.match(text.stdout, /^<stdin>:1  Cluster db\/pg  denied$/m);
});

test("colour only on a TTY without NO_COLOR", async () => {
  const stdin = BARE_CLUSTER;
  assert.match((await run(["validate", "-"], { stdin, isTTY: true })).stdout, /\u001b\[/);
  assert.doesNotMatch((await run(["validate", "-"], { stdin, isTTY: true, env: { NO_COLOR: "1" } })).stdout, /\u001b\[/);
  assert.doesNotMatch((await run(["validate", "-"], { stdin, isTTY: false })).stdout, /\u001b\[/);
});

test("--lookup objects count as existing but are not validated", async () => {
  const cluster = BARE_CLUSTER.replace(
    "  instances: 3\n",
    "  instances: 3\n  plugins:\n  - name: barman-cloud.cloudnative-pg.io\n    isWALArchiver: true\n    parameters: {barmanObjectName: s3}\n",
  );
  const store = "apiVersion: barmancloud.cnpg.io/v1\nkind: ObjectStore\nmetadata: {name: s3, namespace: db}\nspec: {}\n";
  const other = store.replace("name: s3", "name: other");
  const dir = tempDir({ "store.yaml": store, "other.yaml": other });
  try {
    const missing = await run(["validate", "-", "--lookup", join(dir, "other.yaml"), "-o", "json"], { stdin: cluster });
    const rules = (out: string) => JSON.parse(out).results.flatMap((r: { findings: { rule: string }[] }) => r.findings.map((f) => f.rule));
    assert.ok(rules(missing.stdout).includes("cnpg-object-store-exists"), missing.stdout);
    const found = await run(["validate", "-", "--lookup", join(dir, "store.yaml"), "-o", "json"], { stdin: cluster });
    assert.ok(!rules(found.stdout).includes("cnpg-object-store-exists"));
    // The ObjectStore has no retentionPolicy, but lookups are inventory: only the Cluster is reported.
    assert.equal(JSON.parse(found.stdout).results.length, 1);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("rules lists every rule; explain shows docs; an unknown id suggests one", async () => {
  const rules = await run(["rules"]);
  assert.equal(rules.code, 0);
  assert.match(rules.stdout, /^RULE\s+DEFAULT\s+APPLIES TO\s+SUMMARY$/m);
  const ids = JSON.parse((await run(["rules", "--format", "json"])).stdout).map((r: { id: string }) => r.id);
  assert.ok(ids.includes("cnpg-wal-archive-required"));
  const explain = await run(["explain", "cnpg-wal-archive-required"]);
  assert.equal(explain.code, 0);
  for (const heading of ["Why:", "Parameters", "Reported:", "Fixed:", "Fix:"]) assert.ok(explain.stdout.includes(heading), heading);
  const unknown = await run(["explain", "cnpg-wal-archive-requird"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown rule "cnpg-wal-archive-requird"; did you mean "cnpg-wal-archive-required"/);
});

test("a huge or deeply nested input is refused with exit 2, quickly", async () => {
  const t0 = Date.now();
  const deep = await run(["validate", "-"], { stdin: `apiVersion: v1\nkind: A\nx: ${"[".repeat(5000)}${"]".repeat(5000)}\n` });
  assert.equal(deep.code, 2);
  assert.match(deep.stderr, /<stdin>:\d+(:\d+)?: .*nested/);
  assert.ok(Date.now() - t0 < 5000);
});

test("mutate: unchanged documents pass through byte for byte; exit 0", async () => {
  const text = `# keep me\n${CONFIGMAP}---\n${BARE_CLUSTER}`;
  const r = await run(["mutate", "-"], { stdin: text });
  assert.equal(r.code, 0);
  assert.match(r.stderr, /resources? defaulted/);
  assert.ok(r.stdout.startsWith("# keep me\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"), r.stdout);
});

test("--kubeconfig: an unreachable cluster is exit 2 with a clear message", async () => {
  const dir = tempDir({
    kubeconfig: [
      "apiVersion: v1",
      "kind: Config",
      "clusters: [{name: c, cluster: {server: 'http://127.0.0.1:9'}}]",
      "users: [{name: u, user: {token: x}}]",
      "contexts: [{name: x, context: {cluster: c, user: u}}]",
      "current-context: x",
    ].join("\n"),
  });
  try {
    const r = await run(["validate", "-", "--kubeconfig", join(dir, "kubeconfig")], { stdin: BARE_CLUSTER });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--kubeconfig: cannot reach the API server at http:\/\/127\.0\.0\.1:9/);
    const missing = await run(["validate", "-", "--kubeconfig", join(dir, "nope")], { stdin: BARE_CLUSTER });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot load kubeconfig/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("--policy: a policy changes actions; an invalid one is exit 2 with file:line: path: message", async () => {
  const lenient =
    "apiVersion: pgbackupguard.io/v1alpha1\nkind: BackupPolicy\nmetadata: {name: lenient}\nspec:\n  rules:\n    cnpg-wal-archive-required: {action: warn}\n    cnpg-backup-required: {action: off}\n";
  const invalid = "apiVersion: pgbackupguard.io/v1alpha1\nkind: BackupPolicy\nmetadata: {name: bad}\nspec:\n  rules:\n    no-such-rule: {action: deny}\n";
  const dir = tempDir({ "lenient.yaml": lenient, "bad.yaml": invalid });
  try {
    const ok = await run(["validate", "-", "--policy", join(dir, "lenient.yaml"), "-o", "json"], { stdin: BARE_CLUSTER });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const findings = JSON.parse(ok.stdout).results[0].findings;
    assert.deepEqual(findings.map((f: { rule: string; action: string }) => [f.rule, f.action]), [["cnpg-wal-archive-required", "warn"]]);
    const text = await run(["validate", "-", "--policy", join(dir, "lenient.yaml")], { stdin: BARE_CLUSTER });
    assert.match(text.stdout, /policy: builtin:recommended \+ lenient/);
    const bad = await run(["validate", "-", "--policy", join(dir, "bad.yaml")], { stdin: BARE_CLUSTER });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, new RegExp(`invalid policy: ${join(dir, "bad.yaml").replace(/\./g, "\\.")}:\\d+: spec\\.rules`));
    assert.equal((await run(["validate", "-", "--policy", join(dir, "nope.yaml")], { stdin: BARE_CLUSTER })).code, 2);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("schedule: how the operator reads a cron string; invalid is exit 1", async () => {
  const five = await run(["schedule", "0 0 * * *", "--dialect", "cnpg", "--count", "2"]);
  assert.equal(five.code, 0);
  assert.match(five.stdout, /did you mean:\s+"0 0 0 \* \* \*"/);
  assert.match(five.stdout, /2026-01-15T13:00:00\.000Z\n\s+2026-01-15T14:00:00\.000Z\n$/);
  const json = JSON.parse((await run(["schedule", "30 2 * * 0", "--dialect", "cpo", "-o", "json"])).stdout);
  assert.equal(json.longestGap.human, "7d");
  assert.equal(json.nextFireTimes.length, 5);
  const bad = await run(["schedule", "61 * * * *", "--dialect", "cpo"]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /invalid: .*61/);
  assert.equal((await run(["schedule", "0 0 0 30 2 *", "--dialect", "cnpg"])).code, 1);
  assert.equal((await run(["schedule", "* * * * *", "--dialect", "k8s"])).code, 2);
  assert.equal((await run(["schedule", "* * * * *", "--dialect", "cpo", "--count", "0"])).code, 2);
});
