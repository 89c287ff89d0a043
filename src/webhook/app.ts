// The express app: decode the AdmissionReview, call the handler, encode the answer, log and count.
// It knows nothing about TLS, files or the API server; serve.ts wires those in. Tests use it in-process.
import type { IncomingMessage, ServerResponse } from "node:http";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Logger } from "pino";
import { exceedsDepth } from "../input/depth.ts";
import { errored, LIMITS, parseAdmissionReview, review } from "./admission.ts";
import { mutateRequest, validate, type Decision, type HandlerDeps } from "./handler.ts";
import { kindLabel, type WebhookMetrics } from "./metrics.ts";

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
}

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 2000;
export const DEFAULT_MAX_IN_FLIGHT = 32;
/** Longest text a log line carries from a request (uid, kind, names, error messages): a log line stays bounded. */
export const MAX_LOGGED_CHARS = 512;

/** A request-supplied text as it goes into a log line: at most MAX_LOGGED_CHARS characters. */
export function clipForLog<T>(value: T): T | string {
  if (typeof value !== "string" || value.length <= MAX_LOGGED_CHARS) return value;
  return `${value.slice(0, MAX_LOGGED_CHARS)}...(${value.length - MAX_LOGGED_CHARS} more characters)`;
}

type Webhook = "validate" | "mutate";
const HANDLERS: Record<Webhook, (req: Parameters<typeof validate>[0], deps: HandlerDeps) => Decision> = {
  validate,
  mutate: mutateRequest,
};

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

  /** Judges a parsed body and writes the answer; logs and counts. */
  const judge = (webhook: Webhook, body: unknown, res: ServerResponse, start: number) => {
    if (exceedsDepth(body, maxDepth)) {
      m.badRequests.inc({ webhook, reason: "too_deep" });
      return sendError(res, 400, `JSON nested deeper than ${maxDepth} levels`);
    }
    const parsed = parseAdmissionReview(body);
    if (!parsed.ok) {
      m.badRequests.inc({ webhook, reason: "invalid_review" });
      log.warn({ webhook, uid: clipForLog(parsed.uid), error: clipForLog(parsed.message) }, "bad admission request");
      // With a uid we can answer the API server's way; without one it is not an AdmissionReview at all.
      if (parsed.uid) return sendJson(res, 200, review(errored(parsed.uid, 400, parsed.message)));
      return sendError(res, 400, parsed.message);
    }
    const request = parsed.request;
    let decision: Decision;
    try {
      decision = HANDLERS[webhook](request, deps);
    } catch (err) {
      // Not a denial: a 500 lets the API server apply the failurePolicy (Fail for validate, Ignore for mutate).
      m.badRequests.inc({ webhook, reason: "internal_error" });
      log.error({ webhook, uid: clipForLog(request.uid), err }, "internal error while judging");
      return sendError(res, 500, "internal error");
    }
    if (res.headersSent) return; // timed out meanwhile
    sendJson(res, 200, review(decision.response));

    const seconds = (performance.now() - start) / 1000;
    const labels = { webhook, operation: request.operation, kind: kindLabel(request.kind.kind), decision: decision.decision };
    m.requests.inc(labels);
    m.duration.observe(labels, seconds);
    for (const f of decision.findings) m.findings.inc({ rule: f.rule, action: f.action });
    for (const nc of decision.notChecked) m.notChecked.inc({ rule: nc.rule });
    for (const f of decision.findings) {
      if (f.cause !== "rule-error") continue;
      m.ruleErrors.inc({ rule: f.rule, action: f.action });
      if (ruleErrorsLogged.has(f.rule)) continue;
      ruleErrorsLogged.add(f.rule);
      log.error(
        { webhook, uid: clipForLog(request.uid), rule: f.rule, action: f.action, error: clipForLog(f.message), kind: clipForLog(decision.kind) },
        "a rule failed with an internal error (logged once per rule; counted in pgbackupguard_rule_errors_total)",
      );
    }
    const rules = [...new Set([...decision.findings.map((f) => f.rule), ...decision.notChecked.map((n) => n.rule)])];
    log.info(
      {
        webhook,
        uid: clipForLog(request.uid),
        operation: request.operation,
        kind: clipForLog(decision.kind),
        namespace: clipForLog(decision.namespace),
        name: clipForLog(decision.name),
        decision: decision.decision,
        rules,
        ...(decision.skipReason ? { skipReason: decision.skipReason } : {}),
        ...(decision.changes && decision.changes.length > 0 ? { changes: decision.changes.slice(0, 50).map(clipForLog) } : {}),
        dryRun: request.dryRun === true,
        durationMs: Math.round(seconds * 1e6) / 1e3,
      },
      "admission decision",
    );
  };

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
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      m.badRequests.inc({ webhook, reason: "timeout" });
      log.warn({ webhook, timeoutMs }, "request not answered in time; answering 503 so the webhook's failurePolicy applies");
      sendError(res, 503, `not answered within ${timeoutMs} ms`, true);
      req.destroy();
    }, timeoutMs);
    timer.unref();
    res.once("close", () => clearTimeout(timer));

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
      let body: unknown;
      try {
        body = JSON.parse(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8"));
      } catch (err) {
        m.badRequests.inc({ webhook, reason: "not_json" });
        log.warn({ webhook, error: clipForLog((err as Error).message) }, "bad request: body is not JSON");
        return sendError(res, 400, `the body is not JSON: ${(err as Error).message}`);
      }
      try {
        judge(webhook, body, res, start);
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
