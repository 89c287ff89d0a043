// `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
import type { RuleMeta } from "../engine/types.ts";
import { resourceLabel, resultNotes, type ResourceResult, type RuleCatalog, type RunReport } from "./model.ts";
import { ITEMS_HOLE, jsonParts } from "./parts.ts";

const LEVEL = { deny: "error", warn: "warning", audit: "note" } as const;
const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** A relative file path as a URI reference (segments percent-encoded, `/` separators). */
export function pathToUri(path: string): string {
  return path
    .replace(/\\/g, "/")
    .split("/")
    .map((seg) => encodeURIComponent(seg))
    .join("/");
}

function ruleDescriptor(meta: RuleMeta) {
  const d = meta.docs;
  return {
    id: meta.id,
    name: meta.id,
    shortDescription: { text: d.summary },
    fullDescription: { text: d.rationale },
    help: {
      text: `${d.summary}\n\n${d.rationale}\n\nFix: ${d.fix}`,
      markdown: `${d.summary}\n\n${d.rationale}\n\n**Fix:** ${d.fix}\n\nReported:\n\n\`\`\`yaml\n${d.bad.trimEnd()}\n\`\`\`\n\nFixed:\n\n\`\`\`yaml\n${d.good.trimEnd()}\n\`\`\``,
    },
    defaultConfiguration: { level: meta.defaultAction === "off" ? "none" : LEVEL[meta.defaultAction] },
    properties: { appliesTo: meta.appliesTo },
  };
}

function location(r: ResourceResult) {
  return {
    physicalLocation: { artifactLocation: { uri: pathToUri(r.source), uriBaseId: "%SRCROOT%" }, region: { startLine: r.line } },
    logicalLocations: [{ name: r.name ?? "(unnamed)", fullyQualifiedName: resourceLabel(r), kind: "object" }],
  };
}

/** Injected defaults and pruned fields as `note` results: not findings, but visible next to them. */
function noteResults(report: RunReport) {
  return report.results.flatMap((r) =>
    resultNotes(r).map((n) => ({
      ruleId: n.id,
      level: "note",
      kind: "informational",
      message: { text: `${resourceLabel(r)}: ${n.text}` },
      locations: [location(r)],
      properties: { path: n.path, ...(n.value === undefined ? {} : { value: n.value }), apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace },
    })),
  );
}

export function formatSarif(report: RunReport, catalog: RuleCatalog, version: string): string {
  return formatSarifParts(report, catalog, version).join("");
}

/** The SARIF log in parts whose concatenation is formatSarif's text (src/report/parts.ts: why). */
export function formatSarifParts(report: RunReport, catalog: RuleCatalog, version: string): string[] {
  const ruleIndex = new Map(catalog.map((r, i) => [r.meta.id, i]));
  const results = report.results.flatMap((r) =>
    r.findings.map((f) => {
      const result: Record<string, unknown> = {
        ruleId: f.rule,
        level: LEVEL[f.action],
        message: { text: `${resourceLabel(r)}: ${f.path}: ${f.message}` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: pathToUri(r.source), uriBaseId: "%SRCROOT%" },
              region: { startLine: f.line ?? r.line },
            },
            logicalLocations: [
              { name: r.name ?? "(unnamed)", fullyQualifiedName: resourceLabel(r), kind: "object" },
              ...(f.path ? [{ name: f.path, fullyQualifiedName: `${resourceLabel(r)}/${f.path}`, kind: "member" }] : []),
            ],
          },
        ],
        properties: { action: f.action, path: f.path, apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace },
      };
      const idx = ruleIndex.get(f.rule);
      if (idx !== undefined) result.ruleIndex = idx;
      return result;
    }),
  );
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "pg-backup-guard",
            version,
            rules: catalog.map((r) => ruleDescriptor(r.meta)),
          },
        },
        // runs[0].results: four levels deep, the document's last value
        results: ITEMS_HOLE,
      },
    ],
  };
  return jsonParts(sarif, [...results, ...noteResults(report)], 4);
}
