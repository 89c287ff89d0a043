// `pg-backup-guard validate`
import { allRules } from "../rules/index.ts";
import { formatGithub } from "../report/github.ts";
import { formatJson } from "../report/json.ts";
import { formatJunit } from "../report/junit.ts";
import { formatSarif } from "../report/sarif.ts";
import { formatText } from "../report/text.ts";
import type { RunReport } from "../report/model.ts";
import { writeFileSync } from "node:fs";
import { oneOf, parse, stringList, UsageError } from "./args.ts";
import { crdStage } from "./crds.ts";
import { INPUT_OPTIONS, pipelineOptions } from "./inputs.ts";
import { useColor, type Io } from "./io.ts";
import { admitAll, prepare } from "./pipeline.ts";
import { VALIDATE_USAGE } from "./usage.ts";
import { version } from "./version.ts";

export const FORMATS = ["text", "json", "junit", "sarif", "github"] as const;
export type Format = (typeof FORMATS)[number];

export function render(report: RunReport, format: Format, color: boolean, quiet = false): string {
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
      return formatText(report, { color, quiet });
  }
}

export const FAIL_ON = ["deny", "warn"] as const;

export async function validateCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parse("validate", args, {
    ...INPUT_OPTIONS,
    kubeconfig: { type: "string" },
    "no-defaults": { type: "boolean" },
    crd: { type: "string", multiple: true },
    format: { type: "string", short: "o" },
    "fail-on": { type: "string" },
    output: { type: "string" },
    quiet: { type: "boolean", short: "q" },
    help: { type: "boolean", short: "h" },
  });
  const { values } = parsed;
  if (values.help) {
    io.stdout(VALIDATE_USAGE);
    return 0;
  }
  const format = oneOf("validate", "--format", values.format, FORMATS, "text");
  const failOn = oneOf("validate", "--fail-on", values["fail-on"], FAIL_ON, "deny");
  const output = typeof values.output === "string" ? values.output : undefined;
  if (output === "") throw new UsageError("--output needs a file name", "validate");
  const quiet = values.quiet === true;
  const options = pipelineOptions("validate", parsed, io.readStdin, {
    kubeconfig: typeof values.kubeconfig === "string" ? values.kubeconfig : undefined,
  });
  const crdPaths = stringList(values.crd);
  if ([...options.paths, ...options.lookupPaths, ...crdPaths].filter((p) => p === "-").length > 1) {
    throw new UsageError("`-` (stdin) can be read only once: give it to one of PATH, --lookup or --crd", "validate");
  }
  // The API server prunes and defaults custom resources from their CRDs before any webhook: simulate it first.
  const crds = await crdStage(crdPaths, io.readStdin);
  if (!crds.ok) {
    io.stderr(`pg-backup-guard: ${crds.error}\n`);
    return 2;
  }
  const prepared = await prepare(options);
  if (!prepared.ok) {
    for (const e of prepared.errors) io.stderr(`pg-backup-guard: ${e}\n`);
    return 2;
  }
  if (!quiet) for (const note of prepared.prepared.notes) io.stderr(`pg-backup-guard: note: ${note}\n`);
  const { report } = admitAll(prepared.prepared, io.now(), { apiServer: crds.stage, defaults: values["no-defaults"] !== true });
  const text = render(report, format, output === undefined && useColor(io), quiet);
  if (output !== undefined) {
    try {
      writeFileSync(output, text);
    } catch (err) {
      io.stderr(`pg-backup-guard: --output ${output}: cannot write: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
      return 2;
    }
  } else io.stdout(text);
  const failing = failOn === "warn" ? (a: string) => a === "deny" || a === "warn" : (a: string) => a === "deny";
  return report.results.some((r) => r.findings.some((f) => failing(f.action))) ? 1 : 0;
}
