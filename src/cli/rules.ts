// `pg-backup-guard rules` and `pg-backup-guard explain <rule-id>`
import { allRules, findRule } from "../rules/index.ts";
import { formatExplain, formatExplainJson, formatRulesJson, formatRulesTable, suggestIds } from "../report/rules.ts";
import { oneOf, parse, UsageError } from "./args.ts";
import type { Io } from "./io.ts";
import { EXPLAIN_USAGE, RULES_USAGE } from "./usage.ts";

const FORMATS = ["text", "json"] as const;
const OPTIONS = { format: { type: "string", short: "o" }, help: { type: "boolean", short: "h" } } as const;

export function rulesCommand(args: readonly string[], io: Io): number {
  const { values, positionals } = parse("rules", args, OPTIONS);
  if (values.help) {
    io.stdout(RULES_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`, "rules");
  const format = oneOf("rules", "--format", values.format, FORMATS, "text");
  const metas = allRules.map((r) => r.meta);
  io.stdout(format === "json" ? formatRulesJson(metas) : formatRulesTable(metas));
  return 0;
}

export function explainCommand(args: readonly string[], io: Io): number {
  const { values, positionals } = parse("explain", args, OPTIONS);
  if (values.help) {
    io.stdout(EXPLAIN_USAGE);
    return 0;
  }
  const format = oneOf("explain", "--format", values.format, FORMATS, "text");
  if (positionals.length !== 1) throw new UsageError("give exactly one rule id (see: pg-backup-guard rules)", "explain");
  const id = positionals[0]!;
  const rule = findRule(id);
  if (!rule) {
    const hints = suggestIds(id, allRules.map((r) => r.meta.id));
    const mean = hints.length > 0 ? `; did you mean ${hints.map((h) => `"${h}"`).join(" or ")}?` : "";
    io.stderr(`pg-backup-guard: unknown rule "${id}"${mean} (list: pg-backup-guard rules)\n`);
    return 2;
  }
  io.stdout(format === "json" ? formatExplainJson(rule.meta) : formatExplain(rule.meta));
  return 0;
}
