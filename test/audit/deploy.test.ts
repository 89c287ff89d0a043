// deploy/overlays/audit-cronjob and audit-policy-reports: the CronJob runs the project's image with `audit`, its own
// ServiceAccount may read everything the audit lists, and only it (never the webhook) may write PolicyReports.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { byKind, kustomize, one, tool, type Obj } from "../deploy/render.ts";

const kubectl = tool("kubectl");
const CRON = "deploy/overlays/audit-cronjob";
const REPORTS = "deploy/overlays/audit-policy-reports";

/** `group/resource -> verbs` granted to a ServiceAccount through the install's ClusterRoleBindings. */
function grants(objects: Obj[], sa: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const b of byKind(objects, "ClusterRoleBinding")) {
    if (!(b.subjects ?? []).some((s: Obj) => s.kind === "ServiceAccount" && s.name === sa)) continue;
    const role = byKind(objects, "ClusterRole").find((r) => r.metadata.name === b.roleRef.name);
    for (const rule of role?.rules ?? [])
      for (const g of rule.apiGroups ?? [])
        for (const r of rule.resources ?? []) {
          const set = out.get(`${g}/${r}`) ?? new Set<string>();
          for (const v of rule.verbs ?? []) set.add(v);
          out.set(`${g}/${r}`, set);
        }
  }
  return out;
}

/** What `audit` lists (src/cli/kube-lookups.ts SOURCES, minus Secrets, plus Backups and BackupPolicies). */
const LISTED = [
  "postgresql.cnpg.io/clusters",
  "postgresql.cnpg.io/scheduledbackups",
  "postgresql.cnpg.io/backups",
  "barmancloud.cnpg.io/objectstores",
  "snapshot.storage.k8s.io/volumesnapshotclasses",
  "storage.k8s.io/storageclasses",
  "cpo.opensource.cybertec.at/postgresqls",
  "/namespaces",
  "pgbackupguard.io/backuppolicies",
];

describe("audit overlays", kubectl.skip, () => {
  it("audit-cronjob: the project's image runs `audit` as its own read-only ServiceAccount", () => {
    const objects = kustomize(kubectl.path!, CRON);
    const cron = one(objects, "CronJob");
    const pod = cron.spec.jobTemplate.spec.template.spec;
    const webhook = one(objects, "Deployment").spec.template.spec.containers[0];
    assert.equal(pod.containers[0].image, webhook.image);
    assert.equal(pod.containers[0].args[0], "audit");
    assert.equal(pod.serviceAccountName, "pg-backup-guard-audit");
    assert.equal(cron.spec.concurrencyPolicy, "Forbid");
    const g = grants(objects, "pg-backup-guard-audit");
    for (const gr of LISTED) assert.ok(["get", "list"].every((v) => g.get(gr)?.has(v)), `audit SA cannot list ${gr}`);
    for (const [gr, verbs] of g) for (const v of verbs) assert.ok(["get", "list", "watch"].includes(v), `${gr}: ${v}`);
    assert.ok(!g.has("/secrets"));
  });

  it("audit-policy-reports: --policy-reports, writes on PolicyReports for the audit job only", () => {
    const objects = kustomize(kubectl.path!, REPORTS);
    const args: string[] = one(objects, "CronJob").spec.jobTemplate.spec.template.spec.containers[0].args;
    assert.ok(args.includes("--policy-reports"), args.join(" "));
    const audit = grants(objects, "pg-backup-guard-audit");
    for (const r of ["policyreports", "clusterpolicyreports"])
      for (const v of ["get", "list", "create", "update", "delete"]) assert.ok(audit.get(`wgpolicyk8s.io/${r}`)?.has(v), `${r}: ${v}`);
    const webhook = grants(objects, "pg-backup-guard");
    for (const [gr, verbs] of webhook) for (const v of verbs) assert.ok(["get", "list", "watch"].includes(v), `the webhook's ServiceAccount got ${v} on ${gr}`);
  });
});
