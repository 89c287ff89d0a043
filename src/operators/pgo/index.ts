// Crunchy Data PGO (postgres-operator v5/v6): the PostgresCluster resource with pgBackRest repos.
import type { Operator } from "../types.ts";
import { kinds, lookupKinds } from "./kinds.ts";
import { pgoRules } from "./rules/index.ts";
import { pgoDefaulters } from "./defaults.ts";
import { scheduleSources } from "./sources.ts";
import { PGO_DOCS } from "./links.ts";

export const operator: Operator = {
  name: "pgo",
  title: "Crunchy Data PGO",
  docsUrl: PGO_DOCS,
  kinds,
  rules: pgoRules,
  defaulters: pgoDefaulters,
  dialect: "kubernetes",
  scheduleSources,
  lookupKinds,
  crds: [
    {
      file: "pgo/postgres-operator.crunchydata.com_postgresclusters.yaml",
      kind: "PostgresCluster",
      note: "CrunchyData/postgres-operator v6.0.3 (v1 and v1beta1; v1beta1 is the storage version)",
    },
  ],
};
