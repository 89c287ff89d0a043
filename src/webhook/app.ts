// The express app: decode the AdmissionReview, call the handler, encode the answer, log and count.
// It knows nothing about TLS, files or the API server; serve.ts wires those in. Tests use it in-process.
import type { IncomingMessage, ServerResponse } from "node:http";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Logger } from "pino";
import { LIMITS } from "./admission.ts";
import type { HandlerDeps } from "./handler.ts";
import { kindLabel, type WebhookMetrics } from "./metrics.ts";
import { judgeBody, type Judged, type Webhook } from "./offload-judge.ts";
import { ownBuffer, type OffloadHandle, type OffloadPool } from "./offload.ts";

export { clipForLog, MAX_LOGGED_CHARS } from "./offload-judge.ts";

export interface Readiness {
  ready: boolean;
  /** What is missing when not ready (policy not loaded, cache X not synced, shutting down). */
  reasons: string[];
}

export interface AppDeps extends HandlerDeps {
  logger: Logger;
  metrics: WebhookMetrics;
  readiness: () => Readiness;
  /** Largest accepted body in bytes (default 4 MiB: an UPDATE carries two objects of up to 1.5 MiB each). */
  maxBodyBytes?: number;
  /** Deepest accepted JSON nesting (default 100). */
  maxDepth?: number;
  /**
   * Answer within this many ms (default 2000) or give up with HTTP 503, so that the API server applies the
   * webhook's failurePolicy instead of waiting for its own timeoutSeconds.
   */
  timeoutMs?: number;
  /**
   * Admission requests read or judged at once (default 32). Beyond it a request is answered 503 at once, before
   * its body is read, so that under a flood the API server applies failurePolicy in milliseconds instead of
   * queueing until its own timeout, and memory stays bounded (at most this many bodies of `maxBodyBytes`).
   */
  maxInFlight?: number;
  /**
   * Workers that judge bodies larger than `offloadThresholdBytes` off the main thread (offload.ts); without it
   * every body is judged on the main thread.
   */
  offload?: OffloadPool;
  /** Bodies larger than this many bytes go to `offload` (0: none). */
  offloadThresholdBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 2000;
export const DEFAULT_MAX_IN_FLIGHT = 32;
/** A node request listener (for https.createServer and supertest); `express` serves everything but admission. */
export type WebhookApp = ((req: IncomingMessage, res: ServerResponse) => void) & { express: express.Express };

export function createApp(deps: AppDeps): WebhookApp {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  const log = deps.logger;
  const m = deps.metrics;
  const maxDepth = deps.maxDepth ?? LIMITS.maxDepth;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBody = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxInFlight = deps.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const offload = deps.offload;
  const offloadThreshold = deps.offloadThresholdBytes ?? 0;
  let inFlight = 0;
  // Rule ids whose internal error was logged: once per rule (the metric counts every occurrence).
  const ruleErrorsLogged = new Set<string>();

  const sendJson = (res: ServerResponse, status: number, value: unknown, close = false) => {
    if (res.headersSent) return;
    const text = JSON.stringify(value);
    const headers: Record<string, string | number> = { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) };
    if (close) headers.connection = "close";
    res.writeHead(status, headers);
    res.end(text);
  };
  const sendError = (res: ServerResponse, status: number, message: string, close = false) => sendJson(res, status, { error: message }, close);
  const sendBytes = (res: ServerResponse, status: number, body: string | Uint8Array) => {
    if (res.headersSent) return;
    const length = typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": length });
    res.end(body);
  };

  app.get("/healthz", (_req, res) => {
    res.type("text/plain").send("ok");
  });
  app.get("/readyz", (_req, res) => {
    const r = deps.readiness();
    res.status(r.ready ? 200 : 503).type("text/plain").send(r.ready ? "ok" : `not ready: ${r.reasons.join("; ")}`);
  });
  app.get("/metrics", async (_req, res, next) => {
    try {
      const body = await m.registry.metrics();
      res.type(m.registry.contentType).send(body);
    } catch (err) {
      next(err);
    }
  });
  for (const webhook of ["validate", "mutate"] as const) app.all(`/${webhook}`, (_req, res) => sendError(res, 405, `use POST /${webhook}`));
  app.use((_req, res) => sendError(res, 404, "not found"));
  app.use((err: Error, req: Request, res: Response, _next: NextFunction) => {
    log.error({ err, path: req.path }, "request failed");
    sendError(res, 500, "internal error");
  });

  /** Writes the answer of a judged body; logs and counts (the same whether it was judged here or in a worker). */
  const record = (webhook: Webhook, judged: Judged, res: ServerResponse, start: number) => {
    if (judged.badRequest) {
      m.badRequests.inc({ webhook, reason: judged.badRequest });
      if (judged.badRequest === "not_json") log.warn({ webhook, error: judged.error }, "bad request: body is not JSON");
      else if (judged.badRequest === "invalid_review") log.warn({ webhook, uid: judged.uid, error: judged.error }, "bad admission request");
      else if (judged.badRequest === "internal_error") log.error({ webhook, uid: judged.uid, error: judged.error }, "internal error while judging");
    }
    if (res.headersSent) return; // timed out meanwhile
    sendBytes(res, judged.status, judged.body);
    const d = judged.decision;
    if (!d) return;

    const seconds = (performance.now() - start) / 1000;
    const labels = { webhook, operation: d.operation, kind: kindLabel(d.requestKind), decision: d.decision };
    m.requests.inc(labels);
    m.duration.observe(labels, seconds);
    for (const [rule, action, n] of d.findings) m.findings.inc({ rule, action }, n);
    for (const [rule, n] of d.notChecked) m.notChecked.inc({ rule }, n);
    for (const [rule, action, n, message] of d.ruleErrors) {
      m.ruleErrors.inc({ rule, action }, n);
      if (ruleErrorsLogged.has(rule)) continue;
      ruleErrorsLogged.add(rule);
      log.error(
        { webhook, uid: d.uid, rule, action, error: message, kind: d.kind },
        "a rule failed with an internal error (logged once per rule; counted in pgbackupguard_rule_errors_total)",
      );
    }
    log.info(
      {
        webhook,
        uid: d.uid,
        operation: d.operation,
        kind: d.kind,
        namespace: d.namespace,
        name: d.name,
        decision: d.decision,
        rules: d.rules,
        ...(d.skipReason ? { skipReason: d.skipReason } : {}),
        ...(d.changes && d.changes.length > 0 ? { changes: d.changes } : {}),
        dryRun: d.dryRun,
        durationMs: Math.round(seconds * 1e6) / 1e3,
        ...(judgedIn.get(judged) ? { offloaded: true } : {}),
      },
      "admission decision",
    );
  };
  // Answers that came from a worker (the log line says so).
  const judgedIn = new WeakMap<Judged, boolean>();

  /**
   * POST /validate and /mutate, on plain node streams: this is the hot path (express's router and body
   * parser cost more than the engine). Body limit, timeout and errors are handled here.
   */
  const admission = (webhook: Webhook, req: IncomingMessage, res: ServerResponse) => {
    const start = performance.now();
    if (inFlight >= maxInFlight) {
      // Shed load before reading the body: the answer costs microseconds and the API server applies failurePolicy.
      m.shed.inc({ webhook });
      sendError(res, 503, `overloaded: ${maxInFlight} admission requests already in flight; retry`);
      req.resume();
      return;
    }
    inFlight++;
    m.inFlight.set(inFlight);
    let done = false;
    const release = () => {
      if (done) return;
      done = true;
      inFlight--;
      m.inFlight.set(inFlight);
    };
    res.once("close", release);
    res.once("finish", release);
    // Set while the body is judged in a worker.
    let job: OffloadHandle | undefined;
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      m.badRequests.inc({ webhook, reason: "timeout" });
      log.warn({ webhook, timeoutMs }, "request not answered in time; answering 503 so the webhook's failurePolicy applies");
      sendError(res, 503, `not answered within ${timeoutMs} ms`, true);
      req.destroy();
      // An offloaded job past its deadline: its worker is terminated and replaced (the answer above is already out).
      if (job) {
        log.warn({ webhook, timeoutMs }, "offload job past the deadline: its worker is terminated and replaced");
        job.cancel(true);
      }
    }, timeoutMs);
    timer.unref();
    res.once("close", () => {
      clearTimeout(timer);
      job?.cancel(false);
    });

    const tooLarge = () => {
      m.badRequests.inc({ webhook, reason: "too_large" });
      log.warn({ webhook, maxBody }, "request body too large");
      sendError(res, 413, `body larger than the limit (${maxBody} bytes)`, true);
      req.resume();
    };
    const declared = Number(req.headers["content-length"]);
    if (declared > maxBody) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > maxBody) {
        over = true;
        chunks.length = 0;
        return tooLarge();
      }
      chunks.push(chunk);
    });
    req.on("error", () => clearTimeout(timer));
    req.on("end", () => {
      if (over || res.headersSent) return;
      // The timer may not have run yet when the event loop was busy: a request already past its deadline is not
      // judged (its answer would come after the API server stopped waiting).
      if (performance.now() - start > timeoutMs) {
        m.badRequests.inc({ webhook, reason: "timeout" });
        return sendError(res, 503, `not answered within ${timeoutMs} ms`, true);
      }
      if (offload && offloadThreshold > 0 && size > offloadThreshold) {
        // Never parsed here: the bytes go to a worker, which parses, judges and encodes (offload.ts).
        const body = ownBuffer(chunks, size);
        chunks.length = 0;
        m.offloaded.inc({ webhook });
        const nowMs = deps.now?.().getTime();
        job = offload.submit({ webhook, body, lookupFailure: deps.lookupFailure, maxDepth, ...(nowMs !== undefined ? { nowMs } : {}) });
        job.result.then(
          (r) => {
            job = undefined;
            if (r.ok) {
              judgedIn.set(r.judged, true);
              return record(webhook, r.judged, res, start);
            }
            if (r.reason === "crash") {
              // Like a rule that threw: a 500 lets the API server apply the failurePolicy.
              m.badRequests.inc({ webhook, reason: "internal_error" });
              log.error({ webhook, error: r.error }, "the offload worker judging this request died; answering 500 so the webhook's failurePolicy applies");
              sendError(res, 500, "internal error");
            }
            // cancelled: answered already (timeout) or the client went away.
          },
          (err: unknown) => {
            log.error({ webhook, err }, "internal error");
            sendError(res, 500, "internal error");
          },
        );
        return;
      }
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      try {
        record(webhook, judgeBody(webhook, body, deps, maxDepth), res, start);
      } catch (err) {
        log.error({ webhook, err }, "internal error");
        sendError(res, 500, "internal error");
      }
    });
  };

  const listener = ((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "POST") {
      const q = req.url?.indexOf("?") ?? -1;
      const path = q >= 0 ? req.url!.slice(0, q) : req.url;
      if (path === "/validate" || path === "/mutate") return admission(path.slice(1) as Webhook, req, res);
    }
    app(req, res);
  }) as WebhookApp;
  listener.express = app;
  return listener;
}
