// Where an offload worker's code comes from. From the sources (and tsc's dist/webhook/) it is the sibling file
// offload-worker.ts (.js); the bundles replace this function's body at build time (scripts/build-cli.ts
// inlineFilesPlugin): dist/cli.mjs starts dist/offload-worker.mjs (built beside it), the single executable evaluates
// the worker bundle it carries as the SEA asset `offload-worker.cjs` (an SEA can start no file of its own).
export type WorkerSource = { kind: "file"; url: URL } | { kind: "eval"; code: string };

export function offloadWorkerSource(): WorkerSource {
  const here = import.meta.url;
  return { kind: "file", url: new URL(here.endsWith(".ts") ? "./offload-worker.ts" : "./offload-worker.js", here) };
}
