// The placeholder sweep (placeholders.test.ts): every string leaf of a valid manifest replaced by a Flux
// post-build placeholder must not add a finding. Each variant takes a piece of the original value out and puts
// `${VAR}` in its place, so substituting that piece back gives the original manifest: whatever a rule reports on
// the variant beyond what it reports on the original is a false positive (a placeholder is judged as written).
import { readFileSync } from "node:fs";
import { yamlFiles } from "../helpers/shared.ts";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import type { Resource } from "../../src/engine/types.ts";
import { admit, evaluate } from "../../src/engine/engine.ts";
import { asResource, isKubernetesObject, resourceTypeOf } from "../../src/engine/resource.ts";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import type { EffectivePolicy } from "../../src/policy/types.ts";
import { FIXED_NOW } from "../helpers/rule-tester.ts";
import type { CatalogRule } from "../../src/rules/define.ts";

/** Objects validated together (one file, or one realistic set): each one's lookups are all of them plus `extra`. */
export interface Group {
  name: string;
  objects: Resource[];
  /** Objects only known to the lookups (Secrets and the like), never changed. */
  extra?: Resource[];
}

export interface FalsePositive {
  group: string;
  /** The object changed, the leaf and its new value. */
  changed: string;
  path: string;
  value: string;
  /** The object that got the new finding (the changed one, or another of the group that looks it up). */
  object: string;
  rule: string;
  at: string;
  message: string;
}

type Path = (string | number)[];

/** Which leaves a sweep changes: the strings, or the numbers and booleans (`instances: \${N}` is a string until Flux substitutes it). */
export type LeafKind = "strings" | "scalars";

/** Every leaf of `value` of that kind with its path (as text); map keys are not leaves; top-level apiVersion and kind are skipped. */
export function leaves(value: unknown, kind: LeafKind = "strings", path: Path = [], out: [Path, string][] = []): [Path, string][] {
  const wanted = kind === "strings" ? typeof value === "string" : typeof value === "number" || typeof value === "boolean";
  if (wanted) {
    if (!(path.length === 1 && (path[0] === "apiVersion" || path[0] === "kind"))) out.push([path, String(value)]);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => leaves(v, kind, [...path, i], out));
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) leaves(v, kind, [...path, k], out);
  }
  return out;
}

const VAR = "${VAR}";

/**
 * The placeholder variants of a value: the whole value, a Flux default (`${VAR:=7}`), and its first and its last
 * run of letters or of digits replaced (`${VAR}min` from `5min`, `30 2 * * ${VAR}` from `30 2 * * 0`,
 * `/orders/${VAR}/` from `/orders/repo1/`). Each gives the original back when VAR is the piece taken out.
 */
export function variants(value: string, everyRun = false): string[] {
  const out = new Set<string>([VAR]);
  if (!value.includes("}")) out.add(`\${VAR:=${value}}`);
  const runs = [...value.matchAll(/[0-9]+|[A-Za-z]+/g)];
  for (const m of everyRun ? runs : [runs[0], runs[runs.length - 1]]) {
    if (!m || m[0] === value) continue;
    out.add(value.slice(0, m.index) + VAR + value.slice(m.index + m[0].length));
  }
  out.delete(value);
  return [...out];
}

function setAt(root: unknown, path: Path, value: unknown): void {
  let o = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path[path.length - 1]!] = value;
}

function label(r: Resource): string {
  const name = typeof r.metadata?.name === "string" ? r.metadata.name : "(unnamed)";
  return `${r.kind} ${name}`;
}

type Findings = Map<string, { rule: string; path: string; message: string }>;

function findingsOf(r: Resource, lookups: InventoryLookups, policy: EffectivePolicy, options: SweepOptions): Findings {
  const out: Findings = new Map();
  const ctx = { policy, lookups, now: FIXED_NOW };
  const rules = options.rules ? { rules: options.rules } : {};
  const e = options.withDefaults ? admit(r, ctx, rules).evaluation : evaluate(r, ctx, rules);
  for (const f of e.findings) out.set(`${f.rule}\u0000${f.path}`, f);
  return out;
}

export interface SweepResult {
  falsePositives: FalsePositive[];
  /** How many variants were evaluated (for the test's diagnostic). */
  variants: number;
}

export interface SweepOptions {
  /** Which leaves to change (default the strings). */
  kind?: LeafKind;
  /** Replace every run of letters or digits in turn, not only the first and the last. */
  everyRun?: boolean;
  /** Run admit() (the policy's defaulters, then the rules on the defaulted object), as validate does, not evaluate(). */
  withDefaults?: boolean;
  /** Only these rules (default: every rule). */
  rules?: readonly CatalogRule[];
}

/** Runs every variant of every leaf of every covered object of `groups`; see the header. */
export function sweep(groups: Group[], policy: EffectivePolicy, options: SweepOptions = {}): SweepResult {
  const { kind = "strings", everyRun = false } = options;
  const falsePositives: FalsePositive[] = [];
  let count = 0;
  for (const g of groups) {
    const covered = g.objects.map((o, i) => (resourceTypeOf(o) ? i : -1)).filter((i) => i >= 0);
    const extra = g.extra ?? [];
    const baseLookups = new InventoryLookups([...g.objects, ...extra]);
    const base = new Map(covered.map((i) => [i, findingsOf(g.objects[i]!, baseLookups, policy, options)]));
    for (const i of covered) {
      const original = g.objects[i]!;
      for (const [path, value] of leaves(original, kind)) {
        for (const v of variants(value, everyRun)) {
          count++;
          const changed = structuredClone(original);
          setAt(changed, path, v);
          const objects = g.objects.map((o, j) => (j === i ? changed : o));
          const lookups = new InventoryLookups([...objects, ...extra]);
          for (const j of covered) {
            for (const [key, f] of findingsOf(objects[j]!, lookups, policy, options)) {
              if (base.get(j)!.has(key)) continue;
              falsePositives.push({
                group: g.name,
                changed: label(original),
                path: path.join("."),
                value: v,
                object: label(objects[j]!),
                rule: f.rule,
                at: f.path,
                message: f.message,
              });
            }
          }
        }
      }
    }
  }
  return { falsePositives, variants: count };
}

/** Every document of a YAML text that parses and is a Kubernetes object (templates that do not parse are skipped). */
export function objectsOf(text: string): Resource[] {
  const out: Resource[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) continue;
    const obj: unknown = doc.toJS();
    if (isKubernetesObject(obj)) out.push(asResource(obj as Record<string, unknown>));
  }
  return out;
}


/** One group per YAML file under `dir` that holds a covered object; `rewrite` edits the text before parsing. */
export function fileGroups(dir: string, rewrite: (text: string) => string = (t) => t): Group[] {
  const out: Group[] = [];
  for (const path of yamlFiles(dir)) {
    const objects = objectsOf(rewrite(readFileSync(path, "utf8")));
    if (objects.some((o) => resourceTypeOf(o))) out.push({ name: relative(join(dir, ".."), path), objects });
  }
  return out;
}

/** The false positives, one line each, grouped by rule: what the assertion prints. */
export function describeFalsePositives(list: FalsePositive[]): string {
  return list
    .map((f) => `[${f.rule}] ${f.group}: ${f.changed} ${f.path} = ${JSON.stringify(f.value)} -> ${f.object} ${f.at}: ${f.message}`)
    .sort()
    .join("\n");
}
