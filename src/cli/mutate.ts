// `pg-backup-guard mutate`: the input with the defaults the mutating webhook would inject, as YAML.
import { resourceLabel } from "../report/model.ts";
import { applyDiff } from "../input/edit.ts";
import type { ParsedSource } from "../input/types.ts";
import type { Document } from "yaml";
import { parse, UsageError } from "./args.ts";
import { INPUT_OPTIONS, pipelineOptions } from "./inputs.ts";
import type { Io } from "./io.ts";
import { admitAll, prepare, type Admitted } from "./pipeline.ts";
import { MUTATE_USAGE } from "./usage.ts";

/** The original text of document `i` (from its `---` to the next one), without the marker. */
function rawDocument(source: ParsedSource, documents: readonly Document.Parsed[], i: number): string {
  const start = i === 0 ? 0 : (documents[i]?.range[0] ?? source.text.length);
  const end = documents[i + 1]?.range[0] ?? source.text.length;
  return source.text.slice(start, end).replace(/^---(?:[ \t]+|\r?\n|$)/, "");
}

/**
 * Renders every non-empty document of the sources: documents the defaulters changed are re-serialised
 * from their edited YAML trees (comments kept), all others are copied byte for byte.
 */
export function renderMutated(sources: readonly ParsedSource[], admitted: readonly Admitted[]): string {
  const changed = new Map<string, Admitted[]>();
  for (const a of admitted) {
    if (a.mutation.changes.length === 0) continue;
    if (!changed.has(a.input.source)) changed.set(a.input.source, []);
    changed.get(a.input.source)!.push(a);
  }
  const docs: string[] = [];
  for (const source of sources) {
    const documents = source.documents;
    if (!documents) throw new Error(`internal error: ${source.source} was not read as editable YAML`);
    const edited = new Set<number>();
    for (const a of changed.get(source.source) ?? []) {
      const doc = documents[a.input.doc];
      if (!doc) continue;
      const path = a.input.item === undefined ? [] : ["items", a.input.item];
      applyDiff(doc, path, a.input.object, a.mutation.resource);
      edited.add(a.input.doc);
    }
    for (const [i, doc] of documents.entries()) {
      const text = edited.has(i) ? doc.toString({ lineWidth: 0 }).replace(/^---\n/, "") : rawDocument(source, documents, i);
      if (text.trim() === "") continue;
      docs.push(text);
    }
  }
  return docs.map((d) => (d.endsWith("\n") ? d : `${d}\n`)).join("---\n");
}

export async function mutateCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parse("mutate", args, { ...INPUT_OPTIONS, help: { type: "boolean", short: "h" } });
  if (parsed.values.help) {
    io.stdout(MUTATE_USAGE);
    return 0;
  }
  const options = pipelineOptions("mutate", parsed, io.readStdin, { editable: true });
  if ([...options.paths, ...options.lookupPaths].filter((p) => p === "-").length > 1) {
    throw new UsageError("`-` (stdin) can be read only once: give it to PATH or --lookup", "mutate");
  }
  const prepared = await prepare(options);
  if (!prepared.ok) {
    for (const e of prepared.errors) io.stderr(`pg-backup-guard: ${e}\n`);
    return 2;
  }
  const { admitted, report } = admitAll(prepared.prepared, io.now());
  io.stdout(renderMutated(prepared.prepared.sources, admitted));
  let changed = 0;
  for (const [i, a] of admitted.entries()) {
    const r = report.results[i]!;
    for (const c of a.mutation.changes) io.stderr(`${r.source}:${r.line}: ${resourceLabel(r)}: [${c.defaulter}] ${c.note}\n`);
    for (const e of a.mutation.errors) io.stderr(`${r.source}:${r.line}: ${resourceLabel(r)}: [${e.defaulter}] failed: ${e.message}\n`);
    if (a.mutation.changes.length > 0) changed++;
  }
  io.stderr(`pg-backup-guard: ${changed} of ${admitted.length} resource${admitted.length === 1 ? "" : "s"} defaulted\n`);
  return 0;
}
