// The kind the CYBERTEC operator (CPO) covers: its `postgresql` resource.
import type { CoveredKind, LookupKindSpec } from "../types.ts";

declare module "../../engine/types.ts" {
  interface ResourceTypes {
    "cpo.opensource.cybertec.at/v1/postgresql": true;
  }
  interface LookupKinds {
    /** Another CPO `cpo.opensource.cybertec.at/v1` postgresql. */
    CpoCluster: true;
  }
}

export const kinds: readonly CoveredKind[] = [
  {
    group: "cpo.opensource.cybertec.at",
    versions: ["v1"],
    kind: "postgresql",
    plural: "postgresqls",
    scope: "Namespaced",
    admission: true,
    specIsObject: true,
    schedules: true,
  },
];

export const lookupKinds: readonly LookupKindSpec[] = [
  {
    name: "CpoCluster",
    group: "cpo.opensource.cybertec.at",
    versions: ["v1"],
    kind: "postgresql",
    plural: "postgresqls",
    namespaced: true,
    cached: { fields: ["spec"], labels: false, annotations: false },
    readBy: "cpo-pvc-name-overlap (spec.backup.pgbackrest.repos)",
  },
];
