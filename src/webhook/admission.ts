// The AdmissionReview codec (admission.k8s.io/v1): parsing requests and building responses.
// Pure functions, no HTTP, no engine: unit-tested on their own (controller-runtime's admission helpers).
import { jsonDepth as depthOf } from "../input/depth.ts";
import { isObject } from "../util/object.ts";

export const ADMISSION_API_VERSION = "admission.k8s.io/v1";

export type AdmissionOperation = "CREATE" | "UPDATE" | "DELETE" | "CONNECT";

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface AdmissionRequest {
  uid: string;
  kind: GroupVersionKind;
  resource?: { group: string; version: string; resource: string };
  subResource?: string;
  name?: string;
  namespace?: string;
  operation: AdmissionOperation;
  userInfo?: Record<string, unknown>;
  object?: unknown;
  oldObject?: unknown;
  dryRun?: boolean;
  options?: unknown;
}

export interface AdmissionStatus {
  code: number;
  message: string;
  reason?: string;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: AdmissionStatus;
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
  patchType?: "JSONPatch";
  patch?: string;
}

export interface AdmissionReview {
  apiVersion: typeof ADMISSION_API_VERSION;
  kind: "AdmissionReview";
  response: AdmissionResponse;
}

export interface JsonPatchOp {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

/** Limits the API server and kubectl impose (see admission/v1 AdmissionResponse docs). */
export const LIMITS = {
  /** "Limit warnings to 120 characters if possible. Warnings over 256 characters ... may be truncated." */
  warningChars: 256,
  /** The API server truncates the warnings of a response beyond 4 KiB in total. */
  warningsTotalChars: 4096,
  /** Audit annotation keys are qualified names (no prefix: the API server adds "<webhook>/"), ≤ 63 bytes. */
  auditKeyChars: 63,
  auditValueChars: 1024,
  /** A deny message is shown whole by kubectl; keep it bounded all the same. */
  messageChars: 4096,
  /** Deeper JSON than this is refused before any recursive code sees it. */
  maxDepth: 100,
} as const;

const OPERATIONS: ReadonlySet<string> = new Set(["CREATE", "UPDATE", "DELETE", "CONNECT"]);

export type ParseResult =
  | { ok: true; request: AdmissionRequest }
  /** `uid` is set when the request could be identified: answer with an AdmissionReview error then. */
  | { ok: false; message: string; uid?: string };

/**
 * Reads an AdmissionReview body. Never throws. CREATE and UPDATE need `object`, UPDATE `oldObject` too
 * (DELETE carries only `oldObject`, CONNECT neither).
 */
export function parseAdmissionReview(body: unknown): ParseResult {
  if (!isObject(body)) return { ok: false, message: "the body is not a JSON object (expected an AdmissionReview)" };
  if (body.kind !== "AdmissionReview")
    return { ok: false, message: `kind is ${JSON.stringify(body.kind)}, expected "AdmissionReview"` };
  if (body.apiVersion !== ADMISSION_API_VERSION)
    return {
      ok: false,
      message: `apiVersion is ${JSON.stringify(body.apiVersion)}; only ${ADMISSION_API_VERSION} is served (set admissionReviewVersions: ["v1"])`,
    };
  const req = body.request;
  if (!isObject(req)) return { ok: false, message: "request is missing or not an object" };
  if (typeof req.uid !== "string" || req.uid === "") return { ok: false, message: "request.uid is missing" };
  const uid = req.uid;
  const fail = (message: string): ParseResult => ({ ok: false, message, uid });

  if (typeof req.operation !== "string" || !OPERATIONS.has(req.operation))
    return fail(`request.operation ${JSON.stringify(req.operation)} is not CREATE, UPDATE, DELETE or CONNECT`);
  const kind = req.kind;
  if (!isObject(kind) || typeof kind.kind !== "string" || typeof kind.version !== "string")
    return fail("request.kind must be {group, version, kind}");
  const operation = req.operation as AdmissionOperation;
  if ((operation === "CREATE" || operation === "UPDATE") && !isObject(req.object))
    return fail(`request.object is missing on ${operation}`);
  if (operation === "UPDATE" && !isObject(req.oldObject)) return fail("request.oldObject is missing on UPDATE");

  const request: AdmissionRequest = {
    ...(req as object),
    uid,
    operation,
    kind: { group: typeof kind.group === "string" ? kind.group : "", version: kind.version, kind: kind.kind },
  } as AdmissionRequest;
  if (typeof req.namespace !== "string") delete request.namespace;
  if (typeof req.name !== "string") delete request.name;
  if (typeof req.subResource !== "string" || req.subResource === "") delete request.subResource;
  request.dryRun = req.dryRun === true;
  return { ok: true, request };
}

/** Nesting depth of parsed JSON, computed without recursion; stops counting past `limit`. */
export function jsonDepth(value: unknown, limit: number = LIMITS.maxDepth): number {
  return depthOf(value, limit);
}

// ---- response helpers -------------------------------------------------------------------------

export function review(response: AdmissionResponse): AdmissionReview {
  return { apiVersion: ADMISSION_API_VERSION, kind: "AdmissionReview", response };
}

export function allowed(uid: string, extra: Partial<AdmissionResponse> = {}): AdmissionResponse {
  return withExtras({ uid, allowed: true }, extra);
}

export function denied(uid: string, message: string, extra: Partial<AdmissionResponse> = {}, code = 403): AdmissionResponse {
  return withExtras({ uid, allowed: false, status: { code, message: bound(message, LIMITS.messageChars), reason: "Forbidden" } }, extra);
}

/** Allowed with a JSONPatch; no patch fields at all when there is nothing to change. */
export function patched(uid: string, ops: readonly JsonPatchOp[], extra: Partial<AdmissionResponse> = {}): AdmissionResponse {
  const response = allowed(uid, extra);
  if (ops.length > 0) {
    response.patchType = "JSONPatch";
    response.patch = Buffer.from(JSON.stringify(ops)).toString("base64");
  }
  return response;
}

/** The request itself is wrong (or we failed on it): not allowed, with an HTTP-like code. */
export function errored(uid: string, code: number, message: string): AdmissionResponse {
  return { uid, allowed: false, status: { code, message: bound(message, LIMITS.messageChars), reason: code === 400 ? "BadRequest" : "InternalError" } };
}

function withExtras(response: AdmissionResponse, extra: Partial<AdmissionResponse>): AdmissionResponse {
  if (extra.warnings && extra.warnings.length > 0) response.warnings = extra.warnings;
  if (extra.auditAnnotations && Object.keys(extra.auditAnnotations).length > 0) response.auditAnnotations = extra.auditAnnotations;
  return response;
}

// ---- text shaping -----------------------------------------------------------------------------

/** Cuts text to `max` characters, ending with an ellipsis when cut. */
export function bound(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Abbreviations whose period does not end a sentence ("e.g. 6 fields" must never be cut after "e.g."). */
const ABBREVIATIONS = /(?:^|[\s(])(?:e\.g|i\.e|etc|vs|cf|approx|incl|no)\.$/i;

/** Sentences of a message: split after ". " (or "? " / "! "), never after an abbreviation or inside a number. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  const re = /[.!?]\s+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const end = m.index + 1;
    if (ABBREVIATIONS.test(text.slice(Math.max(start, end - 12), end))) continue;
    out.push(text.slice(start, end).trim());
    start = m.index + m[0].length;
  }
  if (start < text.length) out.push(text.slice(start).trim());
  return out.filter((s) => s !== "");
}

/**
 * Cuts a message to `max` characters the way a reader needs it: messages are "what is wrong. why. … the fix.", so
 * the first sentence (what) and the last (the fix) are kept and middle sentences dropped from the end, marked with
 * "…". When even those two do not fit, the first sentence is kept whole if it can be, else cut hard with an ellipsis.
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const parts = sentences(text);
  if (parts.length >= 2) {
    const first = parts[0]!;
    const last = parts[parts.length - 1]!;
    const middle = parts.slice(1, -1);
    // Keep as many middle sentences as fit, in order.
    for (let keep = middle.length; keep >= 0; keep--) {
      const kept = [first, ...middle.slice(0, keep)];
      const candidate = `${kept.join(" ")}${keep < middle.length ? " …" : ""} ${last}`;
      if (candidate.length <= max) return candidate;
    }
    if (first.length <= max) return first;
  }
  return bound(text, max);
}

/** Warnings must be printable one-liners (the API server drops others). */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/\s{2,}/g, " ").trim();
}

export interface Item {
  rule: string;
  path: string;
  message: string;
}

export function formatItem(item: Item): string {
  return item.path ? `[${item.rule}] ${item.path}: ${item.message}` : `[${item.rule}] ${item.message}`;
}

/** The deny message: every finding as `[rule-id] path: message`, joined with "; ", bounded. */
export function denyMessage(subject: string, items: readonly Item[]): string {
  const head = `pg-backup-guard denied ${subject}: `;
  let out = head;
  for (let i = 0; i < items.length; i++) {
    const part = (i > 0 ? "; " : "") + oneLine(formatItem(items[i]!));
    const rest = items.length - i - 1;
    const tail = rest > 0 ? ` … and ${rest} more` : "";
    if (out.length + part.length + tail.length > LIMITS.messageChars && i > 0) {
      return `${out} … and ${items.length - i} more finding(s) (run pg-backup-guard validate for all)`;
    }
    out += part;
  }
  return bound(out, LIMITS.messageChars);
}

/** Warnings kubectl shows whole: each ≤ 256 chars, all together ≤ 4 KiB, the overflow summed up. */
export function warningLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  let total = 0;
  const reserve = 120;
  for (let i = 0; i < lines.length; i++) {
    const w = shorten(oneLine(lines[i]!), LIMITS.warningChars);
    if (total + w.length > LIMITS.warningsTotalChars - reserve) {
      out.push(`${lines.length - i} more warning(s) not shown; run pg-backup-guard validate for the full list`);
      break;
    }
    out.push(w);
    total += w.length;
  }
  return out;
}

/** A valid audit annotation key from a rule id (qualified name, ≤ 63 chars). */
export function auditKey(rule: string): string {
  const k = rule.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, LIMITS.auditKeyChars);
  return k.replace(/[^A-Za-z0-9]+$/, "") || "finding";
}

/** Audit findings as `auditAnnotations`: one key per rule, values joined and bounded. */
export function auditAnnotations(items: readonly Item[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const key = auditKey(item.rule);
    const text = oneLine(item.path ? `${item.path}: ${item.message}` : item.message);
    out[key] = bound(out[key] ? `${out[key]}; ${text}` : text, LIMITS.auditValueChars);
  }
  return out;
}
