// cpo-repo-names: repos[i].name must be repo{i+1}, at most four repos.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/repo-names.ts";
import { backup, cluster, good, pvcRepo, s3Repo } from "./fixtures.ts";
import { KEYCLOAK, SHOP, edit } from "./manifests.ts";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "two repos in order", resource: cluster(backup([s3Repo(1), pvcRepo(2)])) },
    { name: "repos wrong type", resource: cluster(backup(7)) },
    { name: "realistic: repo1 s3, repo2 gcs", resource: SHOP },
    { name: "realistic: repo1 pvc, repo2 s3", resource: KEYCLOAK },
    {
      name: "realistic: repo names from a Flux placeholder (repo${N}) are not checked",
      notChecked: true,
      resource: edit(KEYCLOAK, ({ repos }) => {
        repos[0]!.name = "${PVC_REPO:=repo1}";
        repos[1]!.name = "repo${OFFSITE_REPO_NUMBER}";
      }),
    },
  ],
  invalid: [
    {
      name: "realistic: a placeholder that can never give repo2 (${N}-dr) is still judged",
      resource: edit(SHOP, ({ repos }) => {
        repos[1]!.name = "${REPO}-dr";
      }),
      problems: [{ path: "spec.backup.pgbackrest.repos[1].name", message: 'is named "${REPO}-dr"' }],
    },
    {
      name: "first repo is repo2",
      resource: cluster(backup([s3Repo(2)])),
      problems: [{ path: "spec.backup.pgbackrest.repos[0].name", message: "repo1 must come first" }],
    },
    { name: "swapped", resource: cluster(backup([s3Repo(2), s3Repo(1)])), problems: [{ message: "name: repo1" }, { message: "name: repo2" }] },
    { name: "name missing", resource: cluster(backup([{ storage: "s3" }])), problems: [{ message: "has no name" }] },
    { name: "name '1'", resource: cluster(backup([{ ...s3Repo(1), name: "1" }])), problems: [{ message: 'is named "1"' }] },
    {
      name: "five repos",
      resource: cluster(backup([1, 2, 3, 4, 5].map((n) => s3Repo(n)))),
      problems: [{ path: "spec.backup.pgbackrest.repos", message: "5 entries" }],
    },
    {
      name: "realistic: the chart values' two repo1 entries",
      resource: edit(SHOP, ({ repos }) => {
        repos[1]!.name = "repo1";
      }),
      problems: [{ path: "spec.backup.pgbackrest.repos[1].name", message: 'repos[1] is named "repo1"' }],
    },
    {
      name: "realistic: the off-site repo listed before the pvc repo",
      resource: edit(KEYCLOAK, ({ p, repos }) => {
        p.repos = [repos[1], repos[0]];
      }),
      problems: [
        { path: "spec.backup.pgbackrest.repos[0].name", message: "repo1 must come first" },
        { path: "spec.backup.pgbackrest.repos[1].name", message: "this pvc repo's pgBackRest config and repo-host volume from the list position (repo2)" },
      ],
    },
  ],
});
