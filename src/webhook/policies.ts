// Where the webhook's policies come from: BackupPolicy objects watched in the cluster, or `--policy` files
// watched on disk. Both feed a PolicyHolder, which keeps the last good version of each.
import { watch, type FSWatcher } from "node:fs";
import { readRegularFile } from "../util/read-file.ts";
import { MAX_POLICY_BYTES } from "../policy/load.ts";
import { dirname, resolve } from "node:path";
import type { Logger } from "pino";
import { formatPolicyError, type PolicyDocument } from "../policy/document.ts";
import { parsePolicyText } from "../policy/load.ts";
import { validatePolicyObject } from "../policy/validate.ts";
import { PolicySet } from "../policy/set.ts";
import type { InformerLike } from "../lookups/live.ts";
import { WatchedKind, type WatchedKindOptions } from "../lookups/live.ts";
import { PolicyHolder, type PolicyCodec } from "./policy-holder.ts";

/** One "object" is a BackupPolicy from the API server (one document) or a policy file's text (several). */
export const policyCodec: PolicyCodec<PolicyDocument[]> = {
  parse(object, source) {
    const r = typeof object === "string" ? parsePolicyText(object, source) : validatePolicyObject(stripServerFields(object), source);
    if (!r.ok) return { ok: false, errors: r.errors.map(formatPolicyError) };
    return { ok: true, policy: "policies" in r ? r.policies : [r.policy] };
  },
  build(lists) {
    return new PolicySet(lists.flat());
  },
};

/** Objects from the API server carry status and server-set metadata the schema need not know. */
function stripServerFields(object: unknown): unknown {
  if (typeof object !== "object" || object === null) return object;
  const { status: _s, ...rest } = object as Record<string, unknown>;
  const meta = rest.metadata;
  if (typeof meta === "object" && meta !== null) {
    const m = meta as Record<string, unknown>;
    const keep: Record<string, unknown> = {};
    for (const k of ["name", "labels", "annotations"]) if (k in m) keep[k] = m[k];
    rest.metadata = keep;
  }
  return rest;
}

export function newPolicyHolder(logger: Logger, onReload: (r: "success" | "failure") => void): PolicyHolder<PolicyDocument[]> {
  return new PolicyHolder(policyCodec, { logger, onReload });
}

/**
 * Feeds cluster-scoped BackupPolicy objects to the holder: the whole set after the first sync, then again
 * (debounced) after every change. A missing CRD (404) means no policies: the built-in one applies.
 */
export class ClusterPolicyWatch {
  readonly kind: WatchedKind;
  private readonly holder: PolicyHolder<PolicyDocument[]>;
  private timer: NodeJS.Timeout | undefined;
  private readonly debounceMs: number;

  constructor(informer: InformerLike, holder: PolicyHolder<PolicyDocument[]>, options: WatchedKindOptions & { debounceMs?: number } = {}) {
    this.holder = holder;
    this.debounceMs = options.debounceMs ?? 200;
    this.kind = new WatchedKind("BackupPolicy", informer, options);
    const changed = () => this.schedule();
    informer.on("add", changed);
    informer.on("update", changed);
    informer.on("delete", changed);
  }

  async start(): Promise<void> {
    await this.kind.start();
    if (this.kind.synced) this.sync();
    else {
      // Not reachable yet: sync as soon as a retry succeeds (the informer then emits add events or none).
      const poll = setInterval(() => {
        if (this.kind.synced) {
          clearInterval(poll);
          this.sync();
        }
      }, 500);
      poll.unref();
    }
  }

  private schedule(): void {
    if (!this.kind.synced) return; // the first sync reads everything anyway
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.sync(), this.debounceMs);
    this.timer.unref();
  }

  /** Hands the current set of objects to the holder. */
  sync(): string[] {
    this.timer = undefined;
    const objects = new Map<string, unknown>();
    for (const o of this.kind.list()) {
      const name = (o.metadata as { name?: unknown })?.name;
      if (typeof name === "string") objects.set(name, o);
    }
    return this.holder.replaceAll(objects);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.kind.stop();
  }
}

/** `--policy FILE...`: files read at start and again when they change (ConfigMap volumes swap `..data`). */
export class FilePolicyWatch {
  private readonly files: string[];
  private readonly holder: PolicyHolder<PolicyDocument[]>;
  private readonly logger: Logger;
  private readonly watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;

  constructor(files: string[], holder: PolicyHolder<PolicyDocument[]>, logger: Logger) {
    this.files = files.map((f) => resolve(f));
    this.holder = holder;
    this.logger = logger;
  }

  /** Loads the files once and starts watching them; returns the error lines of the first load (empty when good). */
  start(options: { pollMs?: number; debounceMs?: number } = {}): string[] {
    const errors = this.load();
    for (const dir of new Set(this.files.map((f) => dirname(f)))) {
      try {
        this.watchers.push(watch(dir, () => this.schedule(options.debounceMs ?? 200)).on("error", () => {}));
      } catch (err) {
        this.logger.warn({ err: String(err), dir }, "cannot watch the policy directory; relying on polling");
      }
    }
    this.poll = setInterval(() => this.load(), options.pollMs ?? 60_000);
    this.poll.unref();
    return errors;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.load(), ms);
    this.timer.unref();
  }

  /** Reads every file; returns what was refused (file names), empty when all are good. */
  load(): string[] {
    const objects = new Map<string, unknown>();
    for (const f of this.files) {
      // Regular files only, with a hard limit (`--policy /dev/zero` must not exhaust memory).
      const read = readRegularFile(f, MAX_POLICY_BYTES);
      if (!read.ok) {
        // Unreadable mid-swap: keep whatever was loaded from this file before.
        this.logger.warn({ file: f, err: read.message }, "cannot read the policy file; keeping the last good policy");
        return [`${f}: cannot read: ${read.message}`];
      }
      objects.set(f, read.text);
    }
    return this.holder.replaceAll(objects);
  }

  close(): void {
    for (const w of this.watchers) w.close();
    if (this.timer) clearTimeout(this.timer);
    if (this.poll) clearInterval(this.poll);
  }
}
