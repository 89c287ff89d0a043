// CPO's CRD as the operator really registers it: the chart YAML in ../shared/upstream, patched (scripts/gen-crd-schemas.ts
// runs this while it builds the CRD-defaulting table; nothing here runs at validation time).
import type { StructuralSchema } from "../../crd/structural.ts";

const str = (): StructuralSchema => ({ type: "string" });

function at(s: StructuralSchema, path: string): StructuralSchema {
  let cur = s;
  for (const step of path.split(".")) {
    const next = step === "[]" ? cur.items : cur.properties?.[step];
    if (next === undefined) throw new Error(`CPO patch: ${path} not found at ${step}; the upstream CRD changed, re-check crds.go`);
    cur = next;
  }
  return cur;
}

/**
 * CPO: with `enable_crd_registration: true` (the default) the operator overwrites its CRD on every start
 * with the schema compiled into pkg/apis/cpo.opensource.cybertec.at/v1/crds.go (research/cpo.md §a/§b).
 * That Go file is not in ../shared, so the generator starts from the released 0.9.2 chart CRD
 * (tutorials-chart/postgresql.crd.yaml, the YAML closest to it) and applies every difference that
 * matters for pruning, read from crds.go at CYBERTEC-pg-operator 88e7a829 (= v0.9.2):
 */
export function cpoGoCrd(versions: Map<string, StructuralSchema>): void {
  const v1 = versions.get("v1");
  if (!v1) throw new Error("CPO patch: no v1");
  const spec = at(v1, "spec");
  // repos[]: the Go CRD has the GCS/Azure fields account, key, keyType (pruned by every YAML variant),
  // and no longer has the dead `pvcsize`.
  const repo = at(spec, "backup.pgbackrest.repos.[]").properties!;
  Object.assign(repo, { account: str(), key: str(), keyType: str() });
  delete repo.pvcsize;
  Object.assign(at(spec, "clone.pgbackrest.repo").properties!, { account: str(), key: str(), keyType: str() });
  // clone options: map values carry x-kubernetes-preserve-unknown-fields in Go (no effect on strings).
  at(spec, "clone.pgbackrest.options").additionalProperties = {
    type: "string",
    "x-kubernetes-preserve-unknown-fields": true,
  };
  // topologySpreadConstraints: free-form objects in Go (YAML lists their fields, so it prunes others).
  spec.properties!.topologySpreadConstraints = { type: "array", nullable: true, items: { type: "object", "x-kubernetes-preserve-unknown-fields": true } };
  at(spec, "patroni").properties!.log = {
    type: "object",
    properties: {
      type: str(),
      level: str(),
      traceback_level: str(),
      static_fields: { type: "object", additionalProperties: str() },
      deduplicate_heartbeat_logs: { type: "boolean" },
    },
  };
  at(spec, "standby").properties!.standby_primary_slot_name = str();
  at(spec, "monitor").properties!.customQueries = str();
}

