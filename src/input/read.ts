// Turning PATH arguments into texts: files, directories (recursive) and `-` for stdin.
import { readdirSync, statSync } from "node:fs";
import { fsMessage, readRegularFile } from "../util/read-file.ts";
import { basename, dirname, join, matchesGlob, normalize, sep } from "node:path";
import { MAX_FILES, MAX_INPUT_BYTES } from "./limits.ts";
import { STDIN_SOURCE, type InputError, type InputNotice, type ParsedSource, type SkippedInput } from "./types.ts";
import { parseManifests, type ParseOutcome } from "./parse.ts";
import { parseManifestsFast } from "./fast-parse.ts";
import { mergeVars, parseVarFlag, parseVarsFile, substituteManifests } from "./envsubst.ts";
import { CHART_FILE, chartOfTemplate, hasCollectionKey, helmHint, templateLine } from "./helm.ts";
import { analyzeKustomizations } from "./kustomize.ts";
import { noObjectReason, notTextReason } from "./junk.ts";

const MANIFEST_FILE = /\.(ya?ml|json)$/i;
const SKIPPED_DIRS = new Set(["node_modules"]);

export interface SourceText {
  source: string;
  text: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: InputError };

function tooBig(source: string, bytes: number): InputError {
  return { source, message: `file is ${bytes} bytes, larger than the ${MAX_INPUT_BYTES}-byte limit` };
}

/** What `expandInputs` found: the files, and which of them are a Helm chart's templates. */
export interface ExpandedInputs {
  /** Every file (and `-`), in argument order; directories walked sorted by name. Chart templates included. */
  files: string[];
  /** Files under a Helm chart's `templates/` (a `templates` directory next to a `Chart.yaml`) -> the chart directory. */
  chartTemplates: Map<string, string>;
  /** The PATH arguments that are directories. */
  roots: string[];
}

/**
 * Files under a directory: `*.yaml|*.yml|*.json`, sorted by name, skipping dot-directories and node_modules.
 * `chart`: the chart whose `templates/` this directory is in; a directory with a `Chart.yaml` starts a chart.
 */
function walk(dir: string, out: ExpandedInputs, chart: string | undefined): InputError | undefined {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    return { source: dir, message: `cannot read directory: ${fsMessage(err)}` };
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const isChart = entries.some((e) => e.name === CHART_FILE && (e.isFile() || e.isSymbolicLink()));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith(".") || SKIPPED_DIRS.has(entry.name)) continue;
      // A chart inside templates/ is not a thing; a subchart (charts/<name>/Chart.yaml) starts its own.
      const err = walk(path, out, isChart ? (entry.name === "templates" ? dir : undefined) : chart);
      if (err) return err;
    } else if ((entry.isFile() || entry.isSymbolicLink()) && MANIFEST_FILE.test(entry.name)) {
      out.files.push(path);
      if (chart !== undefined) out.chartTemplates.set(path, chart);
      if (out.files.length > MAX_FILES) return { source: dir, message: `more than ${MAX_FILES} manifest files; point at a smaller directory` };
    }
  }
  return undefined;
}

/** Expands PATH arguments into files, noting Helm chart templates (see `ExpandedInputs`). */
export function expandInputs(paths: readonly string[]): Outcome<ExpandedInputs> {
  const out: ExpandedInputs = { files: [], chartTemplates: new Map(), roots: [] };
  for (const p of paths) {
    if (p === "-") {
      out.files.push(p);
      continue;
    }
    let stat;
    try {
      stat = statSync(p);
    } catch (err) {
      return { ok: false, error: { source: p, message: fsMessage(err) } };
    }
    if (stat.isDirectory()) {
      out.roots.push(p);
      // `validate charts/db/templates`: the walk starts inside a chart's templates.
      const err = walk(p, out, chartOfTemplate(join(p, "x.yaml")));
      if (err) return { ok: false, error: err };
    } else {
      out.files.push(p);
      const chart = chartOfTemplate(p);
      if (chart !== undefined) out.chartTemplates.set(p, chart);
    }
  }
  return { ok: true, value: out };
}

/** Expands PATH arguments into file paths (and `-`), in argument order. */
export function expandPaths(paths: readonly string[]): Outcome<string[]> {
  const out = expandInputs(paths);
  return out.ok ? { ok: true, value: out.value.files } : out;
}

/** A regular file's text, at most MAX_INPUT_BYTES read (devices, FIFOs and sockets are refused: see read-file.ts). */
export function readFileText(path: string): Outcome<string> {
  const r = readRegularFile(path, MAX_INPUT_BYTES);
  if (r.ok) return { ok: true, value: r.text };
  if (r.tooLarge !== undefined) return { ok: false, error: tooBig(path, r.tooLarge) };
  return { ok: false, error: { source: path, message: `cannot read: ${r.message}` } };
}

/** Reads a stream to the end as UTF-8, refusing more than the size limit. */
export async function readStream(stream: AsyncIterable<Buffer | string>): Promise<Outcome<string>> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > MAX_INPUT_BYTES) return { ok: false, error: tooBig(STDIN_SOURCE, size) };
      chunks.push(buf);
    }
  } catch (err) {
    return { ok: false, error: { source: STDIN_SOURCE, message: `cannot read: ${String((err as Error)?.message ?? err)}` } };
  }
  return { ok: true, value: Buffer.concat(chunks).toString("utf8") };
}

/**
 * Parses one source: the fast parser when the YAML documents need not be kept for editing, and the full `yaml`
 * parser otherwise, or whenever the fast one declines (errors, aliases, Lists).
 */
export function parseSource(text: string, source: string, editable: boolean, locate = true): ParseOutcome {
  // `locate`: keep the fast parser's events for src/input/locate.ts (~2x the text in memory while the objects
  // live); objects that are never reported on (--lookup inventories) do without.
  const fast = editable ? undefined : parseManifestsFast(text, source, { keepEvents: locate });
  return fast ? { ok: true, parsed: fast } : parseManifests(text, source);
}

/**
 * The variables of `--vars-file` files (in order, later ones overriding) and then `--var K=V` flags, which
 * override the files (as Flux's `substitute` overrides `substituteFrom`). The first bad file or flag is the error.
 */
export function loadVars(varsFiles: readonly string[], varFlags: readonly string[]): Outcome<Map<string, string>> {
  const maps: Map<string, string>[] = [];
  for (const file of varsFiles) {
    const text = readFileText(file);
    if (!text.ok) return text;
    const vars = parseVarsFile(text.value, file);
    if (!vars.ok) return vars;
    maps.push(vars.value);
  }
  const flags = new Map<string, string>();
  for (const flag of varFlags) {
    const kv = parseVarFlag(flag);
    if (!kv.ok) return kv;
    flags.set(kv.value[0], kv.value[1]);
  }
  return { ok: true, value: mergeVars(...maps, flags) };
}

export interface LoadOptions {
  /** Keep the YAML documents for editing (`mutate`); `validate` takes the faster parser. */
  editable?: boolean;
  /** Findings on these objects are reported with field lines (default true; false for --lookup inventories). */
  locate?: boolean;
  /**
   * Flux post-build variables (`loadVars`). When given (even empty), every text, stdin included, is substituted
   * before parsing (`substituteManifests`): known `${VAR}`s and defaults are filled in, unknown ones stay as
   * written and are listed in `ParsedSource.unresolvedVars`.
   */
  vars?: ReadonlyMap<string, string>;
  /**
   * Read the kustomizations around the inputs: set `ParsedSource.kustomizeNamespace`, skip files that are only
   * kustomize patches, and report what could not be followed in `notices`. Off by default.
   */
  kustomize?: boolean;
  /** `--exclude GLOB`: files (not stdin) left out, see `isExcluded`. */
  exclude?: readonly string[];
}

/**
 * Whether `--exclude` patterns leave `file` out: a pattern matches the file's path as found (relative paths as
 * given) or one of its parent directories (`--exclude 'clusters/*\/flux-system'`); a pattern without a `/` also
 * matches any single file or directory name (`--exclude '*.enc.yaml'`, `--exclude charts`).
 */
export function isExcluded(file: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0 || file === "-") return false;
  const parts = normalize(file).split(sep).filter((p) => p !== "" && p !== ".");
  const prefixes: string[] = [];
  const lead = file.startsWith("/") ? "/" : "";
  for (let i = 1; i <= parts.length; i++) prefixes.push(lead + parts.slice(0, i).join("/"));
  for (const pattern of patterns) {
    const p = pattern.replace(/^\.\//, "");
    const plain = !p.slice(0, -1).includes("/");
    const bare = p.replace(/\/$/, "");
    for (const candidate of plain ? parts : prefixes) {
      if (safeGlob(candidate, plain ? bare : p) || safeGlob(candidate, bare)) return true;
    }
    if (plain && safeGlob(basename(file), bare)) return true;
  }
  return false;
}

function safeGlob(path: string, pattern: string): boolean {
  try {
    return matchesGlob(path, pattern);
  } catch {
    return false;
  }
}

export type LoadOutcome =
  | {
      ok: true;
      value: ParsedSource[];
      /** Inputs not validated (Helm templates and charts, kustomize patches), in input order. Not errors. */
      skipped: SkippedInput[];
      /** Worth a line on stderr, never an error: kustomizations not followed, `${...}` Flux would reject. */
      notices: InputNotice[];
    }
  | { ok: false; error: InputError };

function templateSkip(source: string, line: number): SkippedInput {
  return { source, line, reason: `looks like a Helm template ({{ ... }} at line ${line})`, hint: helmHint(), files: [source] };
}

/**
 * Reads and parses every input. The first error stops everything: a CI run must not half-validate. Not errors
 * (listed in `skipped`, with the command to run instead): a Helm chart's `templates/` (one entry per chart,
 * even for templates that happen to parse: their values are not rendered); a file that does not parse, or
 * parses only into map-valued keys, and holds `{{ ... }}` outside comments and quotes: an unrendered template.
 * The same from stdin is an error (nothing else would be validated). Any other unparsable YAML is an error.
 */
export async function loadSources(
  paths: readonly string[],
  readStdin: () => Promise<Outcome<string>>,
  options: LoadOptions = {},
): Promise<LoadOutcome> {
  const expanded = expandInputs(paths);
  if (!expanded.ok) return expanded;
  const { chartTemplates, roots } = expanded.value;
  const files = options.exclude?.length ? expanded.value.files.filter((f) => !isExcluded(f, options.exclude!)) : expanded.value.files;
  const parsed: ParsedSource[] = [];
  const skipped: SkippedInput[] = [];
  const notices: InputNotice[] = [];

  const kustomize = options.kustomize
    ? analyzeKustomizations(
        files.filter((f) => f !== "-" && !chartTemplates.has(f)),
        options.vars ? { roots, vars: options.vars } : { roots },
      )
    : undefined;
  if (kustomize) notices.push(...kustomize.notices);

  const charts = new Map<string, SkippedInput>();
  let stdinUsed = false;
  // Named on the command line (or stdin): junk there is an error; junk a directory walk found is a notice.
  const named = new Set(paths);
  for (const file of files) {
    const chart = chartTemplates.get(file);
    if (chart !== undefined) {
      let entry = charts.get(chart);
      if (!entry) {
        entry = { source: chart, reason: "a Helm chart's templates (not rendered)", hint: helmHint(chart), files: [] };
        charts.set(chart, entry);
        skipped.push(entry);
      }
      entry.files.push(file);
      entry.reason = `a Helm chart's templates (${entry.files.length} file${entry.files.length === 1 ? "" : "s"}, not rendered)`;
      continue;
    }
    const patchOf = kustomize?.patches.get(file);
    if (patchOf !== undefined) {
      skipped.push({
        source: file,
        reason: `a kustomize patch (listed in ${patchOf}), not a whole object`,
        hint: `validate the build output instead: kustomize build ${dirname(patchOf)} | pg-backup-guard validate -`,
        files: [file],
      });
      continue;
    }

    let text: Outcome<string>;
    if (file === "-") {
      if (stdinUsed) return { ok: false, error: { source: STDIN_SOURCE, message: "`-` (stdin) given more than once" } };
      stdinUsed = true;
      text = await readStdin();
    } else text = readFileText(file);
    if (!text.ok) return text;
    const source = file === "-" ? STDIN_SOURCE : file;
    const binary = notTextReason(text.value);
    if (binary !== undefined) {
      if (named.has(file)) return { ok: false, error: { source, message: binary } };
      notices.push({ source, message: `skipped: ${binary}` });
      continue;
    }
    let body = text.value.replace(/^\uFEFF/, "");
    let unresolved: string[] | undefined;
    if (options.vars) {
      const sub = substituteManifests(body, options.vars);
      body = sub.text;
      unresolved = sub.unresolved;
      for (const m of sub.malformed) {
        notices.push({
          source,
          line: m.line,
          message: `${m.expression} is not a valid Flux substitution (Flux fails the Kustomization with "bad substitution"); left as written. Escape it as $\${...}, or label the object kustomize.toolkit.fluxcd.io/substitute: disabled`,
        });
      }
    }

    const outcome = parseSource(body, source, options.editable ?? false, options.locate ?? true);
    // A raw template either fails to parse or parses into keys that are maps (`name: {{ .Release.Name }}`).
    const broken = !outcome.ok || (body.includes("{{") && outcome.parsed.documents !== undefined && hasCollectionKey(outcome.parsed.documents));
    const tline = broken ? templateLine(body) : undefined;
    if (tline !== undefined) {
      if (file !== "-") {
        skipped.push(templateSkip(source, tline));
        continue;
      }
      const why = outcome.ok ? "" : `${outcome.error.message}; `;
      return {
        ok: false,
        error: {
          source,
          line: outcome.ok ? tline : outcome.error.line,
          col: outcome.ok ? undefined : outcome.error.col,
          message: `${why}this looks like an unrendered Helm template ({{ ... }} at line ${tline}); ${helmHint()}`,
        },
      };
    }
    if (!outcome.ok) return { ok: false, error: outcome.error };
    const result = outcome.parsed;
    const junk = noObjectReason(result);
    if (junk !== undefined) {
      if (named.has(file)) return { ok: false, error: { source, message: junk } };
      notices.push({ source, message: `skipped: ${junk}` });
      continue;
    }
    const assignment = kustomize?.namespaces.get(file);
    if (assignment) result.kustomizeNamespace = assignment;
    if (unresolved) result.unresolvedVars = unresolved;
    parsed.push(result);
  }
  return { ok: true, value: parsed, skipped, notices };
}
