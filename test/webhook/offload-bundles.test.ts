// The offload workers in the shipped builds: dist/cli.mjs (the launcher; the worker is dist/offload-worker.mjs
// beside it) and the single executable (dist/pg-backup-guard; the worker is its SEA asset, evaluated). Each serves
// a large body through a worker with the same answer as a small one judged on the main thread. Skips, saying why,
// when a build is absent or older than the bundle (as test/sea/ does).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { repoRoot } from "../helpers/shared.ts";
import { bareCluster, reviewOf } from "./helpers.ts";

const BUNDLE = join(repoRoot, "dist", "cli.mjs");
const WORKER = join(repoRoot, "dist", "offload-worker.mjs");
const SEA = join(repoRoot, "dist", "pg-backup-guard");
const FIX = join(import.meta.dirname, "fixtures");

function bundleSkip(): string | undefined {
  if (!existsSync(BUNDLE)) return "dist/cli.mjs is not built: run `npm run build`";
  if (!existsSync(WORKER)) return "dist/offload-worker.mjs is not built: run `npm run build`";
  return undefined;
}
function seaSkip(): string | undefined {
  if (!existsSync(SEA)) {
    const why = `${SEA}.unavailable`;
    return existsSync(why) ? `no single executable on this machine: ${readFileSync(why, "utf8").trim()}` : "dist/pg-backup-guard is not built: run `npm run build:sea`";
  }
  if (existsSync(BUNDLE) && statSync(SEA).mtimeMs < statSync(BUNDLE).mtimeMs) return "dist/pg-backup-guard is older than dist/cli.mjs: run `npm run build:sea`";
  return undefined;
}

function post(port: number, path: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: path === "/metrics" ? "GET" : "POST", rejectUnauthorized: false, headers: { "content-type": "application/json" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(path === "/metrics" ? undefined : body);
  });
}

/** Starts `serve` and resolves with its port once it logs "webhook listening". */
function start(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number; logs: string[] }> {
  const flags = ["serve", "--no-cluster", "--tls-cert", join(FIX, "tls-a.crt"), "--tls-key", join(FIX, "tls-a.key"), "--port", "0", "--host", "127.0.0.1", "--shutdown-delay", "0", "--offload-threshold", "4k"];
  const child = spawn(command, [...args, ...flags], { env, stdio: ["ignore", "pipe", "pipe"] });
  const logs: string[] = [];
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}\n${logs.join("\n")}`)), 30_000);
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${stderr}\n${logs.join("\n")}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      logs.push(line);
      try {
        const l = JSON.parse(line) as { msg?: string; port?: number };
        if (l.msg === "webhook listening" && l.port) {
          clearTimeout(timer);
          resolve({ child, port: l.port, logs });
        }
      } catch {
        // not a log line
      }
    });
  });
}

async function check(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { child, port, logs } = await start(command, args, env);
  try {
    const small = JSON.stringify(reviewOf(bareCluster(), { uid: "u" }));
    const pg = bareCluster();
    pg.metadata.annotations = { filler: "a".repeat(10_000) };
    const big = JSON.stringify(reviewOf(pg, { uid: "u" }));
    const a = await post(port, "/validate", small);
    const b = await post(port, "/validate", big);
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    assert.equal(JSON.parse(b.text).response.allowed, false);
    assert.deepEqual(JSON.parse(b.text), JSON.parse(a.text));
    const metrics = (await post(port, "/metrics", "")).text;
    assert.match(metrics, /pgbackupguard_admission_offloaded_total\{webhook="validate"\} 1\n/);
    assert.doesNotMatch(metrics, /pgbackupguard_offload_workers_replaced_total\{/);
    assert.ok(logs.some((l) => l.includes('"offloaded":true')), logs.join("\n"));
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
}

describe("offload workers in the builds", () => {
  const b = bundleSkip();
  it("dist/cli.mjs (the launcher) starts dist/offload-worker.mjs", b ? { skip: b } : {}, async () => {
    await check(process.execPath, [join(repoRoot, "bin", "pg-backup-guard.js")], process.env);
  });
  const s = seaSkip();
  it("the single executable evaluates its worker asset, without node on PATH", s ? { skip: s } : {}, async () => {
    await check(SEA, [], { PATH: "/usr/bin:/bin", HOME: tmpdir(), LANG: "C" });
  });
});
