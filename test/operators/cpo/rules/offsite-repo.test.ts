// cpo-offsite-repo: at least one repo off the cluster (object storage), not only pvc.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/offsite-repo.ts";
import { backup, cluster, good, pvcRepo, s3Repo } from "./fixtures.ts";
import { KEYCLOAK, SHOP, edit } from "./manifests.ts";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "pvc plus s3", resource: cluster(backup([pvcRepo(1), s3Repo(2)])) },
    { name: "repos null", resource: cluster(backup(null)) },
    { name: "realistic: s3 + gcs", resource: SHOP },
    { name: "realistic: pvc + MinIO", resource: KEYCLOAK },
    {
      name: "realistic: the off-site repo's storage is a Flux placeholder: not checked",
      notChecked: true,
      resource: edit(KEYCLOAK, ({ repos }) => {
        repos[1]!.storage = "${OFFSITE_STORAGE}";
      }),
    },
  ],
  invalid: [
    {
      name: "realistic: a placeholder that can only give pvc is not off-site",
      resource: edit(KEYCLOAK, ({ repos }) => {
        repos[1]!.storage = "p${V}c";
      }),
      problems: [{ path: "spec.backup.pgbackrest.repos", message: "storage here: pvc, p${V}c" }],
    },
    { name: "only pvc", resource: cluster(backup([pvcRepo(1)])), problems: [{ path: "spec.backup.pgbackrest.repos", message: "storage here: pvc" }] },
    { name: "gcs not counted off-site by policy", resource: cluster(backup([{ ...s3Repo(1), storage: "gcs" }])), params: { offsiteStorage: ["s3"] }, problems: [{ message: "off-site means s3" }] },
    {
      name: "realistic: the tutorial's pvc-only setup",
      resource: edit(KEYCLOAK, ({ p, repos }) => {
        p.repos = [repos[0]];
      }),
      problems: [{ path: "spec.backup.pgbackrest.repos", message: "no repo is off-site (storage here: pvc; off-site means s3, gcs, azure)" }],
    },
  ],
});
