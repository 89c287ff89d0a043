// cpo-repo-path-unique: each object-storage repo needs its own global.repoN-path.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/repo-path-unique.ts";
import { backup, cluster, good, pvcRepo, s3Repo } from "./fixtures.ts";
import { KEYCLOAK, SHOP, WIKI, edit } from "./manifests.ts";

const G = "spec.backup.pgbackrest.global";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "pvc needs no path", resource: cluster(backup([pvcRepo(1)], {})) },
    { name: "different paths same bucket", resource: cluster(backup([s3Repo(1), s3Repo(2)])) },
    { name: "realistic: paths with a Flux placeholder", resource: SHOP },
    { name: "realistic: the pvc repo needs none", resource: KEYCLOAK },
    { name: "realistic: azure", resource: WIKI },
  ],
  invalid: [
    { name: "no path", resource: cluster(backup([s3Repo(1)], { "repo1-retention-full": "7" })), problems: [{ path: G, message: "repo1-path: /db/cluster-1/repo1/" }] },
    { name: "path is /", resource: cluster(backup([s3Repo(1)], { "repo1-path": "/" })), problems: [{ path: `${G}.repo1-path` }] },
    {
      name: "same bucket and path twice",
      resource: cluster(backup([s3Repo(1), s3Repo(2)], { "repo1-path": "/x/", "repo2-path": "/x" })),
      problems: [{ path: `${G}.repo2-path`, message: "same bucket and path" }],
    },
    { name: "global not a map", resource: cluster(backup([s3Repo(1)], ["repo1-path"])), problems: [{ path: G }] },
    {
      name: "realistic: the MinIO repo without a path (no namespace: the suggestion leaves it out)",
      resource: edit(KEYCLOAK, ({ global }) => {
        delete global["repo2-path"];
      }),
      problems: [{ path: G, message: "Add `repo2-path: /keycloak-pg/repo2/`" }],
    },
    {
      name: "realistic: the DR repo moved to the same bucket and path as repo1",
      resource: edit(SHOP, ({ repos, global }) => {
        repos[1] = { ...repos[0], name: "repo2", schedule: { full: "@daily" } };
        global["repo2-path"] = global["repo1-path"];
      }),
      problems: [{ path: `${G}.repo2-path`, message: "repo2 uses the same bucket and path (/${CLUSTER_ENV}/orders-db/repo1/) as repo1" }],
    },
  ],
});
