// The kind Crunchy Data PGO covers: PostgresCluster, served as v1 and v1beta1 (v1beta1 is the storage version;
// no conversion webhook, the schemas agree on every backup field).
import type { CoveredKind, LookupKindSpec } from "../types.ts";

declare module "../../engine/types.ts" {
  interface ResourceTypes {
    "postgres-operator.crunchydata.com/v1/PostgresCluster": true;
    "postgres-operator.crunchydata.com/v1beta1/PostgresCluster": true;
  }
  interface LookupKinds {
    /** Another PGO PostgresCluster (v1beta1 or v1). */
    PgoCluster: true;
  }
}

export const GROUP = "postgres-operator.crunchydata.com";

export const kinds: readonly CoveredKind[] = [
  {
    group: GROUP,
    versions: ["v1", "v1beta1"],
    kind: "PostgresCluster",
    plural: "postgresclusters",
    scope: "Namespaced",
    admission: true,
    specIsObject: true,
    schedules: true,
  },
];

export const lookupKinds: readonly LookupKindSpec[] = [
  {
    name: "PgoCluster",
    group: GROUP,
    // v1beta1 is the storage version: listed and watched; v1 manifests are accepted in an inventory.
    versions: ["v1beta1", "v1"],
    kind: "PostgresCluster",
    plural: "postgresclusters",
    namespaced: true,
    cached: { fields: ["spec"], labels: false, annotations: false },
    readBy: "pgo-repo-path-collision (spec.backups.pgbackrest.repos and global, spec.standby)",
  },
];
