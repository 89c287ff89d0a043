// `pg-backup-guard validate`
import { allRules } from "../rules/index.ts";
import { formatGithub } from "../report/github.ts";
import { formatJsonParts } from "../report/json.ts";
import { formatJunit } from "../report/junit.ts";
import { batchParts } from "../report/parts.ts";
import { formatSarifParts } from "../report/sarif.ts";
import { formatText } from "../report/text.ts";
import type { RunReport } from "../report/model.ts";
import { closeSync, openSync, writeSync } from "node:fs";
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
  return renderParts(report, format, color, quiet).join("");
}

/**
 * The report as strings to write one after the other: JSON and SARIF in batches of about 1 MiB that keep the
 * results with characters above U+00FF apart from the others, so most of a large report is written without
 * re-encoding (src/report/parts.ts); the other formats as one string.
 */
export function renderParts(report: RunReport, format: Format, color: boolean, quiet = false): string[] {
  switch (format) {
    case "json":
      return batchParts(formatJsonParts(report));
    case "junit":
      return [formatJunit(report)];
    case "sarif":
      return batchParts(formatSarifParts(report, allRules, version()));
    case "github":
      return [formatGithub(report)];
    default:
      return [formatText(report, { color, quiet })];
  }
}

/** Writes `parts` to a new file `path` (truncated if it exists), as writeFileSync would their concatenation. */
export function writeParts(path: string, parts: readonly string[]): void {
  const fd = openSync(path, "w");
  try {
    for (const p of parts) {
      const bytes = Buffer.from(p, "utf8");
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    }
  } finally {
    closeSync(fd);
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
  const parts = renderParts(report, format, output === undefined && useColor(io), quiet);
  if (output !== undefined) {
    try {
      writeParts(output, parts);
    } catch (err) {
      io.stderr(`pg-backup-guard: --output ${output}: cannot write: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
      return 2;
    }
  } else for (const p of parts) io.stdout(p);
  const failing = failOn === "warn" ? (a: string) => a === "deny" || a === "warn" : (a: string) => a === "deny";
  return report.results.some((r) => r.findings.some((f) => failing(f.action))) ? 1 : 0;
}
