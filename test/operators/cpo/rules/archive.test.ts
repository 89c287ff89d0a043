import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule as archiveOverride } from "../../../../src/operators/cpo/rules/archive-override.ts";
import { rule as archiveTimeoutRpo } from "../../../../src/operators/cpo/rules/archive-timeout-rpo.ts";
import { rule as pvcRepoRemoved } from "../../../../src/operators/cpo/rules/pvc-repo-removed.ts";
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
const twoPvc = cluster(backup([pvcRepo(1), pvcRepo(2)]));
const R = "spec.backup.pgbackrest.repos";

ruleTester(pvcRepoRemoved, {
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
  ],
});
