// `pg-backup-guard mutate`: the input with the defaults the mutating webhook would inject, as YAML.
import { resourceLabel } from "../report/model.ts";
import { applyDiff } from "../input/edit.ts";
import type { ParsedSource } from "../input/types.ts";
import { parse, stringList, UsageError } from "./args.ts";
import type { Io } from "./io.ts";
import { admitAll, prepare, type Admitted } from "./pipeline.ts";
import { MUTATE_USAGE } from "./usage.ts";

/** Renders every non-empty document of the sources, with mutations written into their YAML trees. */
export function renderMutated(sources: readonly ParsedSource[], admitted: readonly Admitted[]): string {
  const bySource = new Map<string, Admitted[]>();
  for (const a of admitted) {
    if (a.mutation.changes.length === 0) continue;
    if (!bySource.has(a.input.source)) bySource.set(a.input.source, []);
    bySource.get(a.input.source)!.push(a);
  }
  const docs: string[] = [];
  for (const source of sources) {
    for (const a of bySource.get(source.source) ?? []) {
      const doc = source.documents[a.input.doc];
      if (!doc) continue;
      const path = a.input.item === undefined ? [] : ["items", a.input.item];
      applyDiff(doc, path, a.input.object, a.mutation.resource);
    }
    for (const doc of source.documents) {
      if (doc.contents === null && doc.commentBefore == null && doc.comment == null) continue;
      docs.push(doc.toString({ lineWidth: 0 }).replace(/^---\n/, ""));
    }
  }
  return docs.map((d) => (d.endsWith("\n") ? d : `${d}\n`)).join("---\n");
}

export async function mutateCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse("mutate", args, {
    policy: { type: "string", multiple: true },
    lookup: { type: "string", multiple: true },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout(MUTATE_USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("no input: give files, directories, or - to read stdin", "mutate");
  const prepared = await prepare({
    paths: positionals,
    policyPaths: stringList(values.policy),
    lookupPaths: stringList(values.lookup),
    readStdin: io.readStdin,
  });
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
