// The input flags `validate` and `mutate` share, and what they turn into for the pipeline.
import type { Options, Parsed } from "./args.ts";
import { stringList, UsageError } from "./args.ts";
import type { PipelineOptions } from "./pipeline.ts";
import type { Outcome } from "../input/read.ts";

export const INPUT_OPTIONS: Options = {
  policy: { type: "string", multiple: true },
  lookup: { type: "string", multiple: true },
  namespace: { type: "string", short: "n" },
  var: { type: "string", multiple: true },
  "vars-file": { type: "string", multiple: true },
  exclude: { type: "string", multiple: true },
};

/** A namespace name as Kubernetes accepts it (RFC 1123 label). */
export function namespaceFlag(value: string, command: string): string {
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value)) {
    throw new UsageError(`--namespace "${value}" is not a valid namespace name (lowercase letters, digits and -, at most 63)`, command);
  }
  return value;
}

export function pipelineOptions(
  command: string,
  parsed: Parsed,
  readStdin: () => Promise<Outcome<string>>,
  extra: Partial<PipelineOptions> = {},
): PipelineOptions {
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError("no input: give files, directories, or - to read stdin", command);
  for (const g of stringList(values.exclude)) if (g.trim() === "") throw new UsageError("--exclude needs a glob pattern", command);
  return {
    paths: positionals,
    policyPaths: stringList(values.policy),
    lookupPaths: stringList(values.lookup),
    readStdin,
    varsFiles: stringList(values["vars-file"]),
    varFlags: stringList(values.var),
    exclude: stringList(values.exclude),
    ...(typeof values.namespace === "string" ? { namespace: namespaceFlag(values.namespace, command) } : {}),
    ...extra,
  };
}
