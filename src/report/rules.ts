// `rules` and `explain` output, from rule metadata only.
import type { JsonSchema, RuleMeta } from "../engine/types.ts";
import { editDistance } from "../util/text.ts";

/** `postgresql.cnpg.io/v1/Cluster` -> `Cluster`; CPO's lower-case `postgresql` stays as is. */
export function shortKinds(meta: RuleMeta): string {
  return [...new Set(meta.appliesTo.map((t) => t.slice(t.lastIndexOf("/") + 1)))].join(", ");
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

export function formatRulesTable(metas: readonly RuleMeta[]): string {
  const rows = metas.map((m) => [m.id, m.defaultAction, shortKinds(m), m.docs.summary]);
  const head = ["RULE", "DEFAULT", "APPLIES TO", "SUMMARY"];
  const widths = [0, 1, 2].map((i) => Math.max(head[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `${pad(r[0]!, widths[0]!)}  ${pad(r[1]!, widths[1]!)}  ${pad(r[2]!, widths[2]!)}  ${r[3]}`.trimEnd();
  return `${[line(head), ...rows.map(line)].join("\n")}\n${metas.length} rules. Details: pg-backup-guard explain <rule-id>\n`;
}

export function formatRulesJson(metas: readonly RuleMeta[]): string {
  return `${JSON.stringify(
    metas.map((m) => ({ id: m.id, defaultAction: m.defaultAction, appliesTo: m.appliesTo, lookups: m.lookups ?? [], summary: m.docs.summary })),
    null,
    2,
  )}\n`;
}

function describeParam(name: string, schema: JsonSchema): string {
  const type = typeof schema.type === "string" ? schema.type : Array.isArray(schema.type) ? schema.type.join("|") : "value";
  const def = "default" in schema ? ` (default ${JSON.stringify(schema.default)})` : "";
  const desc = typeof schema.description === "string" ? ` — ${schema.description}` : "";
  return `  ${name}: ${type}${def}${desc}`;
}

function block(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}

export function formatExplain(meta: RuleMeta): string {
  const d = meta.docs;
  const params = Object.entries(meta.params);
  const lines = [
    `${meta.id}  (default: ${meta.defaultAction}; applies to ${meta.appliesTo.join(", ")})`,
    "",
    d.summary,
    "",
    "Why:",
    block(d.rationale),
    "",
    "Parameters (in a BackupPolicy under spec.rules." + meta.id + "):",
    `  action: deny|warn|audit|off (default "${meta.defaultAction}")`,
    ...params.map(([n, s]) => describeParam(n, s)),
  ];
  if (meta.lookups && meta.lookups.length > 0) {
    lines.push("", `Needs lookups: ${meta.lookups.join(", ")} (not checked, never denied, when unknown; see --lookup)`);
  }
  lines.push("", "Reported:", block(d.bad), "", "Fixed:", block(d.good), "", "Fix:", block(d.fix), "");
  return lines.join("\n");
}

export function formatExplainJson(meta: RuleMeta): string {
  return `${JSON.stringify(meta, null, 2)}\n`;
}

/** Known ids closest to `id`: by edit distance, or ids containing it. */
export function suggestIds(id: string, known: readonly string[]): string[] {
  const lower = id.toLowerCase();
  const scored = known
    .map((k) => ({ k, d: k.includes(lower) || lower.includes(k) ? 0 : editDistance(lower, k) }))
    .filter((x) => x.d <= Math.max(3, Math.floor(lower.length / 3)))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k));
  return scored.slice(0, 3).map((x) => x.k);
}
