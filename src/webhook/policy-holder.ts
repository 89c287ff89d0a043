// The policy in force, swapped without a restart. An invalid BackupPolicy is refused (log line + metric)
// and the last good version of that object stays in force; deleting an object removes it.
import type { Logger } from "pino";
import type { EffectivePolicy } from "../policy/types.ts";
import type { PolicyProvider } from "./handler.ts";

export type ParseOutcome<P> = { ok: true; policy: P } | { ok: false; errors: string[] };

/** How policies are read and combined; the policy module provides the real one (see serve.ts). */
export interface PolicyCodec<P> {
  /** Validates one BackupPolicy object (from the cluster or a file). */
  parse(object: unknown, source: string): ParseOutcome<P>;
  /** The provider for a set of valid policies (an empty set means the built-in recommended policy). */
  build(policies: P[]): PolicyProvider;
}

/** A provider that applies one effective policy everywhere. */
export function fixedProvider(policy: EffectivePolicy): PolicyProvider {
  return { forNamespace: () => policy };
}

export interface PolicyHolderOptions {
  logger: Logger;
  onReload?: (result: "success" | "failure") => void;
}

export class PolicyHolder<P> implements PolicyProvider {
  private provider: PolicyProvider | undefined;
  private readonly good = new Map<string, { policy: P; text: string }>();
  private readonly codec: PolicyCodec<P>;
  private readonly opts: PolicyHolderOptions;
  /** Unix ms at which the policy in force was built; undefined until the first successful load. */
  loadedAt: number | undefined;
  sources: string[] = [];
  /** Error lines of the objects refused by the last replaceAll. */
  lastErrors: string[] = [];

  constructor(codec: PolicyCodec<P>, opts: PolicyHolderOptions) {
    this.codec = codec;
    this.opts = opts;
  }

  get loaded(): boolean {
    return this.provider !== undefined;
  }

  forNamespace(namespace: string | undefined, labels?: Record<string, string>): EffectivePolicy | undefined {
    return this.provider?.forNamespace(namespace, labels);
  }

  /**
   * Replaces the whole set of policy objects (keyed by name). Returns the names that were refused.
   * Unchanged objects are not parsed again.
   */
  replaceAll(objects: ReadonlyMap<string, unknown>): string[] {
    const refused: string[] = [];
    this.lastErrors = [];
    let changed = !this.loaded;
    for (const name of [...this.good.keys()]) {
      if (!objects.has(name)) {
        this.good.delete(name);
        changed = true;
        this.opts.logger.info({ policy: name }, "BackupPolicy removed");
      }
    }
    for (const [name, object] of objects) {
      const text = stableText(object);
      if (this.good.get(name)?.text === text) continue;
      const outcome = this.codec.parse(object, name);
      if (outcome.ok) {
        this.good.set(name, { policy: outcome.policy, text });
        changed = true;
      } else {
        refused.push(name);
        this.lastErrors.push(...outcome.errors);
        const kept = this.good.has(name) ? "the previous version of it stays in force" : "it is not applied";
        this.opts.logger.error({ policy: name, errors: outcome.errors }, `BackupPolicy ${name} is invalid and refused; ${kept}`);
        this.opts.onReload?.("failure");
      }
    }
    if (changed) {
      try {
        this.provider = this.codec.build([...this.good.values()].map((g) => g.policy));
      } catch (err) {
        // Policies that are valid one by one can still conflict; keep what was in force.
        this.opts.logger.error({ err: String(err) }, "policy set refused; the last good set stays in force");
        this.opts.onReload?.("failure");
        return [...refused, ...objects.keys()];
      }
      this.sources = [...this.good.keys()];
      this.loadedAt = Date.now();
      this.opts.logger.info({ policies: this.sources }, "policy in force");
      this.opts.onReload?.("success");
    }
    return refused;
  }
}

function stableText(object: unknown): string {
  if (typeof object === "string") return object;
  const o = object as { metadata?: Record<string, unknown> } | null;
  if (o && typeof o === "object" && o.metadata) {
    // resourceVersion/managedFields change without the policy changing.
    const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...meta } = o.metadata;
    return JSON.stringify({ ...o, metadata: meta });
  }
  return JSON.stringify(object);
}
