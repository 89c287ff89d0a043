import type { Problem } from "../../../engine/types.ts";
import { problem } from "../../../rules/util.ts";
import { APPLIES_TO, GLOBAL_PATH, OBJECT_STORAGE, globalKeyPath, globalOf, reposOf } from "../model.ts";
import { CPO_DOCS, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

export const rule = defineRule({
  meta: {
    id: "cpo-repo-path-unique",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: {},
    docs: {
      summary: "Each object-storage repo needs its own global.repoN-path.",
      rationale:
        "The operator never sets repoN-path for s3/gcs/azure repos and the stanza is always `db`, so two clusters writing to the same " +
        "bucket without distinct paths share pgBackRest's default /var/lib/pgbackrest and overwrite or expire each other's backups " +
        `(${operatorCode("pkg/cluster/k8sres.go", 3304, 3322)}). The docs put \`repo1-path: /<cluster>/repo1/\` in global ` +
        `(${CPO_DOCS}/backup/aws/).`,
      bad: "global:\n  repo1-retention-full: '7'\nrepos:\n  - {name: repo1, storage: s3, resource: shared-bucket, ...}",
      good: "global:\n  repo1-path: /my-namespace/my-cluster/repo1/\n  repo1-retention-full: '7'\nrepos:\n  - {name: repo1, storage: s3, resource: shared-bucket, ...}",
      fix: "Set `repoN-path: /<namespace>/<cluster>/repoN/` in global for every object-storage repo.",
    },
  },
  check(resource) {
    const repos = reposOf(resource);
    if (!repos) return [];
    const global = globalOf(resource) ?? {};
    const name = typeof resource.metadata?.name === "string" ? resource.metadata.name : "<cluster>";
    const ns = typeof resource.metadata?.namespace === "string" ? `${resource.metadata.namespace}/` : "";
    const problems: Problem[] = [];
    const seen = new Map<string, string>();
    for (const repo of repos) {
      if (!repo.obj || repo.storage === undefined || !OBJECT_STORAGE.has(repo.storage) || repo.index >= 4) continue;
      const n = repo.number ?? repo.index + 1;
      const key = `repo${n}-path`;
      const path = global[key];
      if (typeof path !== "string" || path.trim() === "" || path.trim() === "/") {
        problems.push(
          problem(
            path == null ? GLOBAL_PATH : globalKeyPath(key),
            `repo${n} (${repo.storage}) has no ${key} in global: the stanza is always db, so every cluster using this bucket without its own path writes to the same place ` +
              `and they overwrite or expire each other's backups. Add \`${key}: /${ns}${name}/repo${n}/\`.`,
          ),
        );
        continue;
      }
      const where = `${repo.storage}:${String(repo.obj.endpoint ?? "")}:${String(repo.obj.resource ?? "")}:${withoutTrailingSlashes(path)}`;
      const first = seen.get(where);
      if (first) {
        problems.push(
          problem(
            globalKeyPath(key),
            `repo${n} uses the same bucket and path (${path}) as ${first}, so both repos write the same stanza db and corrupt each other's backup history. ` +
              `Give it its own path, e.g. \`${key}: /${ns}${name}/repo${n}/\`.`,
          ),
        );
      } else seen.set(where, `repo${n}`);
    }
    return problems;
  },
});

/** The path without its trailing slashes. A loop, not `/\/+$/`: that regex is quadratic on a long run of slashes. */
function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47) end--;
  return path.slice(0, end);
}
