// Validation of one BackupPolicy object: apiVersion/kind first, then ajv against the generated schema, then
// the checks a schema cannot express well. Every error names the field and says what to write instead.
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { allRules } from "../rules/index.ts";
import { allDefaulters } from "../defaults/index.ts";
import { DURATION_PATTERN, parseDuration } from "../util/duration.ts";
import { isObject } from "../util/object.ts";
import {
  POLICY_API_VERSION,
  POLICY_KIND,
  type PolicyDocument,
  type PolicyError,
  type PolicySpec,
} from "./document.ts";
import { NAME_PATTERN_RE, NAMESPACE_PATTERN_RE, UNTIL_PATTERN_RE, policySchema } from "./schema.ts";
import { parseUntil } from "../engine/exemptions.ts";
import { editDistance } from "../util/text.ts";
import type { CatalogRule, CatalogDefaulter } from "../rules/define.ts";
import { precompiledPolicyValidator } from "./precompiled.ts";

export const MAX_ERRORS_PER_DOCUMENT = 50;
export const MAX_DEPTH = 64;

/** Finds the line of a field in the source text; `key` asks for the key's line rather than the value's. */
export type Locate = (path: readonly string[], key: boolean) => number | undefined;

export type ValidateResult = { ok: true; policy: PolicyDocument } | { ok: false; errors: PolicyError[] };

// ajv-formats is CommonJS; under nodenext its default export is the module object. Read when a catalog is
// built, not when this module loads: the bundle (scripts/build-cli.ts) loads ajv on first use, and a run
// without a policy file compiles nothing.
const addFormats = (ajv: Ajv2020): Ajv2020 =>
  (((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020)(ajv);

interface Catalog {
  validate: ValidateFunction;
  ruleIds: string[];
  defaulterIds: string[];
  ruleParams: Map<string, string[]>;
  defaulterParams: Map<string, string[]>;
  /** Per rule / defaulter id: its parameters that are policy durations. */
  ruleDurations: Map<string, string[]>;
  defaulterDurations: Map<string, string[]>;
}

/** The ajv the policy schema is compiled with (scripts/build-cli.ts precompiles with the same options, AJV_OPTIONS). */
export function newAjv(extra: { code?: { source: boolean; esm: boolean } } = {}): Ajv2020 {
  const ajv = new Ajv2020({ ...AJV_OPTIONS, ...extra });
  addFormats(ajv);
  return ajv;
}

// strict off: parameter schemas come from rule modules; a keyword ajv does not know must not break loading.
export const AJV_OPTIONS = { allErrors: true, verbose: true, strict: false } as const;

const durationNames = (params: Record<string, unknown>): string[] =>
  Object.entries(params).filter(([, schema]) => isObject(schema) && schema.pattern === DURATION_PATTERN).map(([name]) => name);

const catalogs = new WeakMap<readonly CatalogRule[], WeakMap<readonly CatalogDefaulter[], Catalog>>();

function catalog(rules: readonly CatalogRule[], defaulters: readonly CatalogDefaulter[]): Catalog {
  let inner = catalogs.get(rules);
  if (!inner) catalogs.set(rules, (inner = new WeakMap()));
  let c = inner.get(defaulters);
  if (!c) {
    const full = rules === allRules && defaulters === allDefaulters;
    c = {
      validate: (full ? precompiledPolicyValidator : undefined) ?? newAjv().compile(policySchema(rules, defaulters)),
      ruleIds: rules.map((r) => r.meta.id),
      defaulterIds: defaulters.map((d) => d.meta.id),
      ruleParams: new Map(rules.map((r) => [r.meta.id, ["action", ...Object.keys(r.meta.params)]])),
      defaulterParams: new Map(defaulters.map((d) => [d.meta.id, ["enabled", ...Object.keys(d.meta.params)]])),
      ruleDurations: new Map(rules.map((r) => [r.meta.id, durationNames(r.meta.params)])),
      defaulterDurations: new Map(defaulters.map((d) => [d.meta.id, durationNames(d.meta.params)])),
    };
    inner.set(defaulters, c);
  }
  return c;
}

// ---- wording ----------------------------------------------------------------------------------------------

/** A value as it would read in a message: strings quoted, collections named, long text cut. */
export function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (isObject(v)) return "a map";
  const text = typeof v === "string" ? JSON.stringify(v) : String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `spec.rules.schedule-too-rare.maxInterval`, `spec.match.namespaces[2]`, `matchLabels["app.kubernetes.io/name"]`. */
export function formatPath(segments: readonly string[]): string {
  let out = "";
  for (const s of segments) {
    if (/^\d+$/.test(s)) out += `[${s}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** The closest known name, when one is close enough to be a typo. */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.max(1, Math.floor(w.length / 3)));
  for (const k of known) {
    const lk = k.toLowerCase();
    // A prefix ("warning" for "warn", "maxInt" for "maxInterval") is as good as a one-letter typo.
    const prefix = Math.min(w.length, lk.length) >= 3 && (lk.startsWith(w) || w.startsWith(lk));
    const d = prefix ? 1 : editDistance(w, lk, 3);
    if (d <= bestDistance && (best === undefined || d < bestDistance)) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function unknownName(what: string, name: string, known: readonly string[], listName: string): string {
  const guess = didYouMean(name, known);
  if (guess) return `unknown ${what}; did you mean "${guess}"?`;
  return known.length > 0 ? `unknown ${what}; ${listName}: ${known.join(", ")}` : `unknown ${what}; there are no ${listName}`;
}

const TYPE_NAMES: Record<string, string> = {
  object: "a map",
  array: "a list",
  string: "a string",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
};

export const DURATION_HINT = "must be a duration like 30s, 5m, 1h, 7d, 2w, or combined like 1h30m";

function valueAt(root: unknown, segments: readonly string[]): unknown {
  let cur = root;
  for (const s of segments) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (isObject(cur)) cur = cur[s];
    else return undefined;
  }
  return cur;
}

function isRuleEntry(segs: readonly string[]): boolean {
  return segs.length === 3 && segs[0] === "spec" && (segs[1] === "rules" || segs[1] === "defaults");
}

/** One ajv error as a field path and a message a person can act on. */
function explain(e: ErrorObject, data: unknown, c: Catalog): { segments: string[]; key: boolean; message: string } {
  const segs = e.instancePath === "" ? [] : e.instancePath.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const got = describeValue(valueAt(data, segs));
  const parent = e.parentSchema as Record<string, unknown> | undefined;
  const parentPath = segs.join("/");

  switch (e.keyword) {
    case "additionalProperties": {
      const name = String((e.params as { additionalProperty: string }).additionalProperty);
      const at = [...segs, name];
      if (parentPath === "spec/rules") return { segments: at, key: true, message: unknownName("rule", name, c.ruleIds, "known rules") };
      if (parentPath === "spec/defaults")
        return { segments: at, key: true, message: unknownName("defaulter", name, c.defaulterIds, "known defaulters") };
      if (isRuleEntry(segs)) {
        const id = segs[2]!;
        const params = (segs[1] === "rules" ? c.ruleParams : c.defaulterParams).get(id) ?? [];
        const what = segs[1] === "rules" ? `rule ${id}` : `defaulter ${id}`;
        return { segments: at, key: true, message: unknownName(`parameter of ${what}`, name, params, "its parameters are") };
      }
      const props = isObject(parent?.properties) ? Object.keys(parent.properties) : [];
      return { segments: at, key: true, message: unknownName("field", name, props, "expected one of") };
    }
    case "required": {
      const name = String((e.params as { missingProperty: string }).missingProperty);
      const hint = isResourceExemption(segs) ? REQUIRED_IN_EXEMPTION[name] : undefined;
      return { segments: [...segs, name], key: true, message: hint ? `is required: ${hint}` : "is required" };
    }
    case "minLength":
      if (isResourceExemption(segs.slice(0, -1)) && segs[segs.length - 1] === "reason")
        return { segments: segs, key: false, message: `must not be empty: ${REQUIRED_IN_EXEMPTION.reason}` };
      return { segments: segs, key: false, message: `${e.message ?? "is too short"} (got ${got})` };
    case "minItems":
      if (isResourceExemption(segs.slice(0, -1)) && segs[segs.length - 1] === "rules")
        return { segments: segs, key: false, message: `must list at least one rule id: ${REQUIRED_IN_EXEMPTION.rules}` };
      return { segments: segs, key: false, message: `${e.message ?? "has too few items"} (got ${got})` };
    case "const":
      return { segments: segs, key: false, message: `must be ${JSON.stringify(e.schema)} (got ${got})` };
    case "enum": {
      const allowed = (e.schema as unknown[]).map(String);
      const exemptedRule = segs.length === 6 && isResourceExemption(segs.slice(0, 4)) && segs[4] === "rules";
      if ((segs[0] === "spec" && segs[1] === "exemptions" && segs[2] === "neverExempt") || exemptedRule)
        return { segments: segs, key: false, message: unknownName("rule", String(valueAt(data, segs)), c.ruleIds, "known rules") };
      const value = valueAt(data, segs);
      const guess = typeof value === "string" ? didYouMean(value, allowed) : undefined;
      const hint = guess ? `; did you mean "${guess}"?` : "";
      const off = value === false && allowed.includes("off") ? '; write "off" in quotes' : "";
      return { segments: segs, key: false, message: `must be one of ${allowed.join(", ")} (got ${got})${hint}${off}` };
    }
    case "pattern":
      if (e.schema === DURATION_PATTERN) return { segments: segs, key: false, message: `${DURATION_HINT} (got ${got})` };
      if (e.schema === NAMESPACE_PATTERN_RE)
        return {
          segments: segs,
          key: false,
          message: `must be a namespace name or a glob with * (lowercase letters, digits, - and *), e.g. prod-* (got ${got})`,
        };
      if (e.schema === UNTIL_PATTERN_RE) return { segments: segs, key: false, message: `${UNTIL_HINT} (got ${got})` };
      if (e.schema === NAME_PATTERN_RE)
        return {
          segments: segs,
          key: false,
          message: `must be a resource name or a glob with * (lowercase letters, digits, -, . and *), e.g. pg-legacy-* (got ${got})`,
        };
      return { segments: segs, key: false, message: `must match the pattern ${String(e.schema)} (got ${got})` };
    case "type": {
      if (parent?.pattern === DURATION_PATTERN) return { segments: segs, key: false, message: `${DURATION_HINT} (got ${got})` };
      if (isRuleEntry(segs)) {
        const example = segs[1] === "rules" ? "{action: warn}" : "{enabled: false}";
        return { segments: segs, key: false, message: `must be a map like ${example} (got ${got})` };
      }
      const types = ([] as unknown[]).concat(e.schema).map((t) => TYPE_NAMES[String(t)] ?? String(t));
      return { segments: segs, key: false, message: `must be ${types.join(" or ")} (got ${got})` };
    }
    default:
      return { segments: segs, key: false, message: `${e.message ?? "is invalid"} (got ${got})` };
  }
}

/** `spec.exemptions.resources[N]`. */
function isResourceExemption(segs: readonly string[]): boolean {
  return segs.length === 4 && segs[0] === "spec" && segs[1] === "exemptions" && segs[2] === "resources" && /^\d+$/.test(segs[3]!);
}

const UNTIL_HINT = "must be a date YYYY-MM-DD (valid through that day, UTC) or an RFC 3339 time like 2026-12-31T18:00:00Z";

/** What to write for a missing field of a `spec.exemptions.resources` entry. */
const REQUIRED_IN_EXEMPTION: Record<string, string> = {
  until: "a policy exemption must expire (required expiry); add until: YYYY-MM-DD or an RFC 3339 time",
  reason: "say why the resources are exempted (shown wherever the exemption is reported)",
  rules: "the rule ids the matching resources are exempted from",
};

// ---- checks beyond the schema -------------------------------------------------------------------------------

/** In/NotIn need values, Exists/DoesNotExist take none: the namespaceSelector and every exemption's selector. */
function selectorErrors(doc: Record<string, unknown>): { segments: string[]; message: string }[] {
  const at = [["spec", "match", "namespaceSelector"]];
  const entries = valueAt(doc, ["spec", "exemptions", "resources"]);
  if (Array.isArray(entries)) entries.forEach((_, i) => at.push(["spec", "exemptions", "resources", String(i), "selector"]));
  return at.flatMap((path) => expressionErrors(doc, path));
}

function expressionErrors(doc: Record<string, unknown>, path: string[]): { segments: string[]; message: string }[] {
  const selector = valueAt(doc, path);
  const exprs = isObject(selector) && Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  const out: { segments: string[]; message: string }[] = [];
  exprs.forEach((x: unknown, i) => {
    if (!isObject(x)) return;
    const at = [...path, "matchExpressions", String(i)];
    const n = Array.isArray(x.values) ? x.values.length : 0;
    if ((x.operator === "In" || x.operator === "NotIn") && n === 0)
      out.push({ segments: [...at, "values"], message: `operator ${x.operator} needs at least one value` });
    if ((x.operator === "Exists" || x.operator === "DoesNotExist") && n > 0)
      out.push({ segments: [...at, "values"], message: `operator ${x.operator} takes no values; remove them` });
  });
  return out;
}

const nonEmptyList = (v: unknown) => Array.isArray(v) && v.length > 0;
const nonEmptySelector = (v: unknown) =>
  isObject(v) && ((isObject(v.matchLabels) && Object.keys(v.matchLabels).length > 0) || nonEmptyList(v.matchExpressions));

/**
 * Each `spec.exemptions.resources` entry names some resources (one for everything would switch rules off: that is
 * `action: off`), has a reason that is not blank, and ends on a date that exists.
 */
function exemptionErrors(doc: Record<string, unknown>): { segments: string[]; message: string }[] {
  const entries = valueAt(doc, ["spec", "exemptions", "resources"]);
  if (!Array.isArray(entries)) return [];
  const out: { segments: string[]; message: string }[] = [];
  entries.forEach((entry: unknown, i) => {
    if (!isObject(entry)) return;
    const at = ["spec", "exemptions", "resources", String(i)];
    if (!["kinds", "namespaces", "names"].some((k) => nonEmptyList(entry[k])) && !nonEmptySelector(entry.selector))
      out.push({
        segments: at,
        message:
          "names no resources: give at least one of kinds, namespaces, names or selector (to switch a rule off everywhere, set spec.rules.<id>.action: off)",
      });
    if (typeof entry.reason === "string" && entry.reason !== "" && entry.reason.trim() === "")
      out.push({ segments: [...at, "reason"], message: `must not be blank: ${REQUIRED_IN_EXEMPTION.reason}` });
    const until = entry.until;
    if (typeof until === "string" && until.length <= 64 && new RegExp(UNTIL_PATTERN_RE).test(until) && parseUntil(until) === undefined)
      out.push({ segments: [...at, "until"], message: `is not a real date or time (got ${describeValue(until)}); ${UNTIL_HINT}` });
  });
  return out;
}

/** The longest policy duration: 100 years of 365 days. Anything longer is a typo (or an overflow) and is refused. */
export const MAX_DURATION_SECONDS = 100 * 365 * 86400;

/**
 * Durations the pattern accepts but no rule can use: longer than MAX_DURATION_SECONDS (`99999999999999999999w`
 * overflows and would be ignored), or 0 where 0 means nothing sensible. A `min...` parameter (a lower bound) may
 * be 0 ("no minimum"); every other duration must be longer than 0s. `spec.rpo` of 0 has its own message above.
 */
function durationErrors(doc: Record<string, unknown>, c: Catalog): { segments: string[]; message: string }[] {
  const out: { segments: string[]; message: string }[] = [];
  const check = (segments: string[], zeroAllowed: boolean) => {
    const text = valueAt(doc, segments);
    if (typeof text !== "string" || !new RegExp(DURATION_PATTERN).test(text) || text.length > 64) return; // the schema reports it
    const seconds = parseDuration(text);
    if (seconds === undefined || seconds > MAX_DURATION_SECONDS)
      out.push({ segments, message: `is out of range: at most ${MAX_DURATION_SECONDS / 86400}d (100 years) (got ${describeValue(text)})` });
    else if (seconds === 0 && !zeroAllowed) out.push({ segments, message: `must be longer than 0s (got ${describeValue(text)})` });
  };
  check(["spec", "rpo"], true); // 0 is reported on its own
  for (const [section, durations] of [["rules", c.ruleDurations], ["defaults", c.defaulterDurations]] as const) {
    const entries = valueAt(doc, ["spec", section]);
    if (!isObject(entries)) continue;
    for (const [id, entry] of Object.entries(entries)) {
      if (!isObject(entry)) continue;
      for (const name of durations.get(id) ?? []) if (name in entry) check(["spec", section, id, name], /^min[A-Z]/.test(name));
    }
  }
  return out;
}

/** How deep a JSON value nests; stops counting at `limit + 1`. Iterative, so any input is safe. */
export function depthOf(value: unknown, limit = MAX_DEPTH): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > limit) return max;
    if (Array.isArray(v)) for (const x of v) stack.push([x, d + 1]);
    else if (isObject(v)) for (const x of Object.values(v)) stack.push([x, d + 1]);
  }
  return max;
}

/**
 * Kubernetes reads YAML 1.1, where an unquoted `action: off` arrives as `false`; take it as "off" so one
 * policy file means the same to kubectl and to the CLI.
 */
function normalize(doc: Record<string, unknown>): Record<string, unknown> {
  const rules = isObject(doc.spec) && isObject(doc.spec.rules) ? doc.spec.rules : undefined;
  if (!rules || !Object.values(rules).some((r) => isObject(r) && r.action === false)) return doc;
  const copy = structuredClone(doc);
  for (const r of Object.values((copy.spec as { rules: Record<string, unknown> }).rules)) {
    if (isObject(r) && r.action === false) r.action = "off";
  }
  return copy;
}

// ---- entry point -----------------------------------------------------------------------------------------------

/**
 * Validates one BackupPolicy object (parsed YAML/JSON, or an object from the API server).
 * `locate` maps a field path to its line when the object came from text.
 */
export function validatePolicyObject(
  value: unknown,
  source: string,
  options: { locate?: Locate; line?: number; rules?: readonly CatalogRule[]; defaulters?: readonly CatalogDefaulter[] } = {},
): ValidateResult {
  const locate: Locate = options.locate ?? (() => undefined);
  const err = (segments: readonly string[], message: string, key = false): PolicyError => {
    const e: PolicyError = { source, path: formatPath(segments), message };
    const line = locate(segments, key) ?? options.line;
    if (line !== undefined) e.line = line;
    return e;
  };

  if (!isObject(value)) return { ok: false, errors: [err([], `a BackupPolicy must be a map (got ${describeValue(value)})`)] };
  if (depthOf(value) > MAX_DEPTH)
    return { ok: false, errors: [err([], `the document nests more than ${MAX_DEPTH} levels deep; a BackupPolicy never does`)] };

  const head: PolicyError[] = [];
  const expect = (field: "apiVersion" | "kind", want: string) => {
    if (value[field] === want) return;
    const msg = value[field] === undefined ? `is missing; a BackupPolicy has ${field}: ${want}` : `must be ${want} (got ${describeValue(value[field])})`;
    head.push(err([field], msg, value[field] === undefined));
  };
  expect("apiVersion", POLICY_API_VERSION);
  expect("kind", POLICY_KIND);
  if (head.length > 0) return { ok: false, errors: head };

  const doc = normalize(value);
  const c = catalog(options.rules ?? allRules, options.defaulters ?? allDefaulters);
  const errors: PolicyError[] = [];
  const seen = new Set<string>();
  if (!c.validate(doc)) {
    for (const e of c.validate.errors ?? []) {
      const x = explain(e, doc, c);
      const pe = err(x.segments, x.message, x.key);
      const id = `${pe.path}\0${pe.message}`;
      if (!seen.has(id)) errors.push(pe);
      seen.add(id);
    }
  }
  for (const x of selectorErrors(doc)) errors.push(err(x.segments, x.message));
  for (const x of exemptionErrors(doc)) errors.push(err(x.segments, x.message));
  const rpo = valueAt(doc, ["spec", "rpo"]);
  if (typeof rpo === "string" && parseDuration(rpo) === 0)
    errors.push(err(["spec", "rpo"], `must be longer than 0s: archive_timeout is derived from it, and 0 turns that timeout off (got "${rpo}")`));
  for (const x of durationErrors(doc, c)) errors.push(err(x.segments, x.message));
  // Top to bottom, as a person reads the file (sort is stable for errors without a line).
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (errors.length > MAX_ERRORS_PER_DOCUMENT) {
    const more = errors.length - MAX_ERRORS_PER_DOCUMENT;
    errors.length = MAX_ERRORS_PER_DOCUMENT;
    errors.push(err([], `... and ${more} more errors`));
  }
  if (errors.length > 0) return { ok: false, errors };

  const policy: PolicyDocument = {
    name: (doc.metadata as { name: string }).name,
    spec: structuredClone((doc.spec ?? {}) as PolicySpec),
    source,
  };
  if (options.line !== undefined) policy.line = options.line;
  return { ok: true, policy };
}
