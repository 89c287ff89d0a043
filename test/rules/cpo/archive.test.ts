import { ruleTester } from "../../helpers/rule-tester.ts";
import { rule as archiveOverride } from "../../../src/rules/cpo/archive-override.ts";
import { rule as archiveTimeoutRpo } from "../../../src/rules/cpo/archive-timeout-rpo.ts";
import { rule as pvcRepoRemoved } from "../../../src/rules/cpo/pvc-repo-removed.ts";
import { backup, cluster, good, pvcRepo, s3Repo } from "./fixtures.ts";

const P = "spec.postgresql.parameters";

function withParameters(parameters: unknown) {
  const r = good();
  (r.spec as Record<string, unknown>).postgresql = { version: "17", parameters };
  return r;
}

ruleTester(archiveOverride, {
  valid: [{ resource: good() }, { name: "parameters a string", resource: withParameters("archive_command=/bin/true") }],
  invalid: [
    { name: "archive_command", resource: withParameters({ archive_command: "/bin/true" }), problems: [{ path: `${P}.archive_command`, message: "Delete archive_command" }] },
    { name: "archive_mode off", resource: withParameters({ archive_mode: "off" }), problems: [{ path: `${P}.archive_mode` }] },
    { name: "both", resource: withParameters({ archive_mode: "on", archive_command: "cp %p /x" }), problems: [{ path: `${P}.archive_command` }, { path: `${P}.archive_mode` }] },
  ],
});

ruleTester(archiveTimeoutRpo, {
  valid: [
    { resource: good() },
    { name: "300 seconds", resource: withParameters({ archive_timeout: "300" }) },
    { name: "60s with a 5m rpo", resource: withParameters({ archive_timeout: "60s" }) },
    { name: "unset but rpo 1h", resource: withParameters({}), rpoSeconds: 3600 },
    { name: "no pgbackrest: other rule", resource: cluster() },
  ],
  invalid: [
    { name: "unset", resource: withParameters({}), problems: [{ path: P, message: "archive_timeout: '5min'" }] },
    { name: "parameters missing", resource: withParameters(undefined), problems: [{ path: P, message: "1800s" }] },
    { name: "no spec.postgresql (docs snippets)", resource: (() => { const r = good(); delete (r.spec as Record<string, unknown>).postgresql; return r; })(), problems: [{ path: P, message: "requires spec.postgresql" }] },
    { name: "too long", resource: withParameters({ archive_timeout: "30min" }), problems: [{ path: `${P}.archive_timeout`, message: "longer than the policy's rpo of 5m" }] },
    { name: "unitless seconds too long", resource: withParameters({ archive_timeout: "600" }), problems: [{ message: "10m" }] },
    { name: "zero disables", resource: withParameters({ archive_timeout: "0" }), problems: [{ message: "disables" }] },
    { name: "bad unit", resource: withParameters({ archive_timeout: "5 minutes" }), problems: [{ message: "not valid" }] },
    { name: "number", resource: withParameters({ archive_timeout: 300 }), problems: [{ message: "not a string" }] },
    { name: "object", resource: withParameters({ archive_timeout: { s: 1 } }), problems: [{ message: "not valid" }] },
  ],
});

const oldPvc = cluster(backup([pvcRepo(1), s3Repo(2)]));

ruleTester(pvcRepoRemoved, {
  valid: [
    { name: "CLI: no old object", resource: cluster(backup([s3Repo(1)])) },
    { name: "unchanged", resource: oldPvc, operation: "UPDATE", oldResource: oldPvc },
    { name: "pvc repo added", resource: oldPvc, operation: "UPDATE", oldResource: cluster(backup([s3Repo(1)])) },
    { name: "CREATE with an old object is ignored", resource: cluster(), operation: "CREATE", oldResource: oldPvc },
    { name: "old had no pvc", resource: cluster(), operation: "UPDATE", oldResource: good() },
  ],
  invalid: [
    {
      name: "pvc repo removed",
      resource: cluster(backup([s3Repo(1)])),
      operation: "UPDATE",
      oldResource: cluster(backup([pvcRepo(1)])),
      problems: [{ path: "spec.backup.pgbackrest.repos[0].storage", message: "from pvc to s3" }],
    },
    {
      name: "second pvc repo dropped",
      resource: cluster(backup([s3Repo(1)])),
      operation: "UPDATE",
      oldResource: cluster(backup([s3Repo(1), pvcRepo(2)])),
      problems: [{ path: "spec.backup.pgbackrest.repos", message: "removes the pvc repo repo2" }],
    },
    { name: "spec.backup removed", resource: cluster(), operation: "UPDATE", oldResource: oldPvc, problems: [{ path: "spec.backup", message: "repo-host PVCs" }] },
    { name: "repos null", resource: cluster(backup(null)), operation: "UPDATE", oldResource: oldPvc, problems: [{ message: "removes the pvc repo repo1" }] },
  ],
});
