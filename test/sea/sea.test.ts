// The single executable (dist/pg-backup-guard, built by `npm run build:sea`, scripts/build-sea.ts): it runs without
// node or npm on PATH, passes the examples, denies a broken manifest, and is the package's version. Skips with the
// reason when it has not been built (`npm test` runs before `npm run build:sea` in .ci/run, which then runs this
// file again) or cannot be on this machine (dist/pg-backup-guard.unavailable).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../helpers/shared.ts";

const SEA = join(repoRoot, "dist", "pg-backup-guard");
const UNAVAILABLE = `${SEA}.unavailable`;
const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };

function skipReason(): string | undefined {
  if (existsSync(SEA)) {
    // `npm test` rebuilds dist/cli.mjs; an executable older than that was built from older sources.
    const bundle = join(repoRoot, "dist", "cli.mjs");
    if (existsSync(bundle) && statSync(SEA).mtimeMs < statSync(bundle).mtimeMs) return "dist/pg-backup-guard is older than dist/cli.mjs: run `npm run build:sea`";
    return undefined;
  }
  if (existsSync(UNAVAILABLE)) return `no single executable on this machine: ${readFileSync(UNAVAILABLE, "utf8").trim()}`;
  return "dist/pg-backup-guard is not built: run `npm run build:sea` (.ci/run does, after npm test)";
}
const reason = skipReason();
const skip = reason ? { skip: reason } : {};

// No node, no npm: only what a machine without Node.js has. The executable must not need either.
const env = { PATH: "/usr/bin:/bin", HOME: tmpdir(), LANG: "C" };
const run = (args: string[], cwd: string) => spawnSync(SEA, args, { cwd, env, encoding: "utf8", timeout: 60_000 });

const BROKEN = `apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata:
  name: orders
  namespace: shop
spec:
  instances: 3
  storage:
    size: 10Gi
`;

describe("single executable (dist/pg-backup-guard)", () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), "pgbg-sea-"));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it("--version prints the package version", skip, () => {
    const result = run(["--version"], work);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), pkg.version);
    assert.doesNotMatch(result.stderr, /ExperimentalWarning|single executable/i);
  });

  it("validate examples/: exit 0, every resource judged", skip, () => {
    const result = run(["validate", join(repoRoot, "examples"), "--format", "json"], work);
    assert.equal(result.status, 0, `exit ${result.status}: ${result.stderr}\n${result.stdout.slice(0, 2000)}`);
    const report = JSON.parse(result.stdout) as { summary: { resources: number }; results: unknown[] };
    assert.ok(report.summary.resources >= 5, result.stdout.slice(0, 2000));
    assert.equal(report.results.length, report.summary.resources);
  });

  it("validate a Cluster without backups: exit 1, denied by cnpg-backup-required", skip, () => {
    const file = join(work, "broken.yaml");
    writeFileSync(file, BROKEN);
    const result = run(["validate", file], work);
    assert.equal(result.status, 1, `exit ${result.status}: ${result.stderr}\n${result.stdout}`);
    assert.match(result.stdout, /Cluster shop\/orders\s+denied/);
    assert.match(result.stdout, /deny\s+cnpg-backup-required/);
  });

  it("the CRD stage has its built-in schemas (inlined at build time): the API server's defaults are applied", skip, () => {
    const file = join(work, "defaults.yaml");
    writeFileSync(file, BROKEN);
    const result = run(["validate", file, "--format", "json"], work);
    assert.equal(result.status, 1, `exit ${result.status}: ${result.stderr}\n${result.stdout}`);
    const report = JSON.parse(result.stdout) as { results: { apiServer?: { kind: string; path: string; value: unknown }[] }[] };
    const applied = report.results[0]?.apiServer ?? [];
    assert.ok(applied.some((a) => a.kind === "default" && a.path === "spec.enablePDB" && a.value === true), JSON.stringify(applied));
  });

  it("an unknown command is a usage error (exit 2), and serve without TLS files too", skip, () => {
    const unknown = run(["valdate"], work);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /did you mean "validate"/);
    const serve = run(["serve", "--kubeconfig", "/nonexistent"], work);
    assert.equal(serve.status, 2, serve.stderr);
    assert.match(serve.stderr, /--tls-cert and --tls-key are required/);
  });
});
