// The one table of lookup kinds: the generic ones below, and each operator's own (its `lookupKinds`, from the
// registry). The inventory, the webhook's informers, `validate --kubeconfig` and `audit` all read it.
//
// Built on first use, not at import: rule modules import this file (through rules/util.ts) while the registry
// that imports them is still being evaluated.
import type { LookupKind } from "../engine/types.ts";
import type { LookupKindSpec } from "../operators/types.ts";
import { operators } from "../operators/index.ts";
import { GENERIC_LOOKUP_KINDS } from "./generic-kinds.ts";

export { GENERIC_LOOKUP_KINDS };

let table: ReadonlyMap<LookupKind, LookupKindSpec> | undefined;

function build(): ReadonlyMap<LookupKind, LookupKindSpec> {
  const out = new Map<LookupKind, LookupKindSpec>();
  for (const spec of [...GENERIC_LOOKUP_KINDS, ...operators.flatMap((o) => o.lookupKinds ?? [])]) {
    if (out.has(spec.name)) throw new Error(`lookup kind ${spec.name} is declared twice`);
    if (!spec.namespaced && !GENERIC_LOOKUP_KINDS.includes(spec))
      throw new Error(`lookup kind ${spec.name}: an operator's lookup kinds must be namespaced (cluster-scoped ones are generic: lookups/generic-kinds.ts)`);
    out.set(spec.name, spec);
  }
  return out;
}

/** Every lookup kind, generic ones first, then each operator's in registry order. */
export function lookupKindSpecs(): readonly LookupKindSpec[] {
  table ??= build();
  return [...table.values()];
}

export function lookupKindSpec(kind: LookupKind): LookupKindSpec {
  table ??= build();
  const spec = table.get(kind);
  if (!spec) throw new Error(`unknown lookup kind ${kind}`);
  return spec;
}

export function isNamespacedKind(kind: LookupKind): boolean {
  return lookupKindSpec(kind).namespaced;
}

/** `apiVersion` strings an inventory accepts for the kind (`v1`, `group/v1`, ...). */
export function apiVersionsOf(spec: LookupKindSpec): string[] {
  return spec.versions.map((v) => (spec.group === "" ? v : `${spec.group}/${v}`));
}

/** Kinds without an informer unless switched on: Secrets need list/watch on secrets (deploy/overlays/secret-lookups). */
export const OPT_IN_KINDS: readonly LookupKind[] = ["Secret"];

/** Why a disabled kind is not checked (the webhook's Secret lookups are off unless switched on). */
export const DISABLED_REASON: Partial<Record<LookupKind, string>> = {
  Secret:
    "Secret lookups are off (the webhook needs list/watch on secrets for them: serve --lookup-secrets, RBAC overlay deploy/overlays/secret-lookups)",
};
