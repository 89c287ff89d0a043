// `pg-backup-guard test [PATH...]`: policy tests, like `kyverno test`. A test file names resources, the policies
// to judge them with, and the verdict expected per resource or per rule; the command runs the same simulated
// admission as `validate` and exits 1 on any mismatch. Platform admins prove a policy change before rolling it out.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse, UsageError } from "./args.ts";
import type { Io } from "./io.ts";
import { admitAll, prepare } from "./pipeline.ts";
import { TEST_USAGE } from "./usage.ts";
import { POLICY_TEST_SCHEMA, RESULTS } from "../policy/test-schema.ts";
import { crdStage } from "./crds.ts";
import { readFileText } from "../input/read.ts";
import { parseSource } from "../input/read.ts";
import { formatInputError } from "../input/types.ts";
import type { ResourceResult } from "../report/model.ts";

export const TEST_FILE = "pg-backup-guard-test.yaml";
type Expected = (typeof RESULTS)[number];

interface ExpectedResult {
  kind: string;
  name: string;
  namespace?: string;
  rule?: string;
  result: Expected;
  defaults?: string[];
}

interface TestFile {
  policies?: string[];
  resources: string[];
  lookups?: string[];
  crds?: string[];
  namespace?: string;
  vars?: Record<string, string>;
  noDefaults?: boolean;
  now?: string;
  results: ExpectedResult[];
}

let validator: ReturnType<Ajv2020["compile"]> | undefined;
function validateTestFile(value: unknown): string | undefined {
  validator ??= new Ajv2020({ allErrors: false, strict: false, validateFormats: false }).compile(POLICY_TEST_SCHEMA);
  if (validator(value)) return undefined;
  const e = validator.errors?.[0];
  if (!e) return "invalid test file";
  const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "(top level)";
  const extra = e.keyword === "additionalProperties" ? ` "${String((e.params as { additionalProperty?: string }).additionalProperty)}"` : "";
  const allowed = e.keyword === "enum" ? ` (${(e.params as { allowedValues?: unknown[] }).allowedValues?.join(", ")})` : "";
  return `${where}: ${e.message ?? "invalid"}${extra}${allowed}`;
}

/** Test files under the arguments: a file as given, or every `pg-backup-guard-test.yaml` below a directory. */
export function findTestFiles(paths: readonly string[]): { ok: true; files: string[] } | { ok: false; error: string } {
  const files: string[] = [];
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules") walk(join(dir, e.name));
      else if (e.isFile() && e.name === TEST_FILE) files.push(join(dir, e.name));
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) return { ok: false, error: `${p}: no such file or directory` };
    if (statSync(p).isDirectory()) walk(p);
    else files.push(p);
  }
  if (files.length === 0) return { ok: false, error: `no ${TEST_FILE} found under ${paths.join(", ")}` };
  return { ok: true, files };
}

function actualResult(r: ResourceResult, rule: string | undefined): Expected {
  if (rule === undefined) {
    if (r.findings.some((f) => f.action === "deny")) return "deny";
    if (r.findings.some((f) => f.action === "warn")) return "warn";
    return r.findings.some((f) => f.action === "audit") ? "audit" : "pass";
  }
  const f = r.findings.find((x) => x.rule === rule);
  if (f) return f.action as Expected;
  return r.notChecked.some((n) => n.rule === rule) ? "skip" : "pass";
}

export interface CaseOutcome {
  ok: boolean;
  label: string;
  detail: string;
}

async function runTestFile(file: string, io: Io): Promise<{ ok: true; cases: CaseOutcome[] } | { ok: false; error: string }> {
  const text = readFileText(file);
  if (!text.ok) return { ok: false, error: formatInputError(text.error) };
  const parsed = parseSource(text.value, file, true);
  if (!parsed.ok) return { ok: false, error: formatInputError(parsed.error) };
  const doc = parsed.parsed.documents?.find((d) => d.contents !== null);
  const value: unknown = doc?.toJS();
  const invalid = validateTestFile(value);
  if (invalid) return { ok: false, error: `${file}: ${invalid}` };
  const test = value as TestFile;
  const base = dirname(file);
  const at = (p: string) => (isAbsolute(p) ? p : join(base, p));
  if (test.now !== undefined && !Number.isFinite(Date.parse(test.now))) return { ok: false, error: `${file}: now: "${test.now}" is not an RFC 3339 time` };
  const now = test.now !== undefined ? new Date(test.now) : io.now();

  const crds = await crdStage((test.crds ?? []).map(at), io.readStdin);
  if (!crds.ok) return { ok: false, error: `${file}: ${crds.error}` };
  const prepared = await prepare({
    paths: test.resources.map(at),
    policyPaths: (test.policies ?? []).map(at),
    lookupPaths: (test.lookups ?? []).map(at),
    readStdin: io.readStdin,
    varFlags: Object.entries(test.vars ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(test.namespace !== undefined ? { namespace: test.namespace } : {}),
  });
  if (!prepared.ok) return { ok: false, error: `${file}: ${prepared.errors.join("; ")}` };
  const { report } = admitAll(prepared.prepared, now, { apiServer: crds.stage, defaults: test.noDefaults !== true });

  const cases: CaseOutcome[] = [];
  for (const exp of test.results) {
    const matches = report.results.filter(
      (r) => r.kind === exp.kind && r.name === exp.name && (exp.namespace === undefined || r.namespace === exp.namespace),
    );
    const who = `${exp.kind} ${exp.namespace ? `${exp.namespace}/` : ""}${exp.name}`;
    const label = `${who}  ${exp.rule ?? "(verdict)"}`;
    if (matches.length !== 1) {
      const why = matches.length === 0 ? "no such resource among the test's resources" : `${matches.length} resources match: give namespace`;
      cases.push({ ok: false, label, detail: why });
      continue;
    }
    const r = matches[0]!;
    const actual = actualResult(r, exp.rule);
    const problems: string[] = [];
    if (actual !== exp.result) {
      const shown = exp.rule === undefined ? r.findings : r.findings.filter((f) => f.rule === exp.rule);
      const why = shown.map((f) => ` [${f.action} ${f.rule}] ${f.message.split(". ")[0]}`).join(";");
      problems.push(`expected ${exp.result}, got ${actual}${why ? `:${why}` : ""}`);
    }
    if (exp.defaults !== undefined) {
      const got = [...new Set(r.changes.map((c) => c.defaulter))].sort();
      const want = [...exp.defaults].sort();
      if (got.join(",") !== want.join(",")) problems.push(`expected defaults [${want.join(", ")}], got [${got.join(", ")}]`);
    }
    cases.push({ ok: problems.length === 0, label, detail: problems.length === 0 ? exp.result : problems.join("; ") });
  }
  return { ok: true, cases };
}

export async function testCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse("test", args, { help: { type: "boolean", short: "h" } });
  if (values.help) {
    io.stdout(TEST_USAGE);
    return 0;
  }
  const found = findTestFiles(positionals.length > 0 ? positionals : ["."]);
  if (!found.ok) throw new UsageError(found.error, "test");
  let passed = 0;
  let failed = 0;
  for (const file of found.files) {
    const shownFile = isAbsolute(file) ? relative(resolve("."), file) || file : file;
    const out = await runTestFile(file, io);
    if (!out.ok) {
      io.stderr(`pg-backup-guard: ${out.error}\n`);
      return 2;
    }
    io.stdout(`${shownFile}\n`);
    const width = Math.max(...out.cases.map((c) => c.label.length));
    for (const c of out.cases) {
      io.stdout(`  ${c.ok ? "PASS" : "FAIL"}  ${c.label.padEnd(width)}  ${c.detail}\n`);
      if (c.ok) passed++;
      else failed++;
    }
  }
  io.stdout(`\n${passed + failed} test${passed + failed === 1 ? "" : "s"}, ${passed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}
