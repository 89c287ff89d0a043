// The CI recipes of docs/ci.md, run rather than read: the GitHub Actions workflow's and the GitLab job's shell steps,
// the pre-commit hook's entry with a file list, and the Argo CD / Flux pipelines, each in a temporary copy of a small
// GitOps repository (test/ci/fixtures/gitops) with `pg-backup-guard` on PATH pointing at this checkout's bin.
//
// The recipes install the published package with `npx --yes pg-backup-guard@<version>`; this test replaces that
// invocation with the local `pg-backup-guard` (a shim first on PATH that runs bin/pg-backup-guard.js), so it tests
// this checkout without the network. Everything else in each step runs exactly as written, with bash.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, relative, resolve } from "node:path";
import { parse } from "yaml";
import { toolPath, missingToolMessage } from "../e2e/tools.ts";
import { checkXml } from "../report/fixture.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");
const FIXTURE = join(import.meta.dirname, "fixtures", "gitops");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const BIN = join(ROOT, "bin", "pg-backup-guard.js");
// The bin loads the build in dist/: without one there is nothing to run (npm test builds first).
const BUILT = spawnSync(process.execPath, [BIN, "--version"], { encoding: "utf8", timeout: 30_000 }).status === 0;
const NOT_BUILT = "bin/pg-backup-guard.js does not run (dist/ is not built: run `npm run build`; npm test does)";
const KUBECTL = toolPath("kubectl");

/** A Cluster without any backup configuration: denied by cnpg-backup-required. */
const BARE_CLUSTER = "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: legacy\n  namespace: legacy\nspec:\n  instances: 1\n";

const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

let shims: string;
const temps: string[] = [];

before(() => {
  shims = mkdtempSync(join(tmpdir(), "pgbg-shims-"));
  temps.push(shims);
  const shim = (name: string, body: string) => {
    writeFileSync(join(shims, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(shims, name), 0o755);
  };
  shim("pg-backup-guard", `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"`);
  // `kubectl kustomize` is kustomize's `build`, built into kubectl: what the Argo CD / Flux recipes call `kustomize build`.
  if (KUBECTL) shim("kustomize", `[ "$1" = build ] && shift\nexec ${JSON.stringify(KUBECTL)} kustomize "$@"`);
});

after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of the GitOps repository; `broken` adds a Cluster without backups. */
function repo(broken = false): string {
  const dir = mkdtempSync(join(tmpdir(), "pgbg-gitops-"));
  temps.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  mkdirSync(join(dir, ".github", "workflows"), { recursive: true });
  cpSync(join(ROOT, "examples", "ci", "github-actions.yaml"), join(dir, ".github", "workflows", "pg-backup-guard.yaml"));
  cpSync(join(ROOT, "examples", "ci", "gitlab-ci.yml"), join(dir, ".gitlab-ci.yml"));
  if (broken) {
    mkdirSync(join(dir, "apps", "legacy"), { recursive: true });
    writeFileSync(join(dir, "apps", "legacy", "cluster.yaml"), BARE_CLUSTER);
  }
  return dir;
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, PATH: `${shims}${delimiter}${process.env.PATH ?? ""}` };
  delete e.FORCE_COLOR;
  delete e.NO_COLOR;
  return e;
}

/** A shell step as GitHub (`bash --noprofile --norc -eo pipefail`) and GitLab run it. */
function bash(script: string, cwd: string, args: string[] = []): Ran {
  const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script, "step", ...args], {
    cwd,
    env: env(),
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const NPX = /npx --yes pg-backup-guard@([0-9A-Za-z.+-]+)/g;

/** The step with the published package replaced by the local bin (see the comment at the top). */
function local(script: string): string {
  const versions = [...script.matchAll(NPX)].map((m) => m[1]);
  assert.ok(versions.length > 0, `the step runs pg-backup-guard through npx: ${script}`);
  for (const v of versions) assert.equal(v, VERSION, "the recipes pin the package.json version");
  return script.replace(NPX, "pg-backup-guard");
}

function docsBlock(marker: string): string {
  const md = read("docs/ci.md");
  const at = md.indexOf(`<!-- recipe: ${marker}`);
  assert.ok(at >= 0, `docs/ci.md has the ${marker} recipe`);
  return /```bash\n([\s\S]*?)```/.exec(md.slice(at))![1]!;
}

describe("docs/ci.md shows the recipe files as they are", () => {
  for (const file of ["examples/ci/github-actions.yaml", "examples/ci/gitlab-ci.yml", ".pre-commit-hooks.yaml"]) {
    it(file, () => assert.ok(read("docs/ci.md").includes(read(file)), `docs/ci.md holds ${file} verbatim`));
  }
});

describe("GitHub Actions workflow", { skip: BUILT ? false : NOT_BUILT }, () => {
  type Step = { uses?: string; run?: string; if?: string; with?: Record<string, unknown>; name?: string };
  const workflow = parse(read("examples/ci/github-actions.yaml")) as { jobs: Record<string, { steps: Step[]; permissions: Record<string, string> }> };
  const job = Object.values(workflow.jobs)[0]!;

  it("checks out, sets up Node 24 and uploads SARIF to code scanning", () => {
    const uses = job.steps.map((s) => s.uses?.split("@")[0]);
    assert.deepEqual(uses.filter(Boolean), ["actions/checkout", "actions/setup-node", "github/codeql-action/upload-sarif"]);
    assert.equal(String(job.steps[1]!.with?.["node-version"]), "24");
    assert.equal(job.steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif"))!.with?.sarif_file, "results.sarif");
    assert.equal(job.permissions["security-events"], "write");
  });

  /** The run: steps in order; after a failure only steps with `if: ${{ !cancelled() }}` run, as on GitHub. */
  function runSteps(dir: string): Ran[] {
    let failed = false;
    const out: Ran[] = [];
    for (const step of job.steps) {
      if (step.run === undefined) continue;
      if (failed && !(step.if ?? "").includes("!cancelled()")) continue;
      const r = bash(local(step.run), dir);
      out.push(r);
      if (r.code !== 0) failed = true;
    }
    return out;
  }

  it("a denied manifest: an error annotation on its file and line, and SARIF still written", () => {
    const dir = repo(true);
    const [check, sarifStep] = runSteps(dir);
    assert.equal(check!.code, 1, check!.stderr);
    // line 6: the finding is about spec.backup, which is missing: it points at `spec:`.
    assert.match(check!.stdout, /^::error file=apps\/legacy\/cluster\.yaml,line=6,title=cnpg-backup-required \(Cluster legacy\/legacy\)::/m);
    assert.equal(sarifStep?.code, 1, "the SARIF step ran after the failed check");
    const sarif = JSON.parse(readFileSync(join(dir, "results.sarif"), "utf8"));
    assert.equal(sarif.version, "2.1.0");
    assert.ok(Array.isArray(sarif.runs) && sarif.runs.length === 1);
    const errors = sarif.runs[0].results.filter((r: { level: string }) => r.level === "error");
    assert.ok(errors.length > 0);
    assert.equal(errors[0].locations[0].physicalLocation.artifactLocation.uri, "apps/legacy/cluster.yaml");
  });

  it("a correct repository: every step passes, no error annotation, an empty SARIF run", () => {
    const dir = repo();
    const steps = runSteps(dir);
    assert.equal(steps.length, 2);
    for (const s of steps) assert.equal(s.code, 0, s.stdout + s.stderr);
    assert.doesNotMatch(steps[0]!.stdout, /^::(error|warning) /m);
    assert.match(steps[0]!.stdout, /^pg-backup-guard: 6 resources, 0 denied/m);
    const sarif = JSON.parse(readFileSync(join(dir, "results.sarif"), "utf8"));
    assert.deepEqual(sarif.runs[0].results.filter((r: { level: string }) => r.level === "error"), []);
  });
});

describe("GitLab CI job", { skip: BUILT ? false : NOT_BUILT }, () => {
  const file = parse(read("examples/ci/gitlab-ci.yml")) as Record<string, { image: string; script: string[]; artifacts: { when: string; reports: { junit: string } } }>;
  const job = file["pg-backup-guard"]!;
  // GitLab runs the script lines in one shell and stops at the first that fails.
  const script = job.script.map(local).join("\n");

  it("runs on Node 24 and always keeps the JUnit report", () => {
    assert.match(job.image, /^node:24\b/);
    assert.equal(job.artifacts.when, "always");
    assert.equal(job.artifacts.reports.junit, "pg-backup-guard-junit.xml");
  });

  it("a denied manifest fails the job; the JUnit report has the failure", () => {
    const dir = repo(true);
    const r = bash(script, dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /apps\/legacy\/cluster\.yaml:1  Cluster legacy\/legacy  denied/);
    const xml = readFileSync(join(dir, job.artifacts.reports.junit), "utf8");
    checkXml(xml);
    assert.match(xml, /<testsuites /);
    assert.match(xml, /<failure /);
  });

  it("a correct repository passes with a JUnit report without failures", () => {
    const dir = repo();
    const r = bash(script, dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const xml = readFileSync(join(dir, job.artifacts.reports.junit), "utf8");
    checkXml(xml);
    assert.match(xml, /<testsuites [^>]*failures="0"/);
  });
});

describe("pre-commit hook (.pre-commit-hooks.yaml)", { skip: BUILT ? false : NOT_BUILT }, () => {
  const hooks = parse(read(".pre-commit-hooks.yaml")) as { id: string; entry: string; language: string; files: string; require_serial?: boolean }[];
  const hook = hooks.find((h) => h.id === "pg-backup-guard")!;

  /** Every file of the repository the hook's `files` regex selects (what `pre-commit run --all-files` passes). */
  function selected(dir: string): string[] {
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(dir, join(e.parentPath, e.name)).split("\\").join("/"));
    // pre-commit matches with Python's re.search; this pattern means the same in JavaScript.
    return files.filter((f) => new RegExp(hook.files).test(f)).sort();
  }

  /** pre-commit runs `entry` (split like a shell would), then the hook's args, then the file names. */
  const runHook = (dir: string, args: string[]) => bash(`${hook.entry} "$@"`, dir, args);

  it("is a node hook running `pg-backup-guard validate` on YAML and JSON files, in one process", () => {
    assert.equal(hook.language, "node");
    assert.equal(hook.entry, "pg-backup-guard validate");
    assert.equal(hook.require_serial, true);
    const re = new RegExp(hook.files);
    for (const f of ["a.yaml", "b/c.yml", "d.json"]) assert.ok(re.test(f), f);
    for (const f of ["README.md", "x.yaml.bak", "chart.tpl"]) assert.ok(!re.test(f), f);
  });

  it("--all-files: a correct repository passes, a denied manifest fails the hook", () => {
    const ok = repo();
    const files = selected(ok);
    assert.ok(files.includes("apps/production/cluster.yaml") && files.includes(".gitlab-ci.yml"), files.join(" "));
    const pass = runHook(ok, files);
    assert.equal(pass.code, 0, pass.stdout + pass.stderr);
    assert.match(pass.stdout, /6 resources checked, 0 denied/);
    const bad = repo(true);
    const fail = runHook(bad, selected(bad));
    assert.equal(fail.code, 1);
    assert.match(fail.stdout, /apps\/legacy\/cluster\.yaml:1  Cluster legacy\/legacy  denied/);
  });

  it("one staged file: not denied for what it cannot see; with the documented --lookup . it sees the rest", () => {
    const dir = repo();
    const alone = runHook(dir, ["apps/production/cluster.yaml"]);
    assert.equal(alone.code, 0, alone.stdout + alone.stderr);
    assert.match(alone.stdout, /skip  cnpg-object-store-exists  not checked/);
    assert.ok(read("docs/ci.md").includes("args: [--lookup, .]"));
    const withLookup = runHook(dir, ["--lookup", ".", "apps/production/cluster.yaml"]);
    assert.equal(withLookup.code, 0, withLookup.stdout + withLookup.stderr);
    assert.doesNotMatch(withLookup.stdout, /cnpg-object-store-exists/);
    assert.match(withLookup.stdout, /1 resource checked, 0 denied/);
  });
});

describe("Argo CD and Flux recipes (kustomize build | validate -)", { skip: BUILT ? false : NOT_BUILT }, () => {
  it("Argo CD: the rendered Application path is checked, and a denied object fails", (t) => {
    if (!KUBECTL) return t.skip(missingToolMessage("kubectl"));
    const script = docsBlock("argocd");
    assert.match(script, /kustomize build "\$APP_DIR" \| pg-backup-guard validate -/);
    const ok = bash(script, repo());
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /<stdin>:\d+  Cluster shop\/orders  ok/);
    assert.match(ok.stdout, /3 resources checked, 0 denied/);
    const dir = repo(true);
    cpSync(join(dir, "apps", "legacy", "cluster.yaml"), join(dir, "apps", "production", "legacy.yaml"));
    writeFileSync(join(dir, "apps", "production", "kustomization.yaml"), `${readFileSync(join(dir, "apps", "production", "kustomization.yaml"), "utf8")}  - legacy.yaml\n`);
    const bad = bash(script, dir);
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /Cluster shop\/legacy  denied/);
  });

  it("Flux: --vars-file substitutes the ConfigMap's variables, so references are checked as deployed", (t) => {
    if (!KUBECTL) return t.skip(missingToolMessage("kubectl"));
    const script = docsBlock("flux");
    assert.match(script, /kustomize build "\$KS_PATH" \| pg-backup-guard validate - --vars-file "\$VARS"/);
    const dir = repo();
    const ok = bash(script, dir);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /Cluster finance\/ledger  ok/);
    assert.match(ok.stdout, /ScheduledBackup finance\/ledger-daily  ok/);
    assert.doesNotMatch(ok.stdout, /not checked/);
    // After substitution a reference that points nowhere is found, not waved through as "not checked".
    writeFileSync(
      join(dir, "clusters", "production", "databases", "ledger.yaml"),
      readFileSync(join(dir, "clusters", "production", "databases", "ledger.yaml"), "utf8").replace("barmanObjectName: ${DB_NAME}-store", "barmanObjectName: ${DB_NAME}-archive"),
    );
    const bad = bash(script, dir);
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /Cluster finance\/ledger  denied/);
  });
});
