// Large admission bodies judged off the main thread: a small pool of worker_threads (offload-worker.ts) that
// parse, judge and encode, while the main thread only moves bytes and answers lookups from its caches.
// docs/webhook.md ("Large requests: offload") and docs/reliability.md say why and what it costs.
//
// The pool grows on demand: it starts one worker (ready() waits for it, so a broken build fails at start), starts
// another when a job finds every started worker busy (up to `workers`), and terminates a worker beyond the last one
// once it has been idle for IDLE_RETIRE_MS. Large bodies are rare and each idle worker costs ~20 MiB of RSS.
//
// The main thread never parses an offloaded body: the bytes are copied once into a buffer of their own and
// transferred. A job that is not done by its deadline is cancelled by the caller (app.ts answers the same 503 as
// for any request past --timeout) and its worker terminated and replaced; a worker that dies mid-job answers its
// job with a crash result (app.ts: 500) and is replaced too ("replaced": the pool's last worker is started again at
// once, another one only when a job waits for it).
import { serialize } from "node:v8";
import { Worker } from "node:worker_threads";
import type { Lookups } from "../engine/types.ts";
import type { LookupFailureMode, PolicyProvider } from "./handler.ts";
import type { Judged, Webhook } from "./offload-judge.ts";
import { offloadWorkerSource, type WorkerSource } from "./offload-source.ts";
import { FRAME_BYTES, H_ERROR, H_LENGTH, H_MORE, H_STATE, HEADER_BYTES, STATE_ANSWERED, type JobHook, type JobMessage, type OffloadWorkerData, type PolicyAnswer, type RpcMethod, type WorkerToMain } from "./offload-protocol.ts";

/** The most workers a pool runs unless told otherwise (`--offload-workers`); it starts with one. */
export const DEFAULT_OFFLOAD_WORKERS = 2;
/** A worker beyond the last one that has been idle this long is terminated (it is started again when needed). */
export const IDLE_RETIRE_MS = 60_000;
/**
 * Old-space heap limit per worker, MB. The worst adversarial 3 MiB body (bench/adversarial.ts) needs under 48 MB;
 * the limit keeps the workers from growing to the main thread's --max-old-space-size each (deploy/ sets 384 MB
 * under a 512 MiB container limit). A worker over it dies (ERR_WORKER_OUT_OF_MEMORY): its request gets 500.
 */
export const DEFAULT_OFFLOAD_WORKER_HEAP_MB = 128;
/**
 * Bodies larger than this go to a worker (bench/offload.ts measures where main-thread handling of an adversarial
 * body passes ~20 ms on the reference machine; bench/RESULTS.md "Offload").
 */
export const DEFAULT_OFFLOAD_THRESHOLD_BYTES = 128 * 1024;
/** Main-thread time spent serializing one frame of an answer before it is sent (the rest follows next turn). */
const FRAME_MS = 2;
/** Policies a worker keeps (by id); beyond it the main thread tells it to start over. */
const MAX_POLICIES_PER_WORKER = 64;

export type OffloadResult = { ok: true; judged: Judged; workerMs: number } | { ok: false; reason: "crash"; error: string } | { ok: false; reason: "cancelled" };

export interface OffloadJob {
  webhook: Webhook;
  /** The body; its buffer is transferred to the worker (unusable afterwards). Must not be a view of a shared pool. */
  body: Uint8Array;
  lookupFailure: LookupFailureMode;
  maxDepth: number;
  nowMs?: number;
}

export interface OffloadHandle {
  result: Promise<OffloadResult>;
  /**
   * Gives the job up: a queued job is dropped; a running one has its worker terminated and replaced when `kill`
   * (its deadline passed), else it runs on and its result is dropped (the client went away).
   */
  cancel(kill: boolean): void;
}

export interface OffloadPoolOptions {
  /** The most workers the pool runs (at least 1). It starts one and grows when jobs find every worker busy. */
  workers: number;
  /** How long a worker beyond the last one may stay idle before it is terminated (default IDLE_RETIRE_MS). */
  idleRetireMs?: number;
  lookups: Lookups;
  policies: PolicyProvider;
  /** Replaced workers, by reason (metrics). */
  onReplaced?: (reason: "deadline" | "crash") => void;
  /** Worker start failures and crashes, for the log. */
  onError?: (message: string) => void;
  /** Old-space heap limit of each worker in MB (default DEFAULT_OFFLOAD_WORKER_HEAP_MB; over it a worker dies: its request gets 500, it is replaced). */
  heapMb?: number;
  /** Where the worker's code comes from (default: offload-source.ts); tests pass a broken one. */
  source?: WorkerSource;
  /** Tests only: a hook per job (`hang`, `crash`), honoured by workers started with test hooks. */
  testHook?: (job: OffloadJob) => JobHook | undefined;
}

interface Pending {
  id: number;
  job: OffloadJob;
  resolve: (r: OffloadResult) => void;
  settled: boolean;
  /** The client went away: the worker finishes, the result is dropped. */
  dropped: boolean;
}

/** A length-prefixed v8-serialized value (offload-protocol.ts). */
function piece(value: unknown): Buffer {
  const bytes = serialize(value);
  const out = Buffer.allocUnsafe(4 + bytes.length);
  out.writeUInt32LE(bytes.length, 0);
  bytes.copy(out, 4);
  return out;
}

/** One worker, its shared buffer and the answer it is being sent. */
class Slot {
  readonly worker: Worker;
  readonly header: Int32Array;
  readonly frame: Uint8Array;
  ready = false;
  dead = false;
  job: Pending | undefined;
  /** Armed while the worker is ready and idle: when it fires the worker may be retired. */
  idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Policy ids this worker holds. */
  readonly policies = new Set<number>();
  /** The rest of an answer longer than a frame. */
  private rest: Iterator<Buffer> | undefined;
  private carry: Buffer | undefined;

  constructor(worker: Worker, shared: SharedArrayBuffer) {
    this.worker = worker;
    this.header = new Int32Array(shared, 0, HEADER_BYTES / 4);
    this.frame = new Uint8Array(shared, HEADER_BYTES, FRAME_BYTES);
  }

  answer(pieces: Iterator<Buffer>): void {
    this.rest = pieces;
    this.carry = undefined;
    this.sendFrame();
  }

  fail(message: string): void {
    this.rest = undefined;
    this.carry = undefined;
    const bytes = Buffer.from(message.slice(0, 4096), "utf8");
    this.frame.set(bytes);
    this.publish(bytes.length, false, true);
  }

  /** Fills one frame from the answer (at most FRAME_BYTES, and about FRAME_MS of serializing) and wakes the worker. */
  sendFrame(): void {
    let used = 0;
    let more = false;
    const until = performance.now() + FRAME_MS;
    for (;;) {
      if (used > 0 && performance.now() > until) {
        more = this.carry !== undefined || this.rest !== undefined;
        break;
      }
      let next = this.carry;
      this.carry = undefined;
      if (!next) {
        const r = this.rest?.next();
        if (!r || r.done) break;
        next = r.value;
      }
      const room = FRAME_BYTES - used;
      if (next.length > room) {
        this.frame.set(next.subarray(0, room), used);
        used += room;
        this.carry = next.subarray(room);
        more = true;
        break;
      }
      this.frame.set(next, used);
      used += next.length;
    }
    if (!more) this.rest = undefined;
    this.publish(used, more, false);
  }

  private publish(length: number, more: boolean, error: boolean): void {
    Atomics.store(this.header, H_LENGTH, length);
    Atomics.store(this.header, H_MORE, more ? 1 : 0);
    Atomics.store(this.header, H_ERROR, error ? 1 : 0);
    Atomics.store(this.header, H_STATE, STATE_ANSWERED);
    Atomics.notify(this.header, H_STATE);
  }
}

export class OffloadPool {
  private readonly opts: OffloadPoolOptions;
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private startFailures = 0;
  private readonly policyIds = new WeakMap<object, number>();
  private nextPolicyId = 1;
  private readonly testHooks: boolean;
  /** The most workers the pool runs. */
  private readonly max: number;
  private readonly idleRetireMs: number;
  /** Workers whose start is waiting out the start-failure backoff (they count towards `max`). */
  private respawning = 0;
  private readonly limits: { maxOldGenerationSizeMb: number };
  /** Counters for tests and benchmarks (`retired`: idle workers terminated, not counted in `replaced`). */
  readonly stats = { jobs: 0, replaced: 0, started: 0, retired: 0 };

  constructor(options: OffloadPoolOptions) {
    this.opts = options;
    this.testHooks = options.testHook !== undefined;
    this.max = Math.max(1, options.workers);
    this.idleRetireMs = options.idleRetireMs ?? IDLE_RETIRE_MS;
    this.limits = { maxOldGenerationSizeMb: options.heapMb ?? DEFAULT_OFFLOAD_WORKER_HEAP_MB };
    this.spawn();
  }

  /**
   * Resolves when every started worker has loaded (at first: the one the pool starts with); rejects when one could
   * not start (a broken build).
   */
  ready(timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const check = () => {
        if (this.startFailures > 0) return reject(new Error(this.lastError ?? "an offload worker could not start"));
        if (this.slots.length > 0 && this.slots.every((s) => s.ready)) return resolve();
        if (Date.now() - started > timeoutMs) return reject(new Error(`offload workers not ready after ${timeoutMs} ms`));
        setTimeout(check, 10);
      };
      check();
    });
  }

  private lastError: string | undefined;

  /** Workers running now, those still starting included. */
  get size(): number {
    return this.slots.length;
  }

  /** The most workers the pool runs (`workers`). */
  get maxWorkers(): number {
    return this.max;
  }

  submit(job: OffloadJob): OffloadHandle {
    let resolve!: (r: OffloadResult) => void;
    const result = new Promise<OffloadResult>((r) => (resolve = r));
    const p: Pending = { id: this.nextId++, job, resolve, settled: false, dropped: false };
    this.stats.jobs++;
    if (this.closed) this.settle(p, { ok: false, reason: "cancelled" });
    else {
      this.queue.push(p);
      this.dispatch();
    }
    return {
      result,
      cancel: (kill) => {
        if (p.settled) return;
        const i = this.queue.indexOf(p);
        if (i >= 0) {
          this.queue.splice(i, 1);
          return this.settle(p, { ok: false, reason: "cancelled" });
        }
        const slot = this.slots.find((s) => s.job === p);
        if (!slot) return;
        if (!kill) {
          p.dropped = true;
          return;
        }
        this.settle(p, { ok: false, reason: "cancelled" });
        this.replace(slot, "deadline");
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) this.settle(p, { ok: false, reason: "cancelled" });
    const slots = this.slots.splice(0);
    for (const s of slots) {
      s.dead = true;
      this.disarm(s);
      if (s.job) this.settle(s.job, { ok: false, reason: "cancelled" });
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private settle(p: Pending, r: OffloadResult): void {
    if (p.settled) return;
    p.settled = true;
    p.resolve(r);
  }

  private spawn(): Slot {
    const shared = new SharedArrayBuffer(HEADER_BYTES + FRAME_BYTES);
    const data: OffloadWorkerData = { pgbgOffloadWorker: true, shared, testHooks: this.testHooks };
    const src = this.opts.source ?? offloadWorkerSource();
    const worker =
      src.kind === "eval"
        ? new Worker(src.code, { eval: true, workerData: data, resourceLimits: this.limits })
        : new Worker(src.url, { workerData: data, resourceLimits: this.limits });
    worker.unref();
    const slot = new Slot(worker, shared);
    this.slots.push(slot);
    this.stats.started++;
    worker.on("message", (m: WorkerToMain) => this.onMessage(slot, m));
    worker.on("error", (err) => this.onExit(slot, `offload worker failed: ${err?.stack ?? String(err)}`));
    worker.on("exit", (code) => this.onExit(slot, `offload worker exited (code ${code})`));
    return slot;
  }

  /** Takes a slot out of the pool and terminates its worker. */
  private remove(slot: Slot): void {
    slot.dead = true;
    this.disarm(slot);
    void slot.worker.terminate();
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  private replace(slot: Slot, reason: "deadline" | "crash"): void {
    if (slot.dead) return;
    const job = slot.job;
    slot.job = undefined;
    this.remove(slot);
    this.stats.replaced++;
    this.opts.onReplaced?.(reason);
    if (job) this.settle(job, { ok: false, reason: "cancelled" });
    if (this.closed) return;
    if (!slot.ready) {
      // A worker that never got ready is a broken start (a missing worker file): retry slowly, do not spin. It is
      // always started again (ready() reports the failure until one starts).
      const delay = Math.min(1000 * 2 ** Math.min(this.startFailures - 1, 5), 30_000);
      this.respawning++;
      setTimeout(() => {
        this.respawning--;
        if (!this.closed) this.spawn();
      }, delay).unref();
    } else if (this.slots.length === 0 && this.respawning === 0) {
      // The pool always keeps one worker; another is started below only when a job waits for it.
      this.spawn();
    }
    this.dispatch();
  }

  private disarm(slot: Slot): void {
    if (slot.idleTimer === undefined) return;
    clearTimeout(slot.idleTimer);
    slot.idleTimer = undefined;
  }

  /** An idle worker: terminated after idleRetireMs unless it is the pool's last ready one by then. */
  private arm(slot: Slot): void {
    if (slot.idleTimer !== undefined) return;
    slot.idleTimer = setTimeout(() => {
      slot.idleTimer = undefined;
      if (this.closed || slot.dead || slot.job || !slot.ready) return;
      // Never the last ready worker (it stays until it is replaced; the timer is armed again when it next goes idle).
      if (!this.slots.some((s) => s !== slot && s.ready && !s.dead)) return;
      this.remove(slot);
      this.stats.retired++;
    }, this.idleRetireMs);
    slot.idleTimer.unref();
  }

  private onExit(slot: Slot, message: string): void {
    if (slot.dead) return;
    if (!slot.ready) this.startFailures++;
    this.lastError = message;
    this.opts.onError?.(message);
    const job = slot.job;
    if (job) {
      slot.job = undefined;
      this.settle(job, { ok: false, reason: "crash", error: message });
    }
    this.replace(slot, "crash");
  }

  private onMessage(slot: Slot, m: WorkerToMain): void {
    if (slot.dead) return;
    switch (m.t) {
      case "ready":
        slot.ready = true;
        this.startFailures = 0;
        this.dispatch();
        return;
      // Answered on the next turn, not inside the message callback: Node drains a port's queued messages in one
      // callback, so a worker asking thousands of lookups back to back would otherwise hold the event loop for all
      // of them. This way timers and sockets run between any two answers.
      case "rpc":
        setImmediate(() => {
          if (slot.dead) return;
          try {
            slot.answer(this.answer(slot, m.method, m.args));
          } catch (err) {
            slot.fail(String((err as Error)?.message ?? err));
          }
        });
        return;
      case "more":
        setImmediate(() => {
          if (slot.dead) return;
          try {
            slot.sendFrame();
          } catch (err) {
            slot.fail(String((err as Error)?.message ?? err));
          }
        });
        return;
      case "done": {
        const job = slot.job;
        slot.job = undefined;
        slot.worker.unref();
        if (job && job.id === m.id && !job.dropped) this.settle(job, { ok: true, judged: m.judged, workerMs: m.ms });
        else if (job) this.settle(job, { ok: false, reason: "cancelled" });
        this.dispatch();
        return;
      }
    }
  }

  /** The answer to one RPC, as pieces produced lazily (a long list is serialized frame by frame). */
  private answer(slot: Slot, method: RpcMethod, args: unknown[]): Iterator<Buffer> {
    const lk = this.opts.lookups;
    const a = args as [never, never, never];
    switch (method) {
      case "isKnown":
        return [piece(lk.isKnown(a[0]))].values();
      case "get":
        return [piece(lk.get(a[0], a[1], a[2]))].values();
      case "unavailableReason":
        return [piece(lk.unavailableReason?.(a[0]))].values();
      case "isDisabled":
        return [piece(lk.isDisabled?.(a[0]))].values();
      case "list": {
        const items = lk.list(a[0], a[1]);
        if (!items) return [piece(undefined)].values();
        return (function* () {
          yield piece(true);
          for (const item of items) yield piece(item);
        })();
      }
      case "policy": {
        const policy = this.opts.policies.forNamespace(args[0] as string | undefined, args[1] as Record<string, string> | undefined);
        if (!policy) return [piece(undefined)].values();
        let id = this.policyIds.get(policy);
        if (id === undefined) {
          id = this.nextPolicyId++;
          this.policyIds.set(policy, id);
        }
        const out: PolicyAnswer = { id };
        if (!slot.policies.has(id)) {
          if (slot.policies.size >= MAX_POLICIES_PER_WORKER) {
            slot.policies.clear();
            out.reset = true;
          }
          slot.policies.add(id);
          out.policy = policy;
        }
        return [piece(out)].values();
      }
    }
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.dead || slot.job) continue;
      if (this.queue.length === 0) {
        this.arm(slot);
        continue;
      }
      this.disarm(slot);
      const p = this.queue.shift()!;
      slot.job = p;
      // An idle worker does not keep the process alive; one with a job does (its answer is awaited).
      slot.worker.ref();
      const msg: JobMessage = {
        t: "job",
        id: p.id,
        webhook: p.job.webhook,
        body: p.job.body,
        lookupFailure: p.job.lookupFailure,
        maxDepth: p.job.maxDepth,
      };
      if (p.job.nowMs !== undefined) msg.nowMs = p.job.nowMs;
      const hook = this.opts.testHook?.(p.job);
      if (hook) msg.hook = hook;
      slot.worker.postMessage(msg, [p.job.body.buffer as ArrayBuffer]);
    }
    // Jobs left waiting: every started worker is busy. Start one more (counting those still starting, up to `max`);
    // the job goes to whichever worker is free first. Not while a start is failing (the backoff above retries).
    if (this.queue.length > 0 && !this.closed && this.startFailures === 0) {
      const starting = this.slots.filter((s) => !s.ready && !s.dead).length;
      if (starting < this.queue.length && this.slots.length + this.respawning < this.max) this.spawn();
    }
  }
}

/** A body as a Uint8Array over a buffer of its own (transferable), from the chunks read off the socket. */
export function ownBuffer(chunks: readonly Buffer[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
