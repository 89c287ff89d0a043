// Live lookups for the webhook: one informer cache per lookup kind, read synchronously per request.
// Never a request to the API server on the request path. @kubernetes/client-node is imported lazily
// (see live-informers.ts) so the CLI's cold start does not pay for it.
//
// States of a kind's cache:
// - synced and watching: known; answers from the cache.
// - CRD not installed (the list answers 404): known and empty. A missing VolumeSnapshotClass CRD means
//   no snapshot support, a missing ObjectStore CRD means no ObjectStore can exist: the absence is a fact
//   the API server stated, not a failure. The list is retried (slowly) in case the CRD is installed later.
// - not synced yet, forbidden (403) before the first sync, or the watch lost for longer than `maxStaleMs`:
//   unknown; rules that need it are "not checked" with unavailableReason(kind).
// - watch lost for less than `maxStaleMs`, whatever the error: the last known state is still used
//   (controller-runtime style). A kube-apiserver that is starting answers 403 (its RBAC caches are not filled
//   yet), 404 (CRD handlers not registered yet) and 429 for a few seconds: none of these may drop a good cache.
import type { LookupKind, Lookups, Resource } from "../engine/types.ts";
import { MemoTable } from "./inventory.ts";
import { DISABLED_REASON, isNamespacedKind } from "./kinds.ts";
import type { CacheStatus } from "../webhook/metrics.ts";

/** The part of a client-node informer (`makeInformer`) this module uses; tests pass a fake. */
export interface InformerLike {
  on(verb: "add" | "update" | "delete", cb: (obj: any) => void): void;
  on(verb: "error" | "connect", cb: (err?: any) => void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  get(name: string, namespace?: string): any;
  list(namespace?: string): ReadonlyArray<any>;
}

export interface WatchedKindOptions {
  /** How long a cache whose watch broke is still trusted. */
  maxStaleMs?: number;
  /** Delay before restarting a failed informer: grows from base to max. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Retry period while the kind's CRD is not installed. */
  notInstalledRetryMs?: number;
  onError?: (kind: string, message: string) => void;
  now?: () => number;
}

function statusCode(err: unknown): number | undefined {
  const e = err as { code?: unknown; statusCode?: unknown; status?: unknown } | undefined;
  for (const v of [e?.code, e?.statusCode, e?.status]) if (typeof v === "number") return v;
  return undefined;
}

function errorText(err: unknown): string {
  const code = statusCode(err);
  const msg = err instanceof Error ? err.message : String(err);
  return `${code ? `HTTP ${code}: ` : ""}${msg.split("\n")[0]?.slice(0, 200)}`;
}

/** One kind's informer with its sync state, restarts and staleness. */
export class WatchedKind {
  readonly name: string;
  private readonly informer: InformerLike;
  private readonly opts: Required<Omit<WatchedKindOptions, "onError">> & Pick<WatchedKindOptions, "onError">;
  synced = false;
  /** Bumped on every change of the cache's content (events, a relist, a failure): memoised indexes check it. */
  version = 0;
  notInstalled = false;
  forbidden = false;
  /** When the watch was lost (undefined while healthy). */
  lostAt: number | undefined;
  lastError: string | undefined;
  private stopped = false;
  private failedDuringStart = false;
  private retryMs = 0;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(name: string, informer: InformerLike, options: WatchedKindOptions = {}) {
    this.name = name;
    this.informer = informer;
    this.opts = {
      maxStaleMs: options.maxStaleMs ?? 5 * 60_000,
      retryBaseMs: options.retryBaseMs ?? 1000,
      retryMaxMs: options.retryMaxMs ?? 30_000,
      notInstalledRetryMs: options.notInstalledRetryMs ?? 60_000,
      now: options.now ?? Date.now,
      onError: options.onError,
    };
    const healthy = () => {
      this.lostAt = undefined;
      this.retryMs = 0;
      this.version++;
    };
    informer.on("add", healthy);
    informer.on("update", healthy);
    informer.on("delete", healthy);
    informer.on("error", (err) => this.failed(err));
  }

  async start(): Promise<void> {
    if (this.stopped) return;
    this.failedDuringStart = false;
    try {
      await this.informer.start();
    } catch (err) {
      this.failed(err);
      return;
    }
    // client-node resolves start() also when the list failed (after calling the error callbacks).
    if (!this.failedDuringStart && !this.stopped) {
      this.version++;
      this.synced = true;
      this.notInstalled = false;
      this.forbidden = false;
      this.lostAt = undefined;
      this.lastError = undefined;
      this.retryMs = 0;
    }
  }

  private failed(err: unknown): void {
    this.failedDuringStart = true;
    this.version++;
    if (this.stopped) return;
    const code = statusCode(err);
    this.lastError = errorText(err);
    this.opts.onError?.(this.name, this.lastError);
    let delay: number;
    // Only a kind that never synced can learn from a 404 that its CRD is not installed; for a synced cache it is
    // an API server still starting (or a CRD just deleted): keep the cache for maxStaleMs like any watch loss.
    const hadCache = this.synced && !this.notInstalled;
    if (code === 404 && !hadCache) {
      this.notInstalled = true;
      this.synced = true;
      this.lostAt = undefined;
      delay = this.opts.notInstalledRetryMs;
    } else {
      this.forbidden = code === 403;
      if (this.lostAt === undefined) this.lostAt = this.opts.now();
      this.retryMs = Math.min(this.retryMs > 0 ? this.retryMs * 2 : this.opts.retryBaseMs, this.opts.retryMaxMs);
      delay = this.retryMs;
    }
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.start();
    }, delay);
    this.retryTimer.unref();
  }

  /** Whether answers from this cache can be trusted now. */
  get usable(): boolean {
    if (this.notInstalled) return true;
    // Forbidden before the first sync: unusable (synced is false). After it, a 403 is one more watch loss.
    if (!this.synced) return false;
    return this.lostAt === undefined || this.opts.now() - this.lostAt < this.opts.maxStaleMs;
  }

  /** Seconds since the cache was last known to match the API server (0 while healthy). */
  get ageSeconds(): number {
    if (this.lostAt === undefined) return this.synced ? 0 : Number.NaN;
    return (this.opts.now() - this.lostAt) / 1000;
  }

  unavailableReason(): string | undefined {
    if (this.usable) return undefined;
    const why = this.lastError ? ` (${this.lastError})` : "";
    if (this.forbidden) return `the webhook may not list/watch ${this.name} (RBAC)${why}`;
    if (!this.synced) return `the API server could not be reached; lookup cache for ${this.name} not synced${why}`;
    return `the API server could not be reached for ${Math.round(this.ageSeconds)}s; lookup cache for ${this.name} is stale${why}`;
  }

  get(name: string, namespace: string | undefined): Resource | null {
    if (this.notInstalled) return null;
    return (this.informer.get(name, namespace) as Resource | undefined) ?? null;
  }

  list(namespace?: string): Resource[] {
    if (this.notInstalled) return [];
    return [...this.informer.list(namespace)] as Resource[];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.informer.stop();
  }
}

export class LiveLookups implements Lookups {
  readonly kinds: ReadonlyMap<LookupKind, WatchedKind>;
  /** Kinds switched off on purpose (no informer): Secrets unless `serve --lookup-secrets`. */
  private readonly disabled: ReadonlySet<LookupKind>;

  constructor(kinds: ReadonlyMap<LookupKind, WatchedKind>, options: { disabled?: Iterable<LookupKind> } = {}) {
    this.kinds = kinds;
    this.disabled = new Set([...(options.disabled ?? [])].filter((k) => !kinds.has(k)));
  }

  private readonly memos = new MemoTable();

  isDisabled(kind: LookupKind): boolean {
    return this.disabled.has(kind);
  }

  isKnown(kind: LookupKind): boolean {
    return this.kinds.get(kind)?.usable ?? false;
  }

  memo<T>(kinds: readonly LookupKind[], key: string, build: () => T): T {
    const stamp = kinds
      .map((k) => {
        const w = this.kinds.get(k);
        return w ? `${w.usable ? 1 : 0}:${w.version}` : "-";
      })
      .join(",");
    return this.memos.get(stamp, `${kinds.join(",")}\u0000${key}`, build);
  }

  get(kind: LookupKind, namespace: string | undefined, name: string): Resource | null | undefined {
    const w = this.kinds.get(kind);
    if (!w?.usable) return undefined;
    return w.get(name, isNamespacedKind(kind) ? (namespace ?? "") : undefined);
  }

  list(kind: LookupKind, namespace?: string): Resource[] | undefined {
    const w = this.kinds.get(kind);
    if (!w?.usable) return undefined;
    return w.list(isNamespacedKind(kind) ? namespace : undefined);
  }

  unavailableReason(kind: LookupKind): string | undefined {
    const w = this.kinds.get(kind);
    if (!w) return this.disabled.has(kind) ? (DISABLED_REASON[kind] ?? `${kind} lookups are off`) : `no lookup cache for ${kind}`;
    return w.unavailableReason();
  }

  /** Starts every informer; resolves when each has tried once (synced or not). */
  async start(): Promise<void> {
    await Promise.all([...this.kinds.values()].map((k) => k.start()));
  }

  get synced(): boolean {
    return [...this.kinds.values()].every((k) => k.synced);
  }

  notSynced(): string[] {
    return [...this.kinds.values()].filter((k) => !k.synced).map((k) => k.name);
  }

  status(): CacheStatus[] {
    return [...this.kinds.entries()].map(([kind, w]) => ({ kind, synced: w.synced, ageSeconds: w.ageSeconds }));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.kinds.values()].map((k) => k.stop()));
  }
}

/**
 * Lookups that are static (`--lookup` files) for some kinds and live for none: `--no-cluster`.
 * Re-exported here so serve.ts has one place to get lookups from.
 */
export { InventoryLookups } from "./inventory.ts";
