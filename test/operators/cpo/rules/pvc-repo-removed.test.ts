// cpo-pvc-repo-removed: an update that leaves no pvc repo makes the operator delete the repo-host PVCs.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/pvc-repo-removed.ts";
import { backup, cluster, good, pvcRepo, s3Repo } from "./fixtures.ts";
import { KEYCLOAK, edit } from "./manifests.ts";

const oldPvc = cluster(backup([pvcRepo(1), s3Repo(2)]));
const twoPvc = cluster(backup([pvcRepo(1), pvcRepo(2)]));
const R = "spec.backup.pgbackrest.repos";

ruleTester(rule, {
  valid: [
    { name: "CLI: no old object", resource: cluster(backup([s3Repo(1)])) },
    { name: "unchanged", resource: oldPvc, operation: "UPDATE", oldResource: oldPvc },
    { name: "pvc repo added", resource: oldPvc, operation: "UPDATE", oldResource: cluster(backup([s3Repo(1)])) },
    { name: "CREATE with an old object is ignored", resource: cluster(), operation: "CREATE", oldResource: oldPvc },
    { name: "old had no pvc", resource: cluster(), operation: "UPDATE", oldResource: good() },
    // The repo-host StatefulSet is recreated without the dropped volume claim; the dropped repo's PVC is orphaned, not deleted.
    { name: "one of two pvc repos removed, another pvc repo remains", resource: cluster(backup([pvcRepo(1)])), operation: "UPDATE", oldResource: twoPvc },
    {
      name: "one of two pvc repos moved to s3, another pvc repo remains",
      resource: cluster(backup([pvcRepo(1), s3Repo(2)])),
      operation: "UPDATE",
      oldResource: twoPvc,
    },
    {
      name: "pvc repo resized (stays pvc)",
      resource: cluster(backup([{ ...pvcRepo(1), volume: { size: "20Gi" } }, s3Repo(2)])),
      operation: "UPDATE",
      oldResource: oldPvc,
    },
    {
      name: "realistic: the pvc repo grows",
      resource: edit(KEYCLOAK, ({ repos }) => {
        (repos[0]!.volume as Record<string, unknown>).size = "100Gi";
      }),
      operation: "UPDATE",
      oldResource: KEYCLOAK,
    },
    {
      name: "realistic: the MinIO repo dropped, the pvc repo stays",
      resource: edit(KEYCLOAK, ({ p, repos }) => {
        p.repos = [repos[0]];
      }),
      operation: "UPDATE",
      oldResource: KEYCLOAK,
    },
  ],
  invalid: [
    {
      name: "the only pvc repo moved to s3",
      resource: cluster(backup([s3Repo(1)])),
      operation: "UPDATE",
      oldResource: cluster(backup([pvcRepo(1)])),
      problems: [{ path: `${R}[0].storage`, message: "changes repo1's storage from pvc to s3, so no pvc repo is left" }],
    },
    {
      name: "last pvc repo dropped",
      resource: cluster(backup([s3Repo(1)])),
      operation: "UPDATE",
      oldResource: cluster(backup([s3Repo(1), pvcRepo(2)])),
      problems: [{ path: R, message: "removes the pvc repo repo2" }],
    },
    {
      name: "both pvc repos go in one update: one finding",
      resource: cluster(backup([s3Repo(1)])),
      operation: "UPDATE",
      oldResource: twoPvc,
      problems: [{ path: R, message: "changes repo1's storage from pvc to s3 and removes the pvc repo repo2" }],
    },
    {
      name: "the message names the PVCs the operator deletes",
      resource: cluster(backup([s3Repo(1)])),
      operation: "UPDATE",
      oldResource: cluster(backup([pvcRepo(1)])),
      problems: [{ message: "every PVC whose name contains cluster-1-pgbackrest-repo-host" }],
    },
    { name: "spec.backup removed", resource: cluster(), operation: "UPDATE", oldResource: oldPvc, problems: [{ path: "spec.backup", message: "repo-host StatefulSet" }] },
    { name: "pgbackrest null", resource: cluster(null), operation: "UPDATE", oldResource: oldPvc, problems: [{ path: "spec.backup", message: "removes spec.backup.pgbackrest" }] },
    { name: "repos null", resource: cluster(backup(null)), operation: "UPDATE", oldResource: oldPvc, problems: [{ path: R, message: "removes the pvc repo repo1" }] },
    { name: "repos empty", resource: cluster(backup([])), operation: "UPDATE", oldResource: twoPvc, problems: [{ path: R, message: "repo1 and removes the pvc repo repo2" }] },
    {
      name: "realistic: moving to object storage by replacing the pvc repo",
      resource: edit(KEYCLOAK, ({ p, repos }) => {
        p.repos = [{ ...repos[1], name: "repo1" }];
      }),
      operation: "UPDATE",
      oldResource: KEYCLOAK,
      problems: [{ path: `${R}[0].storage`, message: "changes repo1's storage from pvc to s3, so no pvc repo is left: the operator then deletes the repo-host StatefulSet and every PVC whose name contains keycloak-pg-pgbackrest-repo-host" }],
    },
  ],
});
