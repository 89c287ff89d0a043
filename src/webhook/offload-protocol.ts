// The wire between the main thread (offload.ts) and an offload worker (offload-worker.ts). Shared by both;
// imports nothing heavy.
//
// Jobs and results travel by postMessage (the body's ArrayBuffer transferred, never copied or parsed on the main
// thread). Lookups and the policy are answered by the main thread, synchronously for the worker: the worker posts
// an `rpc` message and blocks in Atomics.wait on the shared header; the main thread writes the answer into the
// shared frame and calls Atomics.notify. An answer longer than one frame is sent frame by frame (the worker posts
// `more` for the next), one frame per turn of the main event loop, so that serializing a large list never holds
// the main thread for long. An answer is a sequence of values, each `u32 length` + v8.serialize bytes: the first
// is the result itself (for `list`: whether a list follows, or undefined), the rest are a list's items.
import type { LookupFailureMode } from "./handler.ts";
import type { Judged, Webhook } from "./offload-judge.ts";

/** Int32 slots at the start of the shared buffer. */
export const H_STATE = 0;
export const H_LENGTH = 1;
export const H_MORE = 2;
export const H_ERROR = 3;
export const HEADER_BYTES = 16;
/** Bytes of answer per frame (the shared buffer is this plus the header). */
export const FRAME_BYTES = 1024 * 1024;

export const STATE_WAITING = 0;
export const STATE_ANSWERED = 1;

export type RpcMethod = "isKnown" | "get" | "list" | "unavailableReason" | "isDisabled" | "policy";

/** What a worker is started with. */
export interface OffloadWorkerData {
  pgbgOffloadWorker: true;
  shared: SharedArrayBuffer;
  /** Whether jobs may carry `hook` (tests only). */
  testHooks: boolean;
}

/** Test hooks: `hang` spins forever (a rule that never returns), `crash` ends the worker mid-job. */
export type JobHook = "hang" | "crash";

export interface JobMessage {
  t: "job";
  id: number;
  webhook: Webhook;
  body: Uint8Array;
  lookupFailure: LookupFailureMode;
  maxDepth: number;
  /** The main thread's `deps.now()` when it has one (tests and benchmarks with a fixed clock). */
  nowMs?: number;
  hook?: JobHook;
}

export type MainToWorker = JobMessage;

export type WorkerToMain =
  | { t: "ready" }
  | { t: "rpc"; method: RpcMethod; args: unknown[] }
  | { t: "more" }
  | { t: "done"; id: number; judged: Judged; ms: number };

/** The policy answer's first value: the policy's id on the main thread, the policy itself when the worker lacks it. */
export interface PolicyAnswer {
  id: number;
  policy?: unknown;
  /** Forget every policy received so far (the main thread's record of what this worker holds was full). */
  reset?: boolean;
}
