// Overload and transport limits of the webhook (issue 12, "Overload" and "TLS"): load shedding beyond
// --max-in-flight, connection cap, header timeouts enforced within seconds, bounded log lines, and TLS 1.2
// restricted to ECDHE AEAD suites.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, request as httpRequest, type ClientRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:tls";
import { join } from "node:path";
import { pino } from "pino";
import request from "supertest";
import { MAX_LOGGED_CHARS } from "../../src/webhook/app.ts";
import { parseServeArgs, SERVE_USAGE } from "../../src/cli/serve.ts";
import { startWebhook, CONNECTIONS_CHECK_MS, type ServeOptions } from "../../src/webhook/serve.ts";
import { DEFAULT_TLS_CIPHERS } from "../../src/webhook/tls.ts";
import { goodCluster, inventory, makeApp, reviewOf } from "../webhook/helpers.ts";

const FIX = new URL("../webhook/fixtures/", import.meta.url).pathname;
const silent = pino({ level: "silent" });

function serveOptions(extra: string[] = []): ServeOptions {
  const r = parseServeArgs(["--no-cluster", "--tls-cert", join(FIX, "tls-a.crt"), "--tls-key", join(FIX, "tls-a.key"), "--port", "0", "--host", "127.0.0.1", "--shutdown-delay", "0", ...extra]);
  if (!r.ok || "help" in r) throw new Error(`bad test flags: ${JSON.stringify(r)}`);
  return r.options;
}

describe("load shedding", () => {
  it("beyond --max-in-flight, 503 at once; the requests in flight still get their answer", async () => {
    const { app, metrics } = makeApp({ maxInFlight: 2 });
    const server = createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const body = JSON.stringify(reviewOf(goodCluster()));
    // Two requests whose bodies are still arriving hold both slots.
    const held: { req: ClientRequest; done: Promise<number> }[] = [];
    for (let i = 0; i < 2; i++) {
      const req = httpRequest({ port, host: "127.0.0.1", method: "POST", path: "/validate", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } });
      const done = new Promise<number>((resolve, reject) => {
        req.on("response", (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode!));
        });
        req.on("error", reject);
      });
      req.write(body.slice(0, 10));
      held.push({ req, done });
    }
    await new Promise((r) => setTimeout(r, 100));
    const start = performance.now();
    const shed = await request(server).post("/validate").send(JSON.parse(body));
    assert.equal(shed.status, 503);
    assert.match(shed.body.error, /overloaded: 2 admission requests already in flight/);
    assert.ok(performance.now() - start < 500);
    for (const h of held) h.req.end(body.slice(10));
    assert.deepEqual(await Promise.all(held.map((h) => h.done)), [200, 200]);
    // Slots are released: the next request is judged.
    assert.equal((await request(server).post("/validate").send(JSON.parse(body))).status, 200);
    const text = await metrics.registry.metrics();
    assert.match(text, /pgbackupguard_admission_shed_total\{webhook="validate"\} 1/);
    assert.match(text, /pgbackupguard_admission_in_flight 0/);
    await new Promise((r) => server.close(r));
  });

  it("log lines stay bounded whatever the request carries", async () => {
    const { app, logs } = makeApp();
    const huge = "u".repeat(100_000);
    const review = reviewOf(goodCluster(), { uid: huge });
    (review.request as Record<string, any>).kind.kind = "K".repeat(100_000);
    await request(app).post("/validate").send(review);
    await request(app).post("/validate").send({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { uid: huge } });
    assert.ok(logs.length >= 2);
    for (const l of logs) assert.ok(JSON.stringify(l).length < 4 * MAX_LOGGED_CHARS + 2000, `log line of ${JSON.stringify(l).length} characters`);
  });
});

describe("serve: connection limits, timeouts, TLS", () => {
  it("flags and defaults are parsed and documented", () => {
    const o = serveOptions(["--max-in-flight", "5", "--max-connections", "7", "--tls-ciphers", "ECDHE-ECDSA-AES256-GCM-SHA384"]);
    assert.deepEqual([o.maxInFlight, o.maxConnections, o.tlsCiphers], [5, 7, "ECDHE-ECDSA-AES256-GCM-SHA384"]);
    const d = serveOptions();
    assert.deepEqual([d.maxInFlight, d.maxConnections, d.tlsCiphers], [32, 1000, DEFAULT_TLS_CIPHERS]);
    for (const flag of ["--max-in-flight", "--max-connections", "--tls-ciphers"]) assert.ok(SERVE_USAGE.includes(flag), flag);
    const bad = parseServeArgs(["--no-cluster", "--tls-cert", "c", "--tls-key", "k", "--max-in-flight", "0"]);
    assert.equal(bad.ok, false);
  });

  it("server limits are set; slow headers lose their socket within seconds (Node checks every 30 s by default)", { timeout: 30_000 }, async () => {
    const w = await startWebhook({ ...serveOptions(["--max-connections", "50"]), timeoutMs: 500 }, { logger: silent, lookups: inventory() });
    try {
      assert.equal(w.server.maxConnections, 50);
      assert.equal(w.server.requestTimeout, 1500);
      assert.equal(w.server.headersTimeout, 1500);
      assert.ok(w.server.keepAliveTimeout > 0);
      const start = Date.now();
      const closedAfter = await new Promise<number>((resolve, reject) => {
        const s = connect({ port: w.port, host: "127.0.0.1", rejectUnauthorized: false }, () => s.write("POST /validate HTTP/1.1\r\nHost: x\r\n"));
        s.on("error", () => undefined);
        s.resume(); // read the 408, and so see the close
        s.on("close", () => resolve(Date.now() - start));
        setTimeout(() => reject(new Error("socket still open after 10 s")), 10_000).unref();
      });
      assert.ok(closedAfter < 1500 + 2 * CONNECTIONS_CHECK_MS + 1000, `closed after ${closedAfter} ms`);
    } finally {
      await w.shutdown();
    }
  });

  const handshake = (port: number, options: { ciphers?: string; maxVersion?: "TLSv1.2" | "TLSv1.3"; minVersion?: "TLSv1.2" | "TLSv1.3" }) =>
    new Promise<{ ok: boolean; cipher?: string; version?: string }>((resolve) => {
      const s = connect({ port, host: "127.0.0.1", rejectUnauthorized: false, ...options }, () => {
        resolve({ ok: true, cipher: s.getCipher().standardName, version: s.getProtocol() ?? undefined });
        s.end();
      });
      s.on("error", () => resolve({ ok: false }));
    });

  it("TLS 1.2 accepts ECDHE with AES-GCM or ChaCha20-Poly1305 only; TLS 1.3 unchanged", { timeout: 30_000 }, async () => {
    const w = await startWebhook(serveOptions(), { logger: silent, lookups: inventory() });
    try {
      for (const weak of ["ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-ECDSA-AES128-CCM8", "ECDHE-ECDSA-AES128-CCM", "AES128-GCM-SHA256"])
        assert.equal((await handshake(w.port, { ciphers: weak, maxVersion: "TLSv1.2" })).ok, false, weak);
      for (const good of ["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305"])
        assert.equal((await handshake(w.port, { ciphers: good, maxVersion: "TLSv1.2" })).ok, true, good);
      const v13 = await handshake(w.port, { minVersion: "TLSv1.3" });
      assert.equal(v13.version, "TLSv1.3");
    } finally {
      await w.shutdown();
    }
  });

  it("--tls-ciphers replaces the list (kept across certificate reloads); an unknown list refuses to start", { timeout: 30_000 }, async () => {
    const w = await startWebhook(serveOptions(["--tls-ciphers", "ECDHE-ECDSA-AES256-GCM-SHA384"]), { logger: silent, lookups: inventory() });
    try {
      assert.equal((await handshake(w.port, { ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256", maxVersion: "TLSv1.2" })).ok, false);
      assert.equal((await handshake(w.port, { ciphers: "ECDHE-ECDSA-AES256-GCM-SHA384", maxVersion: "TLSv1.2" })).ok, true);
    } finally {
      await w.shutdown();
    }
    await assert.rejects(startWebhook(serveOptions(["--tls-ciphers", "NOT-A-CIPHER"]), { logger: silent, lookups: inventory() }), /--tls-ciphers/);
  });
});
