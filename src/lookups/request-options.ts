// Per-request options for @kubernetes/client-node's object-parameter APIs: the options go straight to the
// observable layer, whose middleware returns "observables" (anything with toPromise).

const settled = <T>(value: T) => ({ toPromise: () => Promise.resolve(value) });

/**
 * Options that bound every request (connect included) by `signal` and, when given, set request headers (e.g. an
 * Accept header asking for PartialObjectMetadataList).
 */
export function requestOptions(signal: AbortSignal, headers: Record<string, string> = {}): { middleware: object[]; middlewareMergeStrategy: "append" } {
  return {
    middleware: [
      {
        pre: (ctx: { setSignal(s: AbortSignal): void; setHeaderParam(k: string, v: string): void }) => {
          ctx.setSignal(signal);
          for (const [k, v] of Object.entries(headers)) ctx.setHeaderParam(k, v);
          return settled(ctx);
        },
        post: <T>(res: T) => settled(res),
      },
    ],
    middlewareMergeStrategy: "append",
  };
}
