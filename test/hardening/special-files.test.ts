// The CLI on special files (issue 12, "CLI on special files"): devices, FIFOs, symlinks to them and stdin
// that never ends are refused with exit 2 and a message, in bounded time and memory. Each case runs in a
// child process with a hard timeout, because a blocking open of a FIFO would stall this test process itself.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..", "..");
const MAIN = join(ROOT, "src/cli/main.ts");
const TIMEOUT_MS = 20_000;

function cli(args: string[], options: SpawnSyncOptions = {}) {
  const script = `import { main } from ${JSON.stringify(MAIN)}; process.exitCode = await main(${JSON.stringify(args)});`;
  const r = spawnSync(process.execPath, ["--max-old-space-size=256", "--input-type=module", "-e", script], {
    encoding: "utf8",
    timeout: TIMEOUT_MS,
    killSignal: "SIGKILL",
    ...options,
  });
  return { code: r.status, signal: r.signal, stderr: String(r.stderr ?? ""), stdout: String(r.stdout ?? "") };
}

const hasDev = existsSync("/dev/zero") && existsSync("/dev/urandom");
const skip = hasDev && process.platform !== "win32" ? false : "needs /dev/zero, /dev/urandom and mkfifo";

describe("special files are refused, never read without bound", { skip }, () => {
  let dir = "";
  let fifo = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "pbg-special-"));
    fifo = join(dir, "pipe.yaml");
    const r = spawnSync("mkfifo", [fifo]);
    assert.equal(r.status, 0, "mkfifo failed");
    symlinkSync("/dev/zero", join(dir, "zero.yaml"));
    writeFileSync(join(dir, "ok.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const T = { timeout: TIMEOUT_MS * 2 };
  for (const [name, args, pattern] of [
    ["/dev/zero", () => ["validate", "/dev/zero"], /dev\/zero: cannot read: a character device, not a regular file/],
    ["/dev/urandom", () => ["validate", "/dev/urandom"], /character device/],
    ["a symlink to /dev/zero", () => ["validate", join(dir, "zero.yaml")], /zero\.yaml: cannot read: a character device/],
    ["a FIFO", () => ["validate", fifo], /pipe\.yaml: cannot read: a named pipe \(FIFO\)/],
    ["--policy /dev/zero", () => ["validate", "--policy", "/dev/zero", join(dir, "ok.yaml")], /dev\/zero: cannot read the policy file: a character device/],
    ["--policy FIFO", () => ["validate", "--policy", fifo, join(dir, "ok.yaml")], /cannot read the policy file: a named pipe/],
    ["--lookup /dev/zero", () => ["validate", "--lookup", "/dev/zero", join(dir, "ok.yaml")], /character device/],
    ["--vars-file FIFO", () => ["validate", "--vars-file", fifo, join(dir, "ok.yaml")], /named pipe/],
  ] as [string, () => string[], RegExp][]) {
    it(`${name}: exit 2 with a message`, T, () => {
      const r = cli(args());
      assert.equal(r.signal, null, `killed after ${TIMEOUT_MS} ms (hung or grew): ${r.stderr}`);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, pattern);
    });
  }

  it("a directory walk that finds a symlink to /dev/zero: exit 2, no hang", T, () => {
    const r = cli(["validate", dir]);
    assert.equal(r.signal, null, r.stderr);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /not a regular file/);
  });

  it("stdin from /dev/zero stops at the byte limit while reading: exit 2", T, () => {
    const zero = openSync("/dev/zero", "r");
    const r = cli(["validate", "-"], { stdio: [zero, "pipe", "pipe"] });
    closeSync(zero);
    assert.equal(r.signal, null, r.stderr);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /larger than the 33554432-byte limit/);
  });
});
