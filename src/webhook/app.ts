// The express app: decode the AdmissionReview, call the handler, encode the answer, log and count.
// It knows nothing about TLS, files or the API server; serve.ts wires those in. Tests use it in-process.
import express, { type NextFunction, type Request, type Response } from "express";
import type { Logger } from "pino";
import { errored, jsonDepth, LIMITS, parseAdmissionReview, review } from "./admission.ts";
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
}

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 2000;

type Webhook = "validate" | "mutate";
const HANDLERS: Record<Webhook, (req: Parameters<typeof validate>[0], deps: HandlerDeps) => Decision> = {
  validate,
  mutate: mutateRequest,
};

interface BodyError extends Error {
  type?: string;
  status?: number;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  const log = deps.logger;
  const m = deps.metrics;
  const maxDepth = deps.maxDepth ?? LIMITS.maxDepth;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const sendError = (res: Response, status: number, message: string) => {
    if (!res.headersSent) res.status(status).json({ error: message });
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

  const timeout = (webhook: Webhook) => (req: Request, res: Response, next: NextFunction) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      m.badRequests.inc({ webhook, reason: "timeout" });
      log.warn({ webhook, timeoutMs }, "request not answered in time; answering 503 so the webhook's failurePolicy applies");
      res.status(503).set("Connection", "close").json({ error: `not answered within ${timeoutMs} ms` });
      req.socket.destroySoon?.();
    }, timeoutMs);
    timer.unref();
    res.once("finish", () => clearTimeout(timer));
    res.once("close", () => clearTimeout(timer));
    next();
  };

  const jsonBody = express.json({ limit: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, strict: false, type: () => true });

  for (const webhook of ["validate", "mutate"] as const) {
    const handler = HANDLERS[webhook];
    app.post(`/${webhook}`, timeout(webhook), jsonBody, (req: Request, res: Response) => {
      const start = performance.now();
      const body: unknown = req.body;
      if (jsonDepth(body, maxDepth) > maxDepth) {
        m.badRequests.inc({ webhook, reason: "too_deep" });
        return sendError(res, 400, `JSON nested deeper than ${maxDepth} levels`);
      }
      const parsed = parseAdmissionReview(body);
      if (!parsed.ok) {
        m.badRequests.inc({ webhook, reason: "invalid_review" });
        log.warn({ webhook, uid: parsed.uid, error: parsed.message }, "bad admission request");
        // With a uid we can answer the API server's way; without one it is not an AdmissionReview at all.
        if (parsed.uid) return void res.json(review(errored(parsed.uid, 400, parsed.message)));
        return sendError(res, 400, parsed.message);
      }
      const request = parsed.request;
      let decision: Decision;
      try {
        decision = handler(request, deps);
      } catch (err) {
        // Not a denial: a 500 lets the API server apply the failurePolicy (Fail for validate, Ignore for mutate).
        m.badRequests.inc({ webhook, reason: "internal_error" });
        log.error({ webhook, uid: request.uid, err }, "internal error while judging");
        return sendError(res, 500, "internal error");
      }
      if (res.headersSent) return; // timed out meanwhile
      res.json(review(decision.response));

      const seconds = (performance.now() - start) / 1000;
      const labels = { webhook, operation: request.operation, kind: kindLabel(request.kind.kind), decision: decision.decision };
      m.requests.inc(labels);
      m.duration.observe(labels, seconds);
      for (const f of decision.findings) m.findings.inc({ rule: f.rule, action: f.action });
      for (const nc of decision.notChecked) m.notChecked.inc({ rule: nc.rule });
      const rules = [...new Set([...decision.findings.map((f) => f.rule), ...decision.notChecked.map((n) => n.rule)])];
      log.info(
        {
          webhook,
          uid: request.uid,
          operation: request.operation,
          kind: decision.kind,
          namespace: decision.namespace,
          name: decision.name,
          decision: decision.decision,
          rules,
          ...(decision.skipReason ? { skipReason: decision.skipReason } : {}),
          ...(decision.changes && decision.changes.length > 0 ? { changes: decision.changes } : {}),
          dryRun: request.dryRun === true,
          durationMs: Math.round(seconds * 1e6) / 1e3,
        },
        "admission decision",
      );
    });
    app.all(`/${webhook}`, (_req, res) => sendError(res, 405, `use POST /${webhook}`));
  }

  app.use((_req, res) => sendError(res, 404, "not found"));
  app.use((err: BodyError, req: Request, res: Response, _next: NextFunction) => {
    const webhook = req.path.slice(1);
    const status = err.status ?? 500;
    const reason = err.type === "entity.too.large" ? "too_large" : err.type === "entity.parse.failed" ? "not_json" : (err.type ?? "error");
    if (status >= 500) log.error({ err, path: req.path }, "request failed");
    else log.warn({ path: req.path, reason, error: err.message }, "bad request");
    if (webhook === "validate" || webhook === "mutate") m.badRequests.inc({ webhook, reason });
    sendError(res, status, status === 413 ? `body larger than the limit (${err.message})` : status >= 500 ? "internal error" : err.message);
  });
  return app;
}
