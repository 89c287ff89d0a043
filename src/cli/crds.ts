// `--crd PATH`: the CustomResourceDefinitions installed in the target cluster, over the built-in table.
import type { ApiServerStage } from "../engine/types.ts";
import { apiServerStage } from "../crd/stage.ts";
import { builtinCrdSchemas, crdSchemasFromDocuments, overlay } from "../crd/schemas.ts";
import { loadSources, type Outcome } from "../input/read.ts";
import { formatInputError } from "../input/types.ts";

export type CrdStageOutcome = { ok: true; stage: ApiServerStage; kinds: string[] } | { ok: false; error: string };

/**
 * The API-server stage from the built-in CRD table, with the CRDs of `paths` (files, directories, `-`) taking
 * precedence per group/version/Kind. A path without any CustomResourceDefinition is an error: the flag was
 * given for a reason, and silently keeping the built-in schemas would hide a typo.
 */
export async function crdStage(paths: readonly string[], readStdin: () => Promise<Outcome<string>>): Promise<CrdStageOutcome> {
  if (paths.length === 0) return { ok: true, stage: apiServerStage(builtinCrdSchemas()), kinds: [] };
  const loaded = await loadSources(paths, readStdin);
  if (!loaded.ok) return { ok: false, error: `--crd: ${formatInputError(loaded.error)}` };
  const docs = loaded.value.flatMap((s) => s.objects.map((o) => ({ source: o.source, line: o.line, object: o.object as unknown })));
  const found = crdSchemasFromDocuments(docs);
  if (!found.ok) return { ok: false, error: `--crd: ${formatInputError(found.error)}` };
  if (found.kinds.length === 0) {
    return { ok: false, error: `--crd: no apiextensions.k8s.io/v1 CustomResourceDefinition with a served version in ${paths.join(", ")}` };
  }
  return { ok: true, stage: apiServerStage(overlay(builtinCrdSchemas(), found.schemas)), kinds: found.kinds };
}
