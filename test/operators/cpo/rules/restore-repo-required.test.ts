// cpo-restore-repo-required: a restore (restore.id set) needs restore.repo naming one of the repos.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/restore-repo-required.ts";
import { backup, cluster, good, pvcRepo } from "./fixtures.ts";
import { KEYCLOAK, SHOP, edit } from "./manifests.ts";

const RESTORE = "spec.backup.pgbackrest.restore";

function withRestore(restore: unknown, global?: unknown) {
  return cluster(backup([pvcRepo(1)], global, { restore }));
}

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "tutorial restore", resource: withRestore({ id: "1", repo: "repo1", options: { type: "immediate", set: "20231215-111802F" } }) },
    { name: "no id: nothing triggered", resource: withRestore({ options: { type: "immediate" } }) },
    { name: "restore a string", resource: withRestore("yes") },
    { name: "realistic: no restore", resource: SHOP },
    {
      name: "realistic: PITR from the DR repo",
      resource: edit(SHOP, ({ p }) => {
        p.restore = { id: "2", repo: "repo2", options: { type: "time", target: "2026-11-20 08:00:00+00" } };
      }),
    },
    {
      name: "realistic: id and repo from Flux placeholders (known only after substitution)", notChecked: true,
      resource: edit(SHOP, ({ p }) => {
        p.restore = { id: "${RESTORE_ID}", repo: "${RESTORE_REPO}", options: { type: "immediate" } };
      }),
    },
  ],
  invalid: [
    {
      name: "docs PITR manifest without repo",
      resource: withRestore({ id: "1", options: { type: "time", set: "20240515-164100F", target: "2024-05-16 07:46:05.506817+00" } }),
      problems: [{ path: RESTORE, message: "panics" }],
    },
    { name: "docs fragment repo '1'", resource: withRestore({ id: "1", repo: "1" }), problems: [{ path: `${RESTORE}.repo`, message: "repo: repo1" }] },
    { name: "empty repo", resource: withRestore({ id: "2", repo: "" }), problems: [{ path: `${RESTORE}.repo` }] },
    { name: "repo a number", resource: withRestore({ id: "2", repo: 1 }), problems: [{ message: "repo1..repo4" }] },
    { name: "repo not configured", resource: withRestore({ id: "2", repo: "repo2" }), problems: [{ message: "not one of the repos (repo1)" }] },
    {
      name: "realistic: a restore from a repo that is no longer configured",
      resource: edit(KEYCLOAK, ({ p }) => {
        p.restore = { id: "1", repo: "repo3", options: { type: "immediate" } };
      }),
      problems: [{ path: `${RESTORE}.repo`, message: "restore.repo is repo3, which is not one of the repos (repo1, repo2)" }],
    },
    {
      name: "realistic: the docs' PITR manifest without repo",
      resource: edit(SHOP, ({ p }) => {
        p.restore = { id: "1", options: { type: "time", target: "2026-11-20 08:00:00+00" } };
      }),
      problems: [{ path: RESTORE, message: "Add `repo: repo1`" }],
    },
  ],
});
