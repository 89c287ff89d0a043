// One admission body in, one answer out: decode, judge (handler.ts), encode, and what logs and metrics need.
// Pure: no HTTP, no logger, no metrics, no express, so that the main thread (app.ts) and the offload workers
// (offload-worker.ts) run the very same code and give the same answer for the same body. The caller writes the
// answer and turns `Judged` into log lines and counters (app.ts `record`).
import { exceedsDepth } from "../input/depth.ts";
import type { Finding } from "../engine/types.ts";
import { errored, parseAdmissionReview, review } from "./admission.ts";
import { mutateRequest, validate, type Decision, type HandlerDeps } from "./handler.ts";

export type Webhook = "validate" | "mutate";

/** Longest text a log line carries from a request (uid, kind, names, error messages): a log line stays bounded. */
export const MAX_LOGGED_CHARS = 512;

/** A request-supplied text as it goes into a log line: at most MAX_LOGGED_CHARS characters. */
export function clipForLog<T>(value: T): T | string {
  if (typeof value !== "string" || value.length <= MAX_LOGGED_CHARS) return value;
  return `${value.slice(0, MAX_LOGGED_CHARS)}...(${value.length - MAX_LOGGED_CHARS} more characters)`;
}

export type BadRequestReason = "not_json" | "too_deep" | "invalid_review" | "internal_error";

/** What a judged request comes to: structured-cloneable and bounded (it crosses from a worker to the main thread). */
export interface Judged {
  status: number;
  /** The response body (JSON text; bytes when it comes from a worker). */
  body: string | Uint8Array;
  /** Set when the request was refused or failed before a decision: the `reason` label of bad_requests_total. */
  badRequest?: BadRequestReason;
  /** For the log line of a refused or failed request (clipped). */
  uid?: string;
  error?: string;
  decision?: DecisionSummary;
}

/** A Decision reduced to what the log line and the metrics read: bounded by the number of rules, not the object. */
export interface DecisionSummary {
  uid: string;
  operation: string;
  /** request.kind.kind (clipped): the metrics map it to a bounded label. */
  requestKind: string;
  kind: string;
  namespace?: string;
  name?: string;
  decision: Decision["decision"];
  skipReason?: string;
  changes?: string[];
  dryRun: boolean;
  /** Rule ids with a finding or a not-checked entry, each once, in first-seen order. */
  rules: string[];
  /** [rule, action, count] per (rule, action). */
  findings: [string, string, number][];
  /** [rule, count]. */
  notChecked: [string, number][];
  /** Rules that threw: [rule, action, count, first message (clipped)]. */
  ruleErrors: [string, string, number, string][];
}

const HANDLERS: Record<Webhook, (req: Parameters<typeof validate>[0], deps: HandlerDeps) => Decision> = {
  validate,
  mutate: mutateRequest,
};

function errorBody(message: string): string {
  return JSON.stringify({ error: message });
}

function count<K>(map: Map<string, [K, number]>, key: string, make: () => K): void {
  const hit = map.get(key);
  if (hit) hit[1]++;
  else map.set(key, [make(), 1]);
}

export function summarize(request: { uid: string; operation: string; kind: { kind: string }; dryRun?: boolean }, decision: Decision): DecisionSummary {
  const findings = new Map<string, [[string, string], number]>();
  const notChecked = new Map<string, [string, number]>();
  const ruleErrors = new Map<string, [[string, string, string], number]>();
  const rules = new Set<string>();
  for (const f of decision.findings as Finding[]) {
    rules.add(f.rule);
    count(findings, `${f.rule}\u0000${f.action}`, () => [f.rule, f.action]);
    if (f.cause === "rule-error") count(ruleErrors, `${f.rule}\u0000${f.action}`, () => [f.rule, f.action, String(clipForLog(f.message))]);
  }
  for (const nc of decision.notChecked) {
    rules.add(nc.rule);
    count(notChecked, nc.rule, () => nc.rule);
  }
  const out: DecisionSummary = {
    uid: String(clipForLog(request.uid)),
    operation: request.operation,
    requestKind: String(clipForLog(request.kind.kind)),
    kind: String(clipForLog(decision.kind)),
    decision: decision.decision,
    dryRun: request.dryRun === true,
    rules: [...rules],
    findings: [...findings.values()].map(([[rule, action], n]) => [rule, action, n]),
    notChecked: [...notChecked.values()].map(([rule, n]) => [rule, n]),
    ruleErrors: [...ruleErrors.values()].map(([[rule, action, message], n]) => [rule, action, n, message]),
  };
  if (decision.namespace !== undefined) out.namespace = String(clipForLog(decision.namespace));
  if (decision.name !== undefined) out.name = String(clipForLog(decision.name));
  if (decision.skipReason) out.skipReason = decision.skipReason;
  if (decision.changes && decision.changes.length > 0) out.changes = decision.changes.slice(0, 50).map((c) => String(clipForLog(c)));
  return out;
}

/** Judges a body already decoded from JSON. */
export function judgeParsed(webhook: Webhook, body: unknown, deps: HandlerDeps, maxDepth: number): Judged {
  if (exceedsDepth(body, maxDepth)) return { status: 400, body: errorBody(`JSON nested deeper than ${maxDepth} levels`), badRequest: "too_deep" };
  const parsed = parseAdmissionReview(body);
  if (!parsed.ok) {
    const out: Judged = { status: 400, body: errorBody(parsed.message), badRequest: "invalid_review", error: String(clipForLog(parsed.message)) };
    // With a uid we can answer the API server's way; without one it is not an AdmissionReview at all.
    if (parsed.uid) {
      out.status = 200;
      out.body = JSON.stringify(review(errored(parsed.uid, 400, parsed.message)));
      out.uid = String(clipForLog(parsed.uid));
    }
    return out;
  }
  const request = parsed.request;
  let decision: Decision;
  try {
    decision = HANDLERS[webhook](request, deps);
  } catch (err) {
    // Not a denial: a 500 lets the API server apply the failurePolicy (Fail for validate, Ignore for mutate).
    return { status: 500, body: errorBody("internal error"), badRequest: "internal_error", uid: String(clipForLog(request.uid)), error: String(clipForLog(String((err as Error)?.stack ?? err))) };
  }
  return { status: 200, body: JSON.stringify(review(decision.response)), decision: summarize(request, decision) };
}

/** Decodes and judges a raw body (UTF-8 JSON). */
export function judgeBody(webhook: Webhook, bytes: Uint8Array, deps: HandlerDeps, maxDepth: number): Judged {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
  } catch (err) {
    const message = (err as Error).message;
    return { status: 400, body: errorBody(`the body is not JSON: ${message}`), badRequest: "not_json", error: String(clipForLog(message)) };
  }
  return judgeParsed(webhook, body, deps, maxDepth);
}
