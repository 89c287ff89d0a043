// Regenerates the parts of deploy/ and the Helm chart that follow from the operator registry (src/operators/index.ts):
//   - the validating and mutating webhooks' `rules` (kinds the API server sends us: each covered kind with
//     `admission: true` that a rule, resp. a default, applies to);
//   - the read-only ClusterRole rules of the lookup kinds the informers list and watch (Secrets aside: opt-in overlay);
//   - the audit job's extra read rules (covered kinds that are not lookup kinds, e.g. CNPG Backups).
// Each generated block stands between `BEGIN generated: <name>` and `END generated: <name>` comment lines.
//
// Run: node scripts/gen-deploy.ts          (rewrites the files)
//      node scripts/gen-deploy.ts --check  (exit 1 when one is stale; test/deploy/generated.test.ts runs it)
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { coveredKinds } from "../src/operators/index.ts";
import { allRules } from "../src/rules/index.ts";
import { allDefaulters } from "../src/defaults/index.ts";
import { lookupKindSpecs } from "../src/lookups/kinds.ts";
import { typesOf } from "../src/operators/types.ts";

export const COMMAND = "node scripts/gen-deploy.ts";
const root = new URL("../", import.meta.url);
const path = (p: string): string => fileURLToPath(new URL(p, root));

interface ApiRule {
  group: string;
  versions: readonly string[];
  resources: string[];
  scope?: string;
}

/** Rules of one API group and version list, resources in registry order. */
function grouped(items: { group: string; versions: readonly string[]; resource: string; scope?: string }[]): ApiRule[] {
  const out: ApiRule[] = [];
  for (const i of items) {
    const same = out.find((r) => r.group === i.group && r.versions.join() === i.versions.join() && r.scope === i.scope);
    if (same) {
      if (!same.resources.includes(i.resource)) same.resources.push(i.resource);
    } else out.push({ group: i.group, versions: i.versions, resources: [i.resource], ...(i.scope ? { scope: i.scope } : {}) });
  }
  return out;
}

function admissionKinds(appliesTo: ReadonlySet<string>): ApiRule[] {
  return grouped(
    coveredKinds
      .filter((k) => k.admission && typesOf(k).some((t) => appliesTo.has(t)))
      .map((k) => ({ group: k.group, versions: k.versions, resource: k.plural, scope: k.scope })),
  );
}

export function validateRules(): ApiRule[] {
  return admissionKinds(new Set(allRules.filter((r) => !r.meta.auditOnly).flatMap((r) => r.meta.appliesTo)));
}

export function mutateRules(): ApiRule[] {
  return admissionKinds(new Set(allDefaulters.flatMap((d) => d.meta.appliesTo)));
}

/** What the informers list and watch (every lookup kind but the opt-in Secrets). */
export function readRules(): ApiRule[] {
  return grouped(lookupKindSpecs().filter((s) => s.name !== "Secret").map((s) => ({ group: s.group, versions: s.versions, resource: s.plural })));
}

/** What audit lists besides the lookup kinds: covered kinds that are not lookup kinds. */
export function auditReadRules(): ApiRule[] {
  const lookups = lookupKindSpecs();
  return grouped(
    coveredKinds
      .filter((k) => !lookups.some((s) => s.group === k.group && s.kind === k.kind))
      .map((k) => ({ group: k.group, versions: k.versions, resource: k.plural })),
  );
}

const flow = (xs: readonly string[]): string => `[${xs.map((x) => (x === "" ? '""' : x)).join(", ")}]`;

function webhookYaml(rules: ApiRule[], indent: string): string[] {
  return rules.flatMap((r) => [
    `${indent}- apiGroups: ${flow([r.group])}`,
    `${indent}  apiVersions: ${flow(r.versions)}`,
    `${indent}  resources: ${flow(r.resources)}`,
    `${indent}  operations: [CREATE, UPDATE]`,
    `${indent}  scope: ${r.scope}`,
  ]);
}

function rbacYaml(rules: ApiRule[], indent: string): string[] {
  return rules.flatMap((r) => [`${indent}- apiGroups: ${flow([r.group])}`, `${indent}  resources: ${flow(r.resources)}`, `${indent}  verbs: [get, list, watch]`]);
}

interface Block {
  file: string;
  name: string;
  /** The comment syntax of the file: YAML `#`, or a Go-template comment in the chart's helpers. */
  comment: "yaml" | "tpl";
  lines: (indent: string) => string[];
}

const BLOCKS: Block[] = [
  { file: "deploy/base/webhooks.yaml", name: "validate rules", comment: "yaml", lines: (i) => webhookYaml(validateRules(), i) },
  { file: "deploy/base/webhooks.yaml", name: "mutate rules", comment: "yaml", lines: (i) => webhookYaml(mutateRules(), i) },
  { file: "deploy/base/rbac.yaml", name: "lookup kinds", comment: "yaml", lines: (i) => rbacYaml(readRules(), i) },
  { file: "deploy/overlays/audit-cronjob/rbac.yaml", name: "audited kinds", comment: "yaml", lines: (i) => rbacYaml(auditReadRules(), i) },
  { file: "charts/pg-backup-guard/templates/_helpers.tpl", name: "validate rules", comment: "tpl", lines: (i) => webhookYaml(validateRules(), i) },
  { file: "charts/pg-backup-guard/templates/_helpers.tpl", name: "mutate rules", comment: "tpl", lines: (i) => webhookYaml(mutateRules(), i) },
  { file: "charts/pg-backup-guard/templates/rbac.yaml", name: "lookup kinds", comment: "yaml", lines: (i) => rbacYaml(readRules(), i) },
  { file: "charts/pg-backup-guard/templates/audit.yaml", name: "audited kinds", comment: "yaml", lines: (i) => rbacYaml(auditReadRules(), i) },
];

function marker(b: Block, what: "BEGIN" | "END"): RegExp {
  const text = `${what} generated: ${b.name}`;
  return b.comment === "yaml" ? new RegExp(`^( *)# ${text}\\b.*$`, "m") : new RegExp(`^( *)\\{\\{- /\\* ${text}\\b.*\\*/ -\\}\\}$`, "m");
}

/** The file's text with its generated blocks rewritten. Throws when a marker is missing. */
export function regenerate(file: string, text: string): string {
  let out = text;
  for (const b of BLOCKS.filter((x) => x.file === file)) {
    const begin = marker(b, "BEGIN").exec(out);
    const end = marker(b, "END").exec(out);
    if (!begin || !end || end.index < begin.index) throw new Error(`${file}: markers "BEGIN/END generated: ${b.name}" not found`);
    const from = begin.index + begin[0].length + 1;
    const body = b.lines(begin[1]!).join("\n");
    out = out.slice(0, from) + (body ? `${body}\n` : "") + out.slice(end.index);
  }
  return out;
}

export const FILES: readonly string[] = [...new Set(BLOCKS.map((b) => b.file))];

/** Files whose generated blocks are stale. */
export function staleFiles(): string[] {
  return FILES.filter((f) => {
    const text = readFileSync(path(f), "utf8");
    return regenerate(f, text) !== text;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes("--check");
  const stale = staleFiles();
  if (check) {
    if (stale.length > 0) {
      console.error(`stale generated blocks in ${stale.join(", ")}: run ${COMMAND}`);
      process.exit(1);
    }
  } else {
    for (const f of stale) writeFileSync(path(f), regenerate(f, readFileSync(path(f), "utf8")));
    console.log(stale.length ? `rewrote ${stale.join(", ")}` : "up to date");
  }
}
