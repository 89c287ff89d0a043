import type { RunReport } from "../../src/report/model.ts";

export const REPORT: RunReport = {
  sources: ["dir/a b.yaml", "empty.yaml"],
  ignored: [],
  policies: ["builtin:recommended"],
  results: [
    {
      source: "dir/a b.yaml",
      line: 3,
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "Cluster",
      namespace: "db",
      name: "pg",
      allowed: false,
      findings: [
        { rule: "cnpg-wal-archive-required", action: "deny", path: "spec.plugins", message: 'no WAL archive, 100% <bad> & "quoted"\nsecond line' },
        { rule: "cnpg-backup-target", action: "warn", path: "spec.backup.target", message: "target: primary, use prefer-standby" },
      ],
      notChecked: [{ rule: "cnpg-object-store-exists", path: "spec.plugins[0]", reason: "ObjectStore kind unknown", cause: "lookup-unavailable" }],
      exemptions: [{ rule: "cnpg-retention-required", reason: "", applied: false, ignoredBecause: "reason missing", source: "annotation" }],
      changes: [],
      evaluatedRules: ["cnpg-wal-archive-required", "cnpg-backup-target", "cnpg-object-store-exists", "cnpg-backup-required"],
    },
    {
      source: "dir/a b.yaml",
      line: 20,
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "ScheduledBackup",
      namespace: null,
      name: "daily",
      allowed: true,
      findings: [],
      notChecked: [],
      exemptions: [],
      changes: [],
      evaluatedRules: ["schedule-syntax"],
    },
  ],
};

/** A minimal XML well-formedness check: balanced tags, quoted attributes, no raw `<` or `&` in text. */
export function checkXml(xml: string): void {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, "").replace(/<!--[\s\S]*?-->/g, "");
  const stack: string[] = [];
  const re = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos);[^"<&]*)*")*)\s*(\/?)>|([^<]+)/g;
  let pos = 0;
  for (const m of body.matchAll(re)) {
    if (m.index !== pos) throw new Error(`unexpected markup at ${pos}: ${body.slice(pos, pos + 40)}`);
    pos = m.index + m[0].length;
    if (m[5] !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(m[5])) throw new Error(`raw & in text: ${m[5]}`);
      continue;
    }
    if (m[1]) {
      if (stack.pop() !== m[2]) throw new Error(`unbalanced </${m[2]}>`);
    } else if (!m[4]) stack.push(m[2]!);
  }
  if (pos !== body.length) throw new Error(`trailing garbage at ${pos}`);
  if (stack.length > 0) throw new Error(`unclosed <${stack.join("><")}>`);
}
