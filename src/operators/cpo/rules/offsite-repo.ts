import { placeholderOneOfNotChecked, problem } from "../../../rules/util.ts";
import { APPLIES_TO, OBJECT_STORAGE, REPOS_PATH, STORAGE_TYPES, reposOf } from "../model.ts";
import { operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

interface Params {
  offsiteStorage: string[];
}

export const rule = defineRule<Params>({
  meta: {
    id: "cpo-offsite-repo",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: {
      offsiteStorage: {
        type: "array",
        items: { enum: [...STORAGE_TYPES] },
        uniqueItems: true,
        minItems: 1,
        default: [...OBJECT_STORAGE],
        description: "Storage types that count as off-site. Set the rule's action to deny to require an off-site repo.",
      },
    },
    docs: {
      summary: "At least one repo should be off-site (object storage), not only pvc.",
      rationale:
        "pvc repos live on a PVC of the cluster's own repo-host StatefulSet. The operator deletes those PVCs when the cluster is deleted " +
        `(whatever the PVC retention policy: ${operatorCode("pkg/cluster/cluster.go", 1390, 1396)}) and when the spec stops having a ` +
        `pvc repo (${operatorCode("pkg/cluster/volumes.go", 265, 288)}), and they share the fate of the Kubernetes cluster. ` +
        "Set the action to deny to make an off-site repo mandatory.",
      bad: "repos:\n  - {name: repo1, storage: pvc, volume: {size: 10Gi}, schedule: {full: '30 2 * * *'}}",
      good:
        "repos:\n  - {name: repo1, storage: pvc, volume: {size: 10Gi}, schedule: {full: '30 2 * * *'}}\n" +
        "  - {name: repo2, storage: s3, resource: my-bucket, endpoint: s3.example.com, region: eu-1, schedule: {full: '30 3 * * *'}}",
      fix: "Add a repo on object storage (s3, gcs or azure) with its own schedule.full and retention.",
    },
  },
  check(resource, ctx) {
    const repos = reposOf(resource)?.filter((r) => r.obj);
    if (!repos || repos.length === 0) return [];
    const offsite = Array.isArray(ctx.params.offsiteStorage) ? ctx.params.offsiteStorage : [...OBJECT_STORAGE];
    if (repos.some((r) => r.storage !== undefined && offsite.includes(r.storage))) return [];
    // A storage still holding a placeholder may be off-site once substituted.
    for (const r of repos) {
      const unresolved = placeholderOneOfNotChecked(r.storage, offsite, `${r.path}.storage`, `repos[${r.index}].storage`);
      if (unresolved) return [unresolved];
    }
    const kinds = [...new Set(repos.map((r) => r.storage ?? "none"))].join(", ");
    return [
      problem(
        REPOS_PATH,
        `no repo is off-site (storage here: ${kinds}; off-site means ${offsite.join(", ")}): the operator deletes pvc repo volumes together with the cluster, ` +
          "so one mistaken delete loses the database and its backups. " +
          (repos.length < 4
            ? `Add e.g. \`{name: repo${repos.length + 1}, storage: s3, resource: <bucket>, endpoint: <endpoint>, region: <region>, schedule: {full: '30 3 * * *'}}\`.`
            : "Move one of the repos to object storage (s3, gcs or azure)."),
      ),
    ];
  },
});
