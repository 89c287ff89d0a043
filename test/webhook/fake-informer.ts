// A stand-in for a client-node informer: behaves like ListWatch (start resolves even when the list
// failed, after calling the error callbacks), driven by the test.
import type { InformerLike } from "../../src/lookups/live.ts";

type Cb = (x?: any) => void;

export class FakeInformer implements InformerLike {
  objects = new Map<string, any>();
  /** What the next start() does: succeed, or fail with this error. */
  nextError: unknown = undefined;
  starts = 0;
  stopped = false;
  private cbs: Record<string, Cb[]> = { add: [], update: [], delete: [], error: [], connect: [] };

  constructor(objects: any[] = []) {
    for (const o of objects) this.objects.set(key(o), o);
  }

  on(verb: string, cb: Cb): void {
    this.cbs[verb]!.push(cb);
  }

  async start(): Promise<void> {
    this.starts++;
    for (const cb of this.cbs.connect!) cb();
    if (this.nextError !== undefined) {
      const err = this.nextError;
      for (const cb of this.cbs.error!) cb(err);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  get(name: string, namespace?: string): any {
    return this.objects.get(`${namespace ?? ""}/${name}`);
  }

  list(namespace?: string): any[] {
    return [...this.objects.values()].filter((o) => !namespace || o.metadata.namespace === namespace);
  }

  /** The watch delivers an event. */
  emit(verb: "add" | "update" | "delete", obj: any): void {
    if (verb === "delete") this.objects.delete(key(obj));
    else this.objects.set(key(obj), obj);
    for (const cb of this.cbs[verb]!) cb(obj);
  }

  /** The watch breaks. */
  fail(err: unknown): void {
    for (const cb of this.cbs.error!) cb(err);
  }
}

function key(o: any): string {
  return `${o.metadata.namespace ?? ""}/${o.metadata.name}`;
}

export function httpError(code: number, message = `HTTP ${code}`): Error & { code: number } {
  return Object.assign(new Error(message), { code });
}
