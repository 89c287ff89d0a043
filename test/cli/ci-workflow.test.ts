// The CLI conveniences CI and shell users expect: policy tests, help, suggestions, completion, colour, --now.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./run.ts";
import { completionScript, completionTable, flagsOf } from "../../src/cli/completion.ts";
import { VALIDATE_USAGE } from "../../src/cli/usage.ts";

function copyExample(): string {
  const dir = mkdtempSync(join(tmpdir(), "pgbg-ptest-"));
  cpSync("examples/policy-tests", dir, { recursive: true });
  return dir;
}

test("test: the example policy tests pass, with a table and a summary", async () => {
  const r = await run(["test", "examples/policy-tests"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /PASS  ScheduledBackup analytics\/reports-weekly\s+schedule-too-rare\s+deny/);
  assert.match(r.stdout, /5 tests, 5 passed, 0 failed/);
});

test("test: a changed expectation fails with what was found instead (exit 1)", async () => {
  const dir = copyExample();
  const file = join(dir, "pg-backup-guard-test.yaml");
  const text = (await import("node:fs")).readFileSync(file, "utf8");
  writeFileSync(
    file,
    text
      .replace("rule: schedule-too-rare, result: deny", "rule: schedule-too-rare, result: pass")
      .replace("defaults: [cnpg-backup-owner-reference]", "defaults: []")
      .replace("name: ledger, result: pass}", "name: ledger, result: pass}\n  - {kind: Cluster, name: nope, result: pass}"),
  );
  const r = await run(["test", dir]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /FAIL  ScheduledBackup analytics\/reports-weekly\s+schedule-too-rare\s+expected pass, got deny: \[deny schedule-too-rare\]/);
  assert.match(r.stdout, /FAIL  ScheduledBackup payments\/ledger-daily .*expected defaults \[\], got \[cnpg-backup-owner-reference\]/);
  assert.match(r.stdout, /FAIL  Cluster nope .*no such resource/);
  assert.match(r.stdout, /6 tests, 3 passed, 3 failed/);
});

test("test: an invalid test file is exit 2 naming the field; no test file is a usage error", async () => {
  for (const [body, pattern] of [
    ["apiVersion: pgbackupguard.io/v1alpha1\nkind: PolicyTest\nresources: [x]\nresults:\n- {kind: Cluster, name: a, result: maybe}\n", /results\.0\.result: must be equal to one of the allowed values \(deny, warn, audit, pass, skip\)/],
    ["apiVersion: pgbackupguard.io/v1alpha1\nkind: PolicyTest\nresources: [x]\nresult: []\n", /\(top level\): must have required property 'results'/],
    ["apiVersion: pgbackupguard.io/v1alpha1\nkind: PolicyTest\nresources: [x]\nresults: [{kind: C, name: a, result: pass, rules: x}]\n", /results\.0: must NOT have additional properties "rules"/],
    ["apiVersion: pgbackupguard.io/v1alpha1\nkind: PolicyTest\nresources: [missing/]\nresults: [{kind: C, name: a, result: pass}]\n", /missing\/?: no such file or directory/],
    ["kind: [\n", /pg-backup-guard-test\.yaml:\d+:\d+: /],
  ] as const) {
    const dir = mkdtempSync(join(tmpdir(), "pgbg-ptest-"));
    writeFileSync(join(dir, "pg-backup-guard-test.yaml"), body);
    const r = await run(["test", dir]);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, pattern);
  }
  const empty = await run(["test", mkdtempSync(join(tmpdir(), "pgbg-ptest-"))]);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /no pg-backup-guard-test\.yaml found/);
});

test("help <command>, and a mistyped command gets a suggestion", async () => {
  const help = await run(["help", "validate"]);
  assert.equal(help.code, 0);
  assert.equal(help.stdout, VALIDATE_USAGE);
  const typo = await run(["valdate", "x.yaml"]);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown command "valdate"; did you mean "validate"\?/);
  const unknownHelp = await run(["help", "frobnicate"]);
  assert.equal(unknownHelp.code, 2);
  assert.doesNotMatch(unknownHelp.stderr, /did you mean/);
});

test("completion: every documented flag of every command, valid shell syntax", async () => {
  const table = completionTable();
  assert.deepEqual(flagsOf("  --policy FILE   x\n  -n, --namespace NS  y\n  not a flag --nope\n"), ["--policy", "--namespace"]);
  for (const flag of ["--var", "--vars-file", "--exclude", "--fail-on", "--crd", "--quiet", "--output"]) assert.ok(table.get("validate")!.includes(flag), flag);
  assert.ok(table.get("serve")!.includes("--tls-cert"));
  assert.ok(table.get("schedule")!.includes("--now"));
  const bash = await run(["completion", "bash"]);
  assert.equal(bash.code, 0);
  assert.match(bash.stdout, /complete -o filenames -F _pg_backup_guard pg-backup-guard/);
  assert.match(bash.stdout, /cnpg-backup-required/);
  const check = spawnSync("bash", ["-n"], { input: bash.stdout });
  assert.equal(check.status, 0, String(check.stderr));
  const zsh = completionScript("zsh");
  assert.match(zsh, /^#compdef pg-backup-guard/);
  if (spawnSync("zsh", ["--version"]).status === 0) assert.equal(spawnSync("zsh", ["-n"], { input: zsh }).status, 0);
  assert.match(completionScript("fish"), /__fish_seen_subcommand_from validate" -l vars-file/);
  const bad = await run(["completion", "powershell"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /give one shell: bash, zsh, fish \(got "powershell"\)/);
});

test("colour: FORCE_COLOR turns it on without a terminal, FORCE_COLOR=0 and NO_COLOR turn it off", async () => {
  const esc = /\u001b\[/;
  assert.match((await run(["validate", "examples/"], { env: { FORCE_COLOR: "1" } })).stdout, esc);
  assert.doesNotMatch((await run(["validate", "examples/"], { env: {} })).stdout, esc);
  assert.doesNotMatch((await run(["validate", "examples/"], { isTTY: true, env: { FORCE_COLOR: "0" } })).stdout, esc);
  assert.doesNotMatch((await run(["validate", "examples/"], { isTTY: true, env: { NO_COLOR: "1" } })).stdout, esc);
  assert.match((await run(["validate", "examples/"], { isTTY: true, env: {} })).stdout, esc);
});

test("schedule --now gives deterministic fire times; a bad time is a usage error", async () => {
  const r = await run(["schedule", "0 0 2 * * *", "--dialect", "cnpg", "--count", "2", "--now", "2030-06-01T00:00:00Z", "--format", "json"]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.nextFireTimes ?? out.next, ["2030-06-01T02:00:00.000Z", "2030-06-02T02:00:00.000Z"]);
  const bad = await run(["schedule", "0 0 2 * * *", "--dialect", "cnpg", "--now", "yesterday"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--now must be an RFC 3339 time/);
});
