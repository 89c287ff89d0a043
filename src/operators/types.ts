// What one operator is, as the rest of the tree sees it. src/operators/index.ts lists the operators; every
// catalog (covered types, rules, defaults, schedule sources, lookup kinds, CRD tables, webhook rules, metrics'
// kind label) is derived from that list, never maintained by hand elsewhere.
import type { LookupKind, Resource, ResourceType } from "../engine/types.ts";
import type { ScheduleSource } from "../rules/schedule/sources.ts";
import type { StructuralSchema } from "../crd/structural.ts";
import type { Dialect } from "../cron/index.ts";
import type { CatalogRule, CatalogDefaulter } from "../rules/define.ts";

/** One served kind of the operator: what the webhook configurations' `rules` and the resource types come from. */
export interface CoveredKind {
  group: string;
  /** Served versions, each a resource type `group/version/kind` (e.g. PGO: v1 and v1beta1). */
  versions: readonly string[];
  kind: string;
  /** The resource name in the webhook rule (`clusters`, `postgresqls`). */
  plural: string;
  scope: "Namespaced" | "Cluster";
  /**
   * Whether the API server sends this kind to the webhooks. `false` for kinds read only as lookups or in the CLI
   * (VolumeSnapshotClass: its rules are about the class objects as manifests, and it is cluster-scoped).
   */
  admission: boolean;
  /** Whether the kind's CRD declares `spec` as `type: object` (the resource-shape check). */
  specIsObject: boolean;
  /** Whether objects of the kind hold backup schedules (the generic schedule-* rules apply to it). */
  schedules?: boolean;
}

/** A kind rules may look up (another object than the one judged): where it lives and what its cache keeps. */
export interface LookupKindSpec {
  name: LookupKind;
  group: string;
  /** Versions accepted in an inventory; the first is the one listed and watched. */
  versions: readonly string[];
  kind: string;
  plural: string;
  namespaced: boolean;
  /** What the webhook's informer cache keeps besides the identity (see lookups/kinds.ts). */
  cached: { fields: readonly string[]; labels: boolean; annotations: boolean };
  /** Why it is kept: the rules that read it (shown in the generated docs). */
  readBy: string;
}

/** A file of the operator's upstream CRDs, for the CRD-defaulting table (src/crd/builtin-schemas.json). */
export interface CrdSource {
  /** Path under ../shared/upstream (only the table generator, scripts/gen-crd-schemas.ts, reads it). */
  file: string;
  /** The CRD's kind (a file holds one CRD). */
  kind: string;
  /** Changes that make the YAML match the schema the operator really registers. */
  patch?: (versions: Map<string, StructuralSchema>) => void;
  note?: string;
}

export interface Operator {
  /** `cnpg`, `cpo`, `pgo`: the folder name, the rule-id prefix and the `--dialect` alias. */
  name: string;
  /** For people: "CloudNativePG", "CYBERTEC postgres-operator", "Crunchy Data PGO". */
  title: string;
  /** The operator's documentation / source, for the generated docs. */
  docsUrl: string;
  kinds: readonly CoveredKind[];
  /** In catalog order (the order of findings and of the README table). */
  rules: readonly CatalogRule[];
  /** In the order they run. */
  defaulters: readonly CatalogDefaulter[];
  /** The cron dialect of its backup schedules (`--dialect <name>` is an alias of it). */
  dialect?: Dialect;
  /** Every backup schedule string in one of this operator's resources, with its dialect. Never throws. */
  scheduleSources?(resource: Resource): ScheduleSource[];
  lookupKinds?: readonly LookupKindSpec[];
  /** The upstream CRDs of its kinds, for the CRD-defaulting table (scripts/gen-crd-schemas.ts). */
  crds?: readonly CrdSource[];
}

/** `group/version/kind` of each served version of a covered kind. */
export function typesOf(kind: CoveredKind): ResourceType[] {
  return kind.versions.map((v) => `${kind.group}/${v}/${kind.kind}` as ResourceType);
}
