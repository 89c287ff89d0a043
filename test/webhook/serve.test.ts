// The real HTTPS server: TLS reload, TLS versions, readiness, graceful shutdown, flags.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, mkdirSync, unlinkSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { connect, type PeerCertificate } from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { parseServeArgs } from "../../src/cli/serve.ts";
import { startWebhook, type ServeOptions } from "../../src/webhook/serve.ts";
import { FakeInformer } from "./fake-informer.ts";
import { inventory, reviewOf, goodCluster } from "./helpers.ts";

const FIX = new URL("./fixtures/", import.meta.url).pathname;

function options(dir: string, extra: Partial<ServeOptions> = {}): ServeOptions {
  const r = parseServeArgs(["--no-cluster", "--tls-cert", join(dir, "tls.crt"), "--tls-key", join(dir, "tls.key"), "--port", "0", "--host", "127.0.0.1", "--shutdown-delay", "0"]);
  if (!r.ok || "help" in r) throw new Error("bad test flags");
  return { ...r.options, ...extra };
}

/** A Secret-volume-like layout: tls.crt -> ..data/tls.crt, ..data -> ..v1 (swapped atomically on rotation). */
function secretDir(pair: "a" | "b"): string {
  const dir = mkdtempSync(join(tmpdir(), "pbg-tls-"));
  mkdirSync(join(dir, `..${pair}`));
  copyFileSync(join(FIX, `tls-${pair}.crt`), join(dir, `..${pair}`, "tls.crt"));
  copyFileSync(join(FIX, `tls-${pair}.key`), join(dir, `..${pair}`, "tls.key"));
  symlinkSync(`..${pair}`, join(dir, "..data"));
  symlinkSync("..data/tls.crt", join(dir, "tls.crt"));
  symlinkSync("..data/tls.key", join(dir, "tls.key"));
  return dir;
}

function rotate(dir: string, pair: "a" | "b"): void {
  mkdirSync(join(dir, `..${pair}`), { recursive: true });
  copyFileSync(join(FIX, `tls-${pair}.crt`), join(dir, `..${pair}`, "tls.crt"));
  copyFileSync(join(FIX, `tls-${pair}.key`), join(dir, `..${pair}`, "tls.key"));
  symlinkSync(`..${pair}`, join(dir, "..data_tmp"));
  renameSync(join(dir, "..data_tmp"), join(dir, "..data"));
}

function servedCert(port: number, extra: Record<string, unknown> = {}): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: "127.0.0.1", rejectUnauthorized: false, ...extra }, () => {
      const c = s.getPeerCertificate();
      s.end();
      resolve(c);
    });
    s.on("error", reject);
  });
}

function fingerprintOf(file: string): string {
  const { X509Certificate } = require("node:crypto") as typeof import("node:crypto");
  return new X509Certificate(readFileSync(file)).fingerprint256;
}

import { createRequire } from "node:module";
const require = createRequire(import.meta.url);

function post(port: number, path: string, body: string, opts: { hold?: boolean } = {}) {
  let release = () => {};
  const done = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpsRequest(
      { host: "127.0.0.1", port, path, method: "POST", rejectUnauthorized: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on("error", reject);
    if (opts.hold) {
      req.write(body.slice(0, 10));
      release = () => req.end(body.slice(10));
    } else req.end(body);
  });
  return { done, release: () => release() };
}

const silent = pino({ level: "silent" });

test("rotating the certificate files switches the served certificate without a restart", async () => {
  const dir = secretDir("a");
  const w = await startWebhook(options(dir), { logger: silent, lookups: inventory() });
  try {
    const a = fingerprintOf(join(FIX, "tls-a.crt"));
    const b = fingerprintOf(join(FIX, "tls-b.crt"));
    assert.equal((await servedCert(w.port)).fingerprint256, a);
    rotate(dir, "b");
    let fp = "";
    for (let i = 0; i < 100; i++) {
      fp = (await servedCert(w.port)).fingerprint256;
      if (fp === b) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(fp, b);
    // Still answering admission requests on the new certificate.
    const r = await post(w.port, "/validate", JSON.stringify(reviewOf(goodCluster(), { uid: "after-rotation" }))).done;
    assert.equal(JSON.parse(r.body).response.uid, "after-rotation");
  } finally {
    await w.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a mismatched key/certificate mid-rotation keeps the old certificate", async () => {
  const dir = secretDir("a");
  const w = await startWebhook(options(dir), { logger: silent, lookups: inventory() });
  try {
    unlinkSync(join(dir, "tls.key"));
    copyFileSync(join(FIX, "tls-b.key"), join(dir, "tls.key")); // key b with certificate a
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await servedCert(w.port)).fingerprint256, fingerprintOf(join(FIX, "tls-a.crt")));
  } finally {
    await w.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("TLS 1.2+ only", async () => {
  const dir = secretDir("a");
  const w = await startWebhook(options(dir), { logger: silent, lookups: inventory() });
  try {
    await assert.rejects(servedCert(w.port, { maxVersion: "TLSv1.1", minVersion: "TLSv1", ciphers: "DEFAULT:@SECLEVEL=0" }));
    assert.ok(await servedCert(w.port, { maxVersion: "TLSv1.2" }));
  } finally {
    await w.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("readiness waits for the cluster policies; SIGTERM-style shutdown finishes in-flight requests", async () => {
  const dir = secretDir("a");
  const informer = new FakeInformer();
  informer.nextError = new Error("ECONNREFUSED");
  const w = await startWebhook(options(dir, { noCluster: false, shutdownDelayMs: 50 }), { logger: silent, lookups: inventory(), policyInformer: informer });
  try {
    assert.deepEqual(w.readiness(), { ready: false, reasons: ["policy not loaded"] });
    informer.nextError = undefined;
    for (let i = 0; i < 200 && !w.readiness().ready; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(w.readiness().ready, true);

    const inflight = post(w.port, "/validate", JSON.stringify(reviewOf(goodCluster(), { uid: "in-flight" })), { hold: true });
    await new Promise((r) => setTimeout(r, 30));
    const stopped = w.shutdown();
    assert.deepEqual(w.readiness().reasons, ["shutting down"]);
    await new Promise((r) => setTimeout(r, 80)); // past the shutdown delay: no longer accepting
    inflight.release();
    const r = await inflight.done;
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).response.uid, "in-flight");
    await stopped;
    await assert.rejects(servedCert(w.port));
    assert.ok(informer.stopped);
  } finally {
    await w.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("startWebhook refuses unusable certificates and invalid policy files", async () => {
  const dir = secretDir("a");
  try {
    await assert.rejects(startWebhook({ ...options(dir), tlsKey: join(FIX, "tls-b.key") }, { logger: silent }), /TLS key pair/);
    const bad = join(dir, "policy.yaml");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(bad, "apiVersion: pgbackupguard.io/v1alpha1\nkind: BackupPolicy\nmetadata: {name: x}\nspec: {rpo: soon}\n");
    await assert.rejects(startWebhook({ ...options(dir), policyFiles: [bad] }, { logger: silent }), /invalid policy:[\s\S]*spec\.rpo/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("serve flags", () => {
  const ok = parseServeArgs(["--tls-cert", "c", "--tls-key", "k", "--no-cluster", "--lookup", "a.yaml", "b.yaml", "--lookup-failure", "deny", "--max-body", "1m"]);
  assert.ok(ok.ok && !("help" in ok));
  if (ok.ok && !("help" in ok)) {
    assert.deepEqual(ok.options.lookupPaths, ["a.yaml", "b.yaml"]);
    assert.equal(ok.options.lookupFailure, "deny");
    assert.equal(ok.options.maxBodyBytes, 1024 * 1024);
    assert.equal(ok.options.port, 8443);
  }
  const bad = (args: string[], re: RegExp) => {
    const r = parseServeArgs(args);
    assert.ok(!r.ok, args.join(" "));
    if (!r.ok) assert.match(r.message, re);
  };
  bad(["--no-cluster"], /--tls-cert and --tls-key are required/);
  bad(["--tls-cert", "c", "--tls-key", "k", "--lookup-failure", "maybe"], /allow or deny/);
  bad(["--tls-cert", "c", "--tls-key", "k", "--lookup", "x"], /needs --no-cluster/);
  bad(["--tls-cert", "c", "--tls-key", "k", "--no-cluster", "--kubeconfig", "x"], /exclude each other/);
  bad(["--tls-cert", "c", "--tls-key", "k", "--port", "http"], /--port must be a whole number/);
  bad(["--tls-cert", "c", "--tls-key", "k", "--bogus"], /bogus/);
  assert.deepEqual(parseServeArgs(["--help"]), { ok: true, help: true });
});
