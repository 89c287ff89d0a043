// `pg-backup-guard validate`
import { allRules } from "../rules/index.ts";
import { formatGithub } from "../report/github.ts";
import { formatJson } from "../report/json.ts";
import { formatJunit } from "../report/junit.ts";
import { formatSarif } from "../report/sarif.ts";
import { formatText } from "../report/text.ts";
import type { RunReport } from "../report/model.ts";
import { oneOf, parse, stringList, UsageError } from "./args.ts";
import { useColor, type Io } from "./io.ts";
import { admitAll, prepare } from "./pipeline.ts";
import { VALIDATE_USAGE } from "./usage.ts";
import { apiServerStage } from "../crd/stage.ts";
import { builtinCrdSchemas } from "../crd/schemas.ts";
import { version } from "./version.ts";

export const FORMATS = ["text", "json", "junit", "sarif", "github"] as const;
export type Format = (typeof FORMATS)[number];

export function render(report: RunReport, format: Format, color: boolean): string {
  switch (format) {
    case "json":
      return formatJson(report);
    case "junit":
      return formatJunit(report);
    case "sarif":
      return formatSarif(report, allRules, version());
    case "github":
      return formatGithub(report);
    default:
      return formatText(report, { color });
  }
}

/** A namespace name as Kubernetes accepts it (RFC 1123 label). */
function namespaceFlag(value: string): string {
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value)) {
    throw new UsageError(`--namespace "${value}" is not a valid namespace name (lowercase letters, digits and -, at most 63)`, "validate");
  }
  return value;
}

export async function validateCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse("validate", args, {
    policy: { type: "string", multiple: true },
    lookup: { type: "string", multiple: true },
    kubeconfig: { type: "string" },
    namespace: { type: "string", short: "n" },
    "no-defaults": { type: "boolean" },
    format: { type: "string", short: "o" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout(VALIDATE_USAGE);
    return 0;
  }
  const format = oneOf("validate", "--format", values.format, FORMATS, "text");
  if (positionals.length === 0) throw new UsageError("no input: give files, directories, or - to read stdin", "validate");
  const prepared = await prepare({
    paths: positionals,
    policyPaths: stringList(values.policy),
    lookupPaths: stringList(values.lookup),
    kubeconfig: typeof values.kubeconfig === "string" ? values.kubeconfig : undefined,
    readStdin: io.readStdin,
    ...(typeof values.namespace === "string" ? { namespace: namespaceFlag(values.namespace) } : {}),
  });
  if (!prepared.ok) {
    for (const e of prepared.errors) io.stderr(`pg-backup-guard: ${e}\n`);
    return 2;
  }
  for (const note of prepared.prepared.notes) io.stderr(`pg-backup-guard: note: ${note}\n`);
  // The API server prunes and defaults custom resources from their CRDs before any webhook: simulate it first.
  const apiServer = apiServerStage(builtinCrdSchemas());
  const { report } = admitAll(prepared.prepared, io.now(), { apiServer, defaults: values["no-defaults"] !== true });
  io.stdout(render(report, format, useColor(io)));
  return report.results.some((r) => r.findings.some((f) => f.action === "deny")) ? 1 : 0;
}
