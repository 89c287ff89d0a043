// The CYBERTEC postgres-operator (CPO): the `postgresql` resource with pgBackRest repos.
import type { Operator } from "../types.ts";
import { kinds, lookupKinds } from "./kinds.ts";
import { cpoRules } from "./rules/index.ts";
import { cpoDefaulters } from "./defaults.ts";
import { scheduleSources } from "./schedules.ts";
import { CPO_DOCS } from "./links.ts";
import { cpoGoCrd } from "./crd.ts";

export const operator: Operator = {
  name: "cpo",
  title: "CYBERTEC postgres-operator",
  docsUrl: CPO_DOCS,
  kinds,
  rules: cpoRules,
  defaulters: cpoDefaulters,
  dialect: "kubernetes",
  scheduleSources,
  lookupKinds,
  crds: [
    {
      file: "cpo/crds/tutorials-chart/postgresql.crd.yaml",
      kind: "postgresql",
      patch: cpoGoCrd,
      note: "patched to the Go CRD (crds.go) the operator registers by default, CYBERTEC-pg-operator v0.9.2",
    },
  ],
};
