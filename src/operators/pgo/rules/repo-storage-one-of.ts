import { BoundedProblems, problem } from "../../../rules/util.ts";
import { APPLIES_TO, REPOS_PATH, globalOf, list, repoLabel, reposOf } from "../model.ts";
import { PGBACKREST_CONFIG, crdLines, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

export const rule = defineRule({
  meta: {
    id: "pgo-repo-storage-one-of",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "Each repo must set exactly one of volume, s3, gcs and azure.",
      rationale:
        `The CRD describes a repo as "Only one of its members may be specified" but does not enforce it (no CEL rule, ${crdLines(3048, 3051)}). ` +
        "PGO silently picks one: a repo with a volume is a volume repo whatever else it has, otherwise azure wins over gcs over s3 " +
        `(${operatorCode(PGBACKREST_CONFIG, 381, 391)}, ${operatorCode(PGBACKREST_CONFIG, 537, 557)}), so the backups go somewhere else than ` +
        "the other member suggests. A repo with none of the four only gets repoN-path=/pgbackrest/repoN, so pgBackRest writes a posix " +
        "repo inside the container, where no volume is mounted. A repo whose type is chosen in global (repoN-type, e.g. sftp) is left alone.",
      bad: "repos:\n  - name: repo1\n    s3: {bucket: b, endpoint: e, region: r}\n    gcs: {bucket: b}",
      good: "repos:\n  - name: repo1\n    s3: {bucket: b, endpoint: e, region: r}\n  - name: repo2\n    gcs: {bucket: b}",
      fix: "Keep one storage member per repo; put other storage in its own repo (repo1..repo4).",
    },
  },
  check(resource) {
    const repos = reposOf(resource);
    if (!repos) return [];
    const global = globalOf(resource);
    const listed = new BoundedProblems();
    for (const repo of repos) {
      if (!repo.obj) continue;
      const label = repoLabel(repo);
      if (repo.members.length > 1) {
        listed.add(() =>
          problem(
            repo.path,
            `${label} sets ${list(repo.members)}: only one may be set, and PGO silently uses ${repo.storage} (a volume always wins, then azure, gcs, s3), ` +
              `so the backups do not go where the other ${repo.members.length > 2 ? "members suggest" : "member suggests"}. Keep one and move the other storage to its own repo.`,
          ),
        );
      } else if (repo.members.length === 0 && !(repo.name !== undefined && global?.[`${repo.name}-type`] != null)) {
        listed.add(() =>
          problem(
            repo.path,
            `${label} has none of volume, s3, gcs and azure: PGO then only sets ${repo.name ?? "repoN"}-path=/pgbackrest/${repo.name ?? "repoN"}, so pgBackRest writes a posix repo inside the container, ` +
              "on no volume, and the backups are lost with the pod. Add one, e.g. `volume: {volumeClaimSpec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}}`.",
          ),
        );
      }
    }
    return listed.finish(REPOS_PATH, "repos with a storage problem");
  },
});
