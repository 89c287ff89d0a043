// cpo-repos-required: repos must list at least one repo, each with an allowed storage type.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/repos-required.ts";
import { backup, cluster, good, pvcRepo, s3Repo } from "./fixtures.ts";
import { KEYCLOAK, SHOP, WIKI, edit } from "./manifests.ts";

const standbyOf = (host: string) => ({ standby: { standby_host: host } });

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "no pgbackrest: other rule", resource: cluster() },
    { name: "a standby without repos", resource: cluster(backup(undefined), standbyOf("acid-primary")) },
    { name: "pvc allowed by default", resource: cluster(backup([pvcRepo(1)])) },
    { name: "realistic: s3 + gcs", resource: SHOP },
    { name: "realistic: pvc + s3", resource: KEYCLOAK },
    { name: "realistic: azure", resource: WIKI },
    { name: "realistic: s3 + gcs where the policy allows only those", resource: SHOP, params: { allowedStorage: ["s3", "gcs"] } },
    {
      name: "realistic: storage from a Flux placeholder is not checked",
      notChecked: true,
      resource: edit(SHOP, ({ repos }) => {
        repos[0]!.storage = "${BACKUP_STORAGE:=s3}";
      }),
    },
  ],
  invalid: [
    {
      name: "realistic: a placeholder that can never give an allowed storage (${CLOUD}-blob) is still judged",
      resource: edit(WIKI, ({ repos }) => {
        repos[0]!.storage = "${CLOUD}-blob";
      }),
      problems: [{ path: "spec.backup.pgbackrest.repos[0].storage", message: "does not know" }],
    },
    { name: "repos null", resource: cluster(backup(null)), problems: [{ path: "spec.backup.pgbackrest.repos", message: "is null" }] },
    { name: "repos missing", resource: cluster(backup(undefined)), problems: [{ message: "is missing" }] },
    { name: "repos empty", resource: cluster(backup([])), problems: [{ message: "is empty" }] },
    { name: "repos a string", resource: cluster(backup("repo1")), problems: [{ message: '"repo1"' }] },
    { name: "entry not a map", resource: cluster(backup(["repo1"])), problems: [{ path: "spec.backup.pgbackrest.repos[0]" }] },
    {
      name: "unknown storage (blob from the CRD docs)",
      resource: cluster(backup([{ ...s3Repo(1), storage: "blob" }])),
      problems: [{ path: "spec.backup.pgbackrest.repos[0].storage", message: "does not know" }],
    },
    { name: "no storage", resource: cluster(backup([{ name: "repo1", schedule: { full: "0 1 * * *" } }])), problems: [{ message: "has no storage" }] },
    {
      name: "storage not allowed by policy",
      resource: cluster(backup([pvcRepo(1)])),
      params: { allowedStorage: ["s3", "gcs"] },
      problems: [{ message: "does not allow" }],
    },
    {
      name: "realistic: repos emptied to null (a Helm/kustomize value left empty)",
      resource: edit(KEYCLOAK, ({ p }) => {
        p.repos = null;
      }),
      problems: [{ path: "spec.backup.pgbackrest.repos", message: "repos is null" }],
    },
    {
      name: "realistic: the pvc repo where the policy allows object storage only",
      resource: KEYCLOAK,
      params: { allowedStorage: ["s3", "gcs", "azure"] },
      problems: [{ path: "spec.backup.pgbackrest.repos[0].storage", message: 'has storage "pvc", which this policy does not allow' }],
    },
  ],
});
