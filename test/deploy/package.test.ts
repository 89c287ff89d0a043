// The npm package: it states the Node versions it runs on, the launcher refuses an older Node with exit 2, and
// `npm pack` makes a tarball that works when installed globally.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { repoRoot } from "../helpers/shared.ts";

const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
  version: string;
  engines?: { node?: string };
  files?: string[];
};
const LAUNCHER = join(repoRoot, "bin", "pg-backup-guard.js");
const EXAMPLES = join(repoRoot, "examples");

function nodeVersion(bin: string): number[] | undefined {
  const result = spawnSync(bin, ["--version"], { encoding: "utf8" });
  const match = /^v(\d+)\.(\d+)\.(\d+)/.exec(result.stdout ?? "");
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}
const older = (a: number[], b: number[]) => a[0]! !== b[0]! ? a[0]! < b[0]! : a[1]! !== b[1]! ? a[1]! < b[1]! : a[2]! < b[2]!;
const MINIMUM = (/^>=(\d+)\.(\d+)\.(\d+)$/.exec(pkg.engines?.node ?? "") ?? []).slice(1).map(Number);

/** A Node.js older than engines.node on this machine (e.g. Debian's /usr/bin/node), if there is one. */
function oldNode(): string | undefined {
  const candidates = new Set(["/usr/bin/node", "/usr/local/bin/node"]);
  for (const dir of (process.env.PATH ?? "").split(delimiter)) if (dir) candidates.add(join(dir, "node"));
  for (const bin of candidates) {
    if (!existsSync(bin)) continue;
    const version = nodeVersion(bin);
    if (version && MINIMUM.length === 3 && older(version, MINIMUM)) return bin;
  }
  return undefined;
}
const OLD_NODE = oldNode();
const skipOld = OLD_NODE ? {} : { skip: `no Node.js older than ${pkg.engines?.node} on this machine (e.g. apt-get install nodejs gives Debian's)` };

describe("Node.js versions", () => {
  it("package.json states them: engines.node >=22.19.0 (@kubernetes/client-node's undici needs 22.19)", () => {
    assert.equal(pkg.engines?.node, ">=22.19.0");
    const undici = JSON.parse(readFileSync(join(repoRoot, "node_modules", "undici", "package.json"), "utf8")) as { engines?: { node?: string } };
    assert.equal(undici.engines?.node, ">=22.19.0", "undici's minimum changed: update engines.node");
  });

  it("the launcher's built-in minimum is engines.node", () => {
    assert.match(readFileSync(LAUNCHER, "utf8"), new RegExp(`return \\[${MINIMUM.join(", ")}\\];`));
  });

  it("the launcher runs on this Node", () => {
    const result = spawnSync(process.execPath, [LAUNCHER, "--version"], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), pkg.version);
  });

  for (const args of [["validate", EXAMPLES], ["validate", "--kubeconfig", "/nonexistent", EXAMPLES], ["serve", "--kubeconfig", "/nonexistent"], ["--version"]]) {
    it(`an older Node gets a clear message and exit 2: ${args.join(" ").replace(repoRoot, ".")}`, skipOld, () => {
      const result = spawnSync(OLD_NODE!, [LAUNCHER, ...args], { encoding: "utf8", timeout: 20_000 });
      assert.equal(result.status, 2, `exit ${result.status}: ${result.stderr}`);
      assert.match(result.stderr, /^pg-backup-guard: Node\.js 22\.19\.0 or newer is required \(Node\.js 24 recommended\); this is Node\.js v?\d+\.\d+\.\d+/);
      assert.doesNotMatch(result.stderr, /^\s+at /m, "a stack trace");
      assert.equal(result.stdout, "");
    });
  }
});

describe("npm pack", () => {
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), "pgbg-pack-"));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it("files ships the launcher, dist/ and the schema", () => {
    assert.deepEqual(pkg.files, ["bin/", "dist/", "schemas/"]);
  });

  it("a packed, globally installed package runs --version and validate", { timeout: 300_000 }, () => {
    // Pack a copy of the sources: prepack/prepare rebuild dist/, which must not happen under the running suite.
    const src = join(work, "src");
    for (const entry of ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "README.md", "bin", "src", "schemas", "scripts"])
      cpSync(join(repoRoot, entry), join(src, entry), { recursive: true });
    symlinkSync(join(repoRoot, "node_modules"), join(src, "node_modules"));
    const env = { ...process.env, PATH: `${join(repoRoot, "node_modules", ".bin")}${delimiter}${process.env.PATH}`, npm_config_update_notifier: "false" };
    const pack = spawnSync("npm", ["pack", "--pack-destination", work], { cwd: src, encoding: "utf8", env });
    assert.equal(pack.status, 0, pack.stderr);
    const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
    assert.ok(tarball, "npm pack made no tarball");
    const list = spawnSync("tar", ["tzf", join(work, tarball)], { encoding: "utf8" }).stdout.split("\n");
    for (const file of ["package/bin/pg-backup-guard.js", "package/dist/cli/main.js", "package/dist/crd/builtin-schemas.json", "package/schemas/backuppolicy.schema.json"])
      assert.ok(list.includes(file), `${file} is not in the package`);
    assert.ok(!list.some((f) => f.startsWith("package/src/") || f.startsWith("package/test/")), "sources or tests are in the package");

    const prefix = join(work, "global");
    const install = spawnSync("npm", ["install", "-g", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", join(work, tarball)], { encoding: "utf8", env });
    assert.equal(install.status, 0, install.stderr);
    const bin = join(prefix, "bin", "pg-backup-guard");
    const version = spawnSync(bin, ["--version"], { encoding: "utf8", env });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), pkg.version);
    // Whether the examples pass is the rules' business (test/policy/examples.test.ts): here, that it judges them.
    const validate = spawnSync(bin, ["validate", EXAMPLES, "--format", "json"], { encoding: "utf8", env, cwd: work });
    assert.ok(validate.status === 0 || validate.status === 1, `exit ${validate.status}: ${validate.stderr}`);
    const report = JSON.parse(validate.stdout) as { summary: { resources: number }; results: unknown[] };
    assert.ok(report.summary.resources >= 5 && report.results.length === report.summary.resources, validate.stdout);
    if (OLD_NODE) {
      const old = spawnSync(OLD_NODE, [bin, "--version"], { encoding: "utf8" });
      assert.equal(old.status, 2, old.stderr);
    }
  });
});
