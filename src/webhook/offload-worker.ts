// An offload worker (worker_threads): parses, judges and encodes large admission bodies off the main thread.
// Lookups and the policy come from the main thread through a synchronous RPC (offload-protocol.ts). Started by
// offload.ts; runs nothing unless it is an offload worker (the file is also loadable as a plain module).
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { deserialize } from "node:v8";
import type { LookupKind, Lookups, Resource } from "../engine/types.ts";
import type { EffectivePolicy } from "../policy/types.ts";
import type { HandlerDeps, PolicyProvider } from "./handler.ts";
import { judgeBody } from "./offload-judge.ts";
import { FRAME_BYTES, H_ERROR, H_LENGTH, H_MORE, H_STATE, HEADER_BYTES, STATE_WAITING, type JobMessage, type OffloadWorkerData, type PolicyAnswer, type RpcMethod, type WorkerToMain } from "./offload-protocol.ts";

/** Longest the worker waits for one frame of an answer (the main thread kills a job at its deadline long before). */
const RPC_WAIT_MS = 60_000;
/** Distinct gets of one kind in one namespace per job before the worker lists the namespace instead. */
export const GETS_BEFORE_LIST = 16;

export function isOffloadWorkerData(data: unknown): data is OffloadWorkerData {
  return typeof data === "object" && data !== null && (data as { pgbgOffloadWorker?: unknown }).pgbgOffloadWorker === true;
}

/** Decodes an answer stream: `u32 length` + v8 bytes, repeated. */
export function decodeValues(bytes: Buffer): unknown[] {
  const out: unknown[] = [];
  let at = 0;
  while (at + 4 <= bytes.length) {
    const n = bytes.readUInt32LE(at);
    at += 4;
    out.push(deserialize(bytes.subarray(at, at + n)));
    at += n;
  }
  return out;
}

export function runOffloadWorker(data: OffloadWorkerData): void {
  const port = parentPort!;
  const header = new Int32Array(data.shared, 0, HEADER_BYTES / 4);
  const frame = new Uint8Array(data.shared, HEADER_BYTES, FRAME_BYTES);
  const post = (m: WorkerToMain) => port.postMessage(m);

  const call = (method: RpcMethod, args: unknown[]): unknown[] => {
    const parts: Buffer[] = [];
    Atomics.store(header, H_STATE, STATE_WAITING);
    post({ t: "rpc", method, args });
    for (;;) {
      if (Atomics.wait(header, H_STATE, STATE_WAITING, RPC_WAIT_MS) === "timed-out") throw new Error(`the main thread did not answer ${method} in time`);
      const length = Atomics.load(header, H_LENGTH);
      const more = Atomics.load(header, H_MORE) === 1;
      const failed = Atomics.load(header, H_ERROR) === 1;
      parts.push(Buffer.from(frame.subarray(0, length)));
      if (failed) throw new Error(Buffer.concat(parts).toString("utf8"));
      if (!more) break;
      Atomics.store(header, H_STATE, STATE_WAITING);
      post({ t: "more" });
    }
    return decodeValues(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
  };

  // Policies received, by their id on the main thread (a policy never changes; a new policy set has new ids).
  const policies = new Map<number, EffectivePolicy>();
  // Per job: answers already fetched (the main thread would read one state of its caches for the whole job too).
  let answers = new Map<string, unknown>();
  let memos = new Map<string, unknown>();
  const cached = <T>(method: RpcMethod, args: unknown[], read: (values: unknown[]) => T): T => {
    const key = `${method}\u0000${JSON.stringify(args)}`;
    if (answers.has(key)) return answers.get(key) as T;
    const value = read(call(method, args));
    answers.set(key, value);
    return value;
  };

  // Gets per (kind, namespace) in this job, and the namespace's objects by name once there were many.
  let gets = new Map<string, number>();
  let byName = new Map<string, Map<string, Resource> | null>();
  const list = (kind: LookupKind, namespace?: string) => cached("list", [kind, namespace], (v) => (v[0] === true ? (v.slice(1) as Resource[]) : undefined));
  const get = (kind: LookupKind, namespace: string | undefined, name: string): Resource | null | undefined => {
    // Many different names of one kind in one namespace (a Cluster naming 10,000 ObjectStores): one list instead
    // of a round trip each. Only for a namespace given by name: then get(kind, ns, name) is the object of
    // list(kind, ns) with that name, for namespaced kinds and cluster-scoped ones (whose get and list both ignore
    // the namespace) alike, in LiveLookups and InventoryLookups.
    if (typeof namespace === "string" && namespace !== "") {
      const scope = `${kind}\u0000${namespace}`;
      let index = byName.get(scope);
      if (index === undefined && (gets.get(scope) ?? 0) >= GETS_BEFORE_LIST) {
        const items = list(kind, namespace);
        index = items ? new Map(items.map((o) => [String(o?.metadata?.name), o])) : null;
        byName.set(scope, index);
      }
      if (index !== undefined) return index === null ? undefined : (index.get(name) ?? null);
      const key = `get\u0000${JSON.stringify([kind, namespace, name])}`;
      if (!answers.has(key)) gets.set(scope, (gets.get(scope) ?? 0) + 1);
    }
    return cached("get", [kind, namespace, name], (v) => v[0] as Resource | null | undefined);
  };

  const lookups: Lookups = {
    isKnown: (kind) => cached("isKnown", [kind], (v) => v[0] === true),
    get,
    list: (kind: LookupKind, namespace?: string) => {
      const items = list(kind, namespace);
      return items ? [...items] : undefined;
    },
    unavailableReason: (kind) => cached("unavailableReason", [kind], (v) => v[0] as string | undefined),
    isDisabled: (kind) => cached("isDisabled", [kind], (v) => v[0] === true),
    memo<T>(kinds: readonly LookupKind[], key: string, build: () => T): T {
      const k = `${kinds.join(",")}\u0000${key}`;
      if (memos.has(k)) return memos.get(k) as T;
      const value = build();
      memos.set(k, value);
      return value;
    },
  };
  const provider: PolicyProvider = {
    forNamespace(namespace, labels) {
      return cached("policy", [namespace, labels], (v) => {
        const answer = v[0] as PolicyAnswer | undefined;
        if (!answer) return undefined;
        if (answer.reset) policies.clear();
        if (answer.policy) policies.set(answer.id, answer.policy as EffectivePolicy);
        const p = policies.get(answer.id);
        if (!p) throw new Error(`offload worker: policy ${answer.id} was never received`);
        return p;
      });
    },
  };

  port.on("message", (m: JobMessage) => {
    if (m.t !== "job") return;
    answers = new Map();
    memos = new Map();
    gets = new Map();
    byName = new Map();
    const started = performance.now();
    if (data.testHooks && m.hook === "hang") for (;;);
    if (data.testHooks && m.hook === "crash") process.exit(70);
    const deps: HandlerDeps = { policies: provider, lookups, lookupFailure: m.lookupFailure };
    if (m.nowMs !== undefined) {
      const nowMs = m.nowMs;
      deps.now = () => new Date(nowMs);
    }
    const judged = judgeBody(m.webhook, m.body, deps, m.maxDepth);
    answers = new Map();
    memos = new Map();
    gets = new Map();
    byName = new Map();
    // The answer's bytes go back without a copy.
    const transfer: ArrayBuffer[] = [];
    if (typeof judged.body === "string" && judged.body.length > 64 * 1024) {
      const bytes = Buffer.from(judged.body, "utf8");
      const own = new Uint8Array(bytes.byteLength);
      own.set(bytes);
      judged.body = own;
      transfer.push(own.buffer);
    }
    port.postMessage({ t: "done", id: m.id, judged, ms: performance.now() - started } satisfies WorkerToMain, transfer);
  });
  post({ t: "ready" });
}

if (!isMainThread && isOffloadWorkerData(workerData)) runOffloadWorker(workerData);
