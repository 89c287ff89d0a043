// Flux post-build variable substitution, so a GitOps repository whose manifests hold `${VAR}` placeholders can
// be validated as Flux would apply it.
//
// What Flux does (fluxcd/pkg kustomize/kustomize_varsub.go, used by kustomize-controller; documented at
// https://fluxcd.io/flux/components/kustomize/kustomizations/#post-build-variable-substitution):
// - after `kustomize build`, each object's YAML goes through github.com/drone/envsubst with the variables of
//   `spec.postBuild.substitute` and of the ConfigMaps/Secrets in `spec.postBuild.substituteFrom` (later sources
//   override earlier ones, `substitute` overrides them all; Secret `data` is base64-decoded);
// - newlines are removed from every value (`strings.ReplaceAll(v, "\n", "")`), so a value never adds lines;
// - variable names must match `^[_[:alpha:]][_[:alpha:][:digit:]]*$`, else the Kustomization fails;
// - an object labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` is left alone;
// - nothing is substituted when no variable is defined at all.
// drone/envsubst syntax: only the braced form `${var}` (a bare `$var` is text); `$$` is an escape for `$` (so
// `$${var}` yields the literal `${var}`); `${var:=default}`, `${var=default}`, `${var:-default}` (and, in that
// library, `:?` and `:+` too) all mean "the default when the variable is unset or empty"; `${var-default}` is
// NOT a default (`-` is a name character, so it names a variable `var-default`); also `${#var}`, `${var^}`,
// `${var^^}`, `${var,}`, `${var,,}`, `${var:offset}`, `${var:offset:length}`, `${var#glob}`, `${var##glob}`,
// `${var%glob}`, `${var%%glob}`, `${var/from/to}`, `${var//from/to}`, `${var/#from/to}`, `${var/%from/to}`.
// Anything else after `${` is "bad substitution", which fails the whole Flux Kustomization.
//
// Where we differ, on purpose: Flux replaces a variable it does not know with the empty string. We leave
// `${VAR}` as written and report it, because inventing a value (the empty string) could produce a finding the
// real cluster would never see; callers treat a value with a placeholder as unknown (`hasPlaceholder`).
// A malformed `${...}` is left as written and reported, never an error.
import { parseAllDocuments } from "yaml";
import type { Outcome } from "./read.ts";
import { isObject } from "../util/object.ts";

/** The label/annotation with which an object opts out of Flux substitution (value `disabled`). */
export const SUBSTITUTE_KEY = "kustomize.toolkit.fluxcd.io/substitute";

/** Flux's check on variable names (kustomize_varsub.go `varsubRegex`; POSIX classes are ASCII in Go's RE2). */
export const VAR_NAME = /^[_A-Za-z][_A-Za-z0-9]*$/;
const VAR_NAME_TEXT = "^[_[:alpha:]][_[:alpha:][:digit:]]*$";

export interface SubstituteResult {
  text: string;
  /** Variables that have no value and no default: their `${...}` is left as written. Unique, in order of first use. */
  unresolved: string[];
  /** `${` that does not start a valid expression (Flux fails the Kustomization: "bad substitution"). Left as written. */
  malformed: { line: number; expression: string }[];
}

// ---- parsing (mirrors drone/envsubst's parse package) ----

type Part = { text: string } | Expr;
interface Expr {
  name: string;
  /** "" for `${var}`, "len" for `${#var}`, else the operator: ":=", "=", ":-", ",,", "^", ":", "/", "##", ... */
  op: string;
  args: Part[][];
}

/** drone's acceptIdent: letters, digits, `_` and `-` (any Unicode letter or digit). */
const IDENT = /[\p{L}\p{N}_-]/uy;

function ident(s: string, i: number): [string, number] {
  let j = i;
  for (;;) {
    IDENT.lastIndex = j;
    const m = IDENT.exec(s);
    if (!m) break;
    j += m[0].length;
  }
  return [s.slice(i, j), j];
}

type Parsed = { expr: Expr; end: number } | undefined;

/**
 * A parameter: a nested `${...}`, or a run of text up to (not including) a `${` or a character in `stops`.
 * `escapes` (replace patterns): `\/`, `\\` and `$$` drop their first character, as drone's scanEscape does.
 */
function param(s: string, i: number, stops: string, escapes: boolean): { part: Part; end: number } | undefined {
  if (s.startsWith("${", i)) {
    const nested = parseExpr(s, i);
    return nested && { part: nested.expr, end: nested.end };
  }
  let text = "";
  let j = i;
  while (j < s.length && !stops.includes(s[j]!) && !s.startsWith("${", j)) {
    if (escapes && ((s[j] === "\\" && (s[j + 1] === "/" || s[j + 1] === "\\")) || (s[j] === "$" && s[j + 1] === "$"))) j++;
    text += s[j];
    j++;
  }
  if (j === i) return undefined;
  return { part: { text }, end: j };
}

/** Parameters up to the closing `}` (defaults: text and nested expressions, concatenated). */
function params(s: string, i: number, escapes: boolean): { parts: Part[]; end: number } | undefined {
  const parts: Part[] = [];
  let j = i;
  while (s[j] !== "}") {
    if (j >= s.length) return undefined;
    const p = param(s, j, "}", escapes);
    if (!p) return undefined;
    parts.push(p.part);
    j = p.end;
  }
  return { parts, end: j + 1 };
}

/** One expression starting at `${` (s[start] === "$"). Undefined: bad substitution. */
function parseExpr(s: string, start: number): Parsed {
  let i = start + 2;
  if (s[i] === "#") {
    const [name, j] = ident(s, i + 1);
    return name && s[j] === "}" ? { expr: { name, op: "len", args: [] }, end: j + 1 } : undefined;
  }
  const [name, j] = ident(s, i);
  if (!name) return undefined;
  i = j;
  const c = s[i];
  const done = (op: string, args: Part[][], end: number): Parsed => ({ expr: { name, op, args }, end });
  if (c === "}") return done("", [], i + 1);
  if (c === "=" || (c === ":" && "=-?+".includes(s[i + 1] ?? "x"))) {
    const op = c === "=" ? "=" : s.slice(i, i + 2);
    const p = params(s, i + op.length, false);
    return p && done(op, [p.parts], p.end);
  }
  if (c === ":") {
    const offset = param(s, i + 1, ":}", false);
    if (!offset) return undefined;
    if (s[offset.end] === "}") return done(":", [[offset.part]], offset.end + 1);
    if (s[offset.end] !== ":") return undefined;
    const length = param(s, offset.end + 1, "}", false);
    if (!length || s[length.end] !== "}") return undefined;
    return done(":", [[offset.part], [length.part]], length.end + 1);
  }
  if (c === "," || c === "^") {
    let k = i;
    while (k < i + 2 && (s[k] === "," || s[k] === "^")) k++;
    return s[k] === "}" ? done(s.slice(i, k), [], k + 1) : undefined;
  }
  if (c === "#" || c === "%") {
    const op = s[i + 1] === c ? c + c : c;
    const p = param(s, i + op.length, "}", false);
    if (!p || s[p.end] !== "}") return undefined;
    return done(op, [[p.part]], p.end + 1);
  }
  if (c === "/") {
    const op = "/#%".includes(s[i + 1] ?? "x") ? s.slice(i, i + 2) : "/";
    const pattern = param(s, i + op.length, "/", true);
    if (!pattern || s[pattern.end] !== "/") return undefined;
    if (s[pattern.end + 1] === "}") return done(op, [[pattern.part]], pattern.end + 2);
    const repl = param(s, pattern.end + 1, "}", true);
    if (!repl || s[repl.end] !== "}") return undefined;
    return done(op, [[pattern.part], [repl.part]], repl.end + 1);
  }
  return undefined;
}

// ---- evaluation (drone/envsubst's funcs.go, with "unknown" kept instead of "") ----

/** One element of a Go path.Match pattern: `*`, or a test for one character. */
type GlobToken = { star: true } | { star: false; matches: (c: string) => boolean };

const NOT_SLASH = (c: string) => c !== "/";

/**
 * Go's path.Match pattern as tokens (`*`, `?`, `[...]`, `\` escapes; `/` is never matched by a wildcard). Matched
 * by `globPrefixes` in one pass: the regular expression this once was (`^[^/]*a[^/]*b$` tested on every prefix)
 * took minutes on a 1,000-character value with a few `*`.
 */
function globTokens(pattern: string): GlobToken[] | undefined {
  const out: GlobToken[] = [];
  const literal = (ch: string): GlobToken => ({ star: false, matches: (c) => c === ch });
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") out.push({ star: true });
    else if (c === "?") out.push({ star: false, matches: NOT_SLASH });
    else if (c === "\\") {
      if (i + 1 >= pattern.length) return undefined;
      out.push(literal(pattern[++i]!));
    } else if (c === "[") {
      let j = i + 1;
      let cls = "";
      if (pattern[j] === "^") {
        cls += "^";
        j++;
      }
      let first = true;
      while (j < pattern.length && (pattern[j] !== "]" || first)) {
        first = false;
        let ch = pattern[j]!;
        if (ch === "\\") {
          if (j + 1 >= pattern.length) return undefined;
          ch = pattern[++j]!;
        }
        cls += ch === "-" && cls.length > 0 && pattern[j + 1] !== "]" ? "-" : escapeRe(ch);
        j++;
      }
      if (j >= pattern.length) return undefined;
      let re: RegExp;
      try {
        re = new RegExp(`^[${cls}]$`, "s"); // one character at a time: linear
      } catch {
        return undefined;
      }
      out.push({ star: false, matches: (ch) => re.test(ch) });
      i = j;
    } else out.push(literal(c));
  }
  return out;
}

function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/** Work (value length × pattern length) beyond which a `#`/`%` pattern is left unapplied: no CI job hangs on one. */
export const MAX_GLOB_WORK = 20_000_000;

/**
 * Lengths n ≥ 1 for which `s.slice(0, n)` matches the pattern: the shortest (`longest` false) or the longest, or
 * undefined. A simulation of the pattern's automaton over `s`, O(|s| × |pattern|).
 */
function globPrefix(s: string, tokens: readonly GlobToken[], longest: boolean): number | undefined {
  const m = tokens.length;
  if (s.length * (m + 1) > MAX_GLOB_WORK) return undefined;
  let active = new Uint8Array(m + 1);
  let next = new Uint8Array(m + 1);
  const close = (set: Uint8Array) => {
    for (let i = 0; i < m; i++) if (set[i] && tokens[i]!.star) set[i + 1] = 1;
  };
  active[0] = 1;
  close(active);
  let best: number | undefined;
  for (let k = 1; k <= s.length; k++) {
    const c = s[k - 1]!;
    next.fill(0);
    let any = false;
    for (let i = 0; i < m; i++) {
      if (!active[i]) continue;
      const t = tokens[i]!;
      const to = t.star ? (c !== "/" ? i : -1) : t.matches(c) ? i + 1 : -1;
      if (to >= 0) {
        next[to] = 1;
        any = true;
      }
    }
    if (!any) break;
    close(next);
    [active, next] = [next, active];
    if (active[m]) {
      best = k;
      if (!longest) return k;
    }
  }
  return best;
}

function trimPrefix(s: string, pattern: string, longest: boolean): string {
  const tokens = globTokens(pattern);
  if (!tokens) return s;
  const n = globPrefix(s, tokens, longest);
  return n === undefined ? s : s.slice(n);
}

const reverse = (s: string): string => [...s].reverse().join("");

/** Go strings are bytes: `${#v}` and `${v:o:l}` count UTF-8 bytes, as drone does. */
/** Go's strconv.Atoi, or undefined. */
function atoi(s: string | undefined): number | undefined {
  return s !== undefined && /^[+-]?\d{1,15}$/.test(s) ? Number.parseInt(s, 10) : undefined;
}

function substr(s: string, args: string[]): string {
  const bytes = Buffer.from(s, "utf8");
  let pos = atoi(args[0]);
  // bash (and drone) return the value unchanged when the offset or length is not a number.
  if (pos === undefined) return s;
  if (pos < 0) pos = Math.max(0, bytes.length + pos);
  if (args.length === 1) return pos < bytes.length ? bytes.subarray(pos).toString("utf8") : "";
  const length = atoi(args[1]);
  if (length === undefined) return s;
  if (pos + length >= bytes.length) return bytes.subarray(Math.min(pos, bytes.length)).toString("utf8");
  return bytes.subarray(pos, Math.max(pos, pos + length)).toString("utf8");
}

function apply(op: string, v: string, args: string[]): string {
  switch (op) {
    case "len":
      return String(Buffer.byteLength(v, "utf8"));
    case ",":
      return v === "" ? v : [...v][0]!.toLowerCase() + v.slice([...v][0]!.length);
    case ",,":
      return v.toLowerCase();
    case "^":
      return v === "" ? v : [...v][0]!.toUpperCase() + v.slice([...v][0]!.length);
    case "^^":
      return v.toUpperCase();
    case "#":
      return trimPrefix(v, args[0] ?? "", false);
    case "##":
      return trimPrefix(v, args[0] ?? "", true);
    case "%":
      return reverse(trimPrefix(reverse(v), reverse(args[0] ?? ""), false));
    case "%%":
      return reverse(trimPrefix(reverse(v), reverse(args[0] ?? ""), true));
    case ":":
      return substr(v, args);
    case "/":
    case "//": {
      const [from = "", to = ""] = args;
      if (args.length === 0) return v;
      return op === "/" ? v.replace(from, () => to) : v.split(from).join(to);
    }
    case "/#":
      return args.length === 2 && v.startsWith(args[0]!) ? args[1]! + v.slice(args[0]!.length) : v;
    case "/%":
      return args.length === 2 && v.endsWith(args[0]!) ? v.slice(0, v.length - args[0]!.length) + args[1]! : v;
    default:
      // A mixed casing operator like `,^`: drone's fallback (toDefault without arguments) is the value itself.
      return v;
  }
}

const DEFAULT_OPS = new Set([":=", "=", ":-", ":?", ":+"]);

class Evaluator {
  readonly unresolved = new Set<string>();
  private readonly vars: ReadonlyMap<string, string>;
  constructor(vars: ReadonlyMap<string, string>) {
    this.vars = vars;
  }

  private value(name: string): string | undefined {
    const v = this.vars.get(name);
    // Flux removes newlines from every value, which also keeps our line numbers stable.
    return v === undefined ? undefined : v.replaceAll("\n", "");
  }

  /** The text of some parts, or undefined when one of them depends on a variable we do not know. */
  parts(parts: readonly Part[]): string | undefined {
    let out = "";
    for (const p of parts) {
      if ("text" in p) out += p.text;
      else {
        const v = this.expr(p);
        if (v === undefined) return undefined;
        out += v;
      }
    }
    return out;
  }

  expr(e: Expr): string | undefined {
    const v = this.value(e.name);
    if (DEFAULT_OPS.has(e.op)) {
      if (v !== undefined && v !== "") return v;
      return this.parts(e.args[0] ?? []);
    }
    if (v === undefined) {
      this.unresolved.add(e.name);
      return undefined;
    }
    const args: string[] = [];
    for (const a of e.args) {
      const t = this.parts(a);
      if (t === undefined) return undefined;
      args.push(t);
    }
    return apply(e.op, v, args);
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/**
 * Substitutes `${...}` in a text as Flux post-build substitution does, except that a variable with no value and
 * no default is left as written (and listed in `unresolved`) instead of becoming "". Defaults apply. `$$` is the
 * escape for a literal `$`. Values lose their newlines (as in Flux), so line numbers of the text stay those of
 * the file, except after a `${...}` that itself spans lines (only possible with a multi-line default): the lines
 * after it move up. Never throws.
 */
export function substitute(text: string, vars: ReadonlyMap<string, string>): SubstituteResult {
  const ev = new Evaluator(vars);
  const malformed: SubstituteResult["malformed"] = [];
  let out = "";
  let i = 0;
  while (i < text.length) {
    const next = text.indexOf("$", i);
    if (next === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, next);
    if (text[next + 1] === "$") {
      out += "$";
      i = next + 2;
    } else if (text[next + 1] === "{") {
      const parsed = parseExpr(text, next);
      if (!parsed) {
        const lineEnd = text.indexOf("\n", next);
        const rest = text.slice(next, lineEnd === -1 ? undefined : lineEnd);
        const close = rest.indexOf("}");
        malformed.push({ line: lineAt(text, next), expression: close === -1 ? rest.slice(0, 40) : rest.slice(0, close + 1) });
        out += "${";
        i = next + 2;
        continue;
      }
      const value = ev.expr(parsed.expr);
      out += value ?? text.slice(next, parsed.end);
      i = parsed.end;
    } else {
      out += "$";
      i = next + 1;
    }
  }
  return { text: out, unresolved: [...ev.unresolved], malformed };
}

/**
 * `substitute` per YAML document, leaving alone the documents whose object is labelled or annotated
 * `kustomize.toolkit.fluxcd.io/substitute: disabled` (as Flux does). Same result as `substitute` otherwise.
 */
export function substituteManifests(text: string, vars: ReadonlyMap<string, string>): SubstituteResult {
  if (!text.includes(SUBSTITUTE_KEY)) return substitute(text, vars);
  let docs;
  try {
    docs = parseAllDocuments(text, { logLevel: "silent" });
  } catch {
    return substitute(text, vars);
  }
  if (!Array.isArray(docs) || docs.length === 0) return substitute(text, vars);
  const starts = docs.map((d, i) => (i === 0 ? 0 : d.range[0]));
  const disabled = docs.map((d) => {
    try {
      const meta = (d.toJS({ maxAliasCount: 100 }) as { metadata?: unknown } | null)?.metadata;
      if (!isObject(meta)) return false;
      const has = (m: unknown): boolean => isObject(m) && m[SUBSTITUTE_KEY] === "disabled";
      return has(meta.labels) || has(meta.annotations);
    } catch {
      return false;
    }
  });
  const result: SubstituteResult = { text: "", unresolved: [], malformed: [] };
  const unresolved = new Set<string>();
  let linesBefore = 0;
  for (const [i, start] of starts.entries()) {
    const segment = text.slice(start, starts[i + 1] ?? text.length);
    if (disabled[i]) result.text += segment;
    else {
      const r = substitute(segment, vars);
      result.text += r.text;
      for (const u of r.unresolved) unresolved.add(u);
      for (const m of r.malformed) result.malformed.push({ line: m.line + linesBefore, expression: m.expression });
    }
    linesBefore += segment.split("\n").length - 1;
  }
  result.unresolved = [...unresolved];
  return result;
}

/** Whether a value holds a `${...}` placeholder (unsubstituted, or with no value): treat it as unknown. One definition for the project. */
export { hasPlaceholder } from "../util/placeholder.ts";

// ---- variables: --var K=V and --vars-file F ----

function badName(name: string): string {
  return `'${name}' var name is invalid, must match '${VAR_NAME_TEXT}' (as in Flux)`;
}

/** `--var K=V` (the value may be empty or contain `=`). */
export function parseVarFlag(s: string): Outcome<[string, string]> {
  const eq = s.indexOf("=");
  if (eq <= 0) return { ok: false, error: { source: "--var", message: `expected KEY=VALUE, got ${JSON.stringify(s)}` } };
  const name = s.slice(0, eq);
  if (!VAR_NAME.test(name)) return { ok: false, error: { source: "--var", message: badName(name) } };
  return { ok: true, value: [name, s.slice(eq + 1)] };
}

const DOTENV_LINE = /^\s*(?:export\s+)?([^\s=:#]+)\s*=(.*)$/;

function isDotenv(text: string): boolean {
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (t === "" || t.startsWith("#")) continue;
    return DOTENV_LINE.test(line);
  }
  return false;
}

function dotenvValue(raw: string): string | undefined {
  const v = raw.trim();
  const q = v[0];
  if (q === '"' || q === "'") {
    let out = "";
    let i = 1;
    for (; i < v.length && v[i] !== q; i++) {
      if (q === '"' && v[i] === "\\" && i + 1 < v.length) {
        const c = v[++i]!;
        out += c === "n" ? "\n" : c === "t" ? "\t" : c;
      } else out += v[i];
    }
    if (i >= v.length) return undefined;
    const rest = v.slice(i + 1).trim();
    return rest === "" || rest.startsWith("#") ? out : undefined;
  }
  // Unquoted: a ` #` starts a comment.
  const hash = v.search(/\s#/);
  return (hash === -1 ? v : v.slice(0, hash)).trim();
}

function parseDotenv(text: string, source: string): Outcome<Map<string, string>> {
  const vars = new Map<string, string>();
  for (const [i, line] of text.split("\n").entries()) {
    const t = line.trim();
    if (t === "" || t.startsWith("#")) continue;
    const m = DOTENV_LINE.exec(line.replace(/\r$/, ""));
    if (!m) return { ok: false, error: { source, line: i + 1, message: "expected KEY=VALUE" } };
    const name = m[1]!;
    if (!VAR_NAME.test(name)) return { ok: false, error: { source, line: i + 1, message: badName(name) } };
    const value = dotenvValue(m[2]!);
    if (value === undefined) return { ok: false, error: { source, line: i + 1, message: "unterminated quoted value" } };
    vars.set(name, value);
  }
  return { ok: true, value: vars };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The variables of a `--vars-file`, later definitions overriding earlier ones:
 * - `KEY=VALUE` lines (dotenv-like: `#` comments, optional `export `, optional quotes);
 * - YAML or JSON: a plain map of names to scalars; a ConfigMap (`data`) or Secret (`data` base64-decoded, then
 *   `stringData`), the shapes Flux's `substituteFrom` reads; a Flux Kustomization (`spec.postBuild.substitute`);
 *   several of these as documents of one file.
 * Scalars are read as written (`3` is "3", `true` is "true"). Errors name the file and line; never throws.
 */
export function parseVarsFile(text: string, source: string): Outcome<Map<string, string>> {
  const body = text.replace(/^\uFEFF/, "");
  if (isDotenv(body)) return parseDotenv(body, source);
  let docs;
  try {
    // failsafe: every scalar is the string as written, so `REPLICAS: 03` stays "03".
    docs = parseAllDocuments(body, { schema: "failsafe", prettyErrors: true, logLevel: "silent" });
  } catch (err) {
    return { ok: false, error: { source, message: `cannot parse: ${String((err as Error)?.message ?? err).split("\n")[0]}` } };
  }
  if (!Array.isArray(docs)) docs = [docs];
  const vars = new Map<string, string>();
  for (const doc of docs) {
    const e = doc.errors[0];
    if (e) {
      const pos = e.linePos?.[0];
      return { ok: false, error: { source, line: pos?.line, col: pos?.col, message: e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "") } };
    }
    const line = doc.contents?.range ? lineAt(body, doc.contents.range[0]) : 1;
    const fail = (message: string): Outcome<Map<string, string>> => ({ ok: false, error: { source, line, message } });
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      return fail(String((err as Error)?.message ?? err));
    }
    if (value === null || value === undefined || value === "") continue;
    if (!isObject(value)) return fail("expected a map of variables, a ConfigMap or Secret, or KEY=VALUE lines");
    const entries: [string, unknown][] = [];
    const kind = value.kind;
    const apiVersion = typeof value.apiVersion === "string" ? value.apiVersion : "";
    if (typeof kind === "string" && apiVersion !== "") {
      if (kind === "ConfigMap" && apiVersion === "v1") {
        if (value.data !== undefined && !isObject(value.data)) return fail("ConfigMap data is not a map");
        entries.push(...Object.entries(value.data ?? {}));
      } else if (kind === "Secret" && apiVersion === "v1") {
        if (value.data !== undefined && !isObject(value.data)) return fail("Secret data is not a map");
        for (const [k, v] of Object.entries(value.data ?? {})) {
          const b64 = typeof v === "string" ? v.replace(/\s+/g, "") : undefined;
          if (b64 === undefined || b64.length % 4 !== 0 || !BASE64.test(b64)) return fail(`Secret data ${JSON.stringify(k)} is not base64`);
          entries.push([k, Buffer.from(b64, "base64").toString("utf8")]);
        }
        if (value.stringData !== undefined && !isObject(value.stringData)) return fail("Secret stringData is not a map");
        entries.push(...Object.entries(value.stringData ?? {}));
      } else if (kind === "Kustomization" && apiVersion.startsWith("kustomize.toolkit.fluxcd.io/")) {
        const spec = isObject(value.spec) ? value.spec : {};
        const postBuild = isObject(spec.postBuild) ? spec.postBuild : {};
        if (postBuild.substitute !== undefined && !isObject(postBuild.substitute)) return fail("spec.postBuild.substitute is not a map");
        entries.push(...Object.entries(postBuild.substitute ?? {}));
      } else return fail(`a ${kind} holds no variables (expected a ConfigMap, a Secret, a Flux Kustomization or a plain map)`);
    } else entries.push(...Object.entries(value));
    for (const [k, v] of entries) {
      if (!VAR_NAME.test(k)) return fail(badName(k));
      if (typeof v !== "string") return fail(`variable ${k}: expected a string, got ${Array.isArray(v) ? "a list" : "a map"}`);
      vars.set(k, v);
    }
  }
  return { ok: true, value: vars };
}

/** Variables from `--vars-file` texts (in order) then `--var` flags, which override them (Flux: `substitute` beats `substituteFrom`). */
export function mergeVars(...maps: readonly ReadonlyMap<string, string>[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of maps) for (const [k, v] of m) out.set(k, v);
  return out;
}

