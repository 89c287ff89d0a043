// `pg-backup-guard audit`: judges what already runs in a cluster, read-only, with the webhook's engine and policy.
import type { LookupKind, Resource } from "../engine/types.ts";
import { coveredKinds } from "../operators/index.ts";
import { lookupKindSpecs } from "../lookups/kinds.ts";
import type { PolicyDocument } from "../policy/document.ts";
import { BUILTIN_POLICY_NAME } from "../policy/builtin.ts";
import { PolicySet } from "../policy/set.ts";
import { auditObjects } from "../audit/run.ts";
import { formatAuditText } from "../audit/text.ts";
import { buildPolicyReports } from "../audit/policy-report.ts";
import { oneOf, parse, stringList, UsageError } from "./args.ts";
import { useColor, type Io } from "./io.ts";
import { loadPolicy, type PolicyResolver } from "./policy.ts";
import { AUDIT_USAGE } from "./usage.ts";
import { renderParts } from "./validate.ts";
import type { ExtraKind } from "./kube-lookups.ts";

export const AUDIT_FORMATS = ["text", "json", "junit", "sarif"] as const;
/** The whole listing may take this long (large clusters come in pages of 500). */
export const AUDIT_TIMEOUT_MS = 120_000;

const BACKUP_POLICIES: ExtraKind = { group: "pgbackupguard.io", version: "v1alpha1", plural: "backuppolicies", kind: "BackupPolicy" };

/**
 * What audit judges: every covered kind. Those that are lookup kinds too are listed once, judged and looked up alike;
 * the others (CNPG Backups) are listed besides them.
 */
function auditedKinds(): { lookup: LookupKind[]; extra: ExtraKind[] } {
  const lookup: LookupKind[] = [];
  const extra: ExtraKind[] = [];
  for (const k of coveredKinds) {
    const spec = lookupKindSpecs().find((s) => s.group === k.group && s.kind === k.kind);
    if (spec) lookup.push(spec.name);
    else extra.push({ group: k.group, version: k.versions[0]!, plural: k.plural, kind: k.kind });
  }
  return { lookup, extra };
}

/** BackupPolicy objects of the cluster, validated exactly as the webhook validates them. */
export async function clusterPolicies(items: readonly unknown[]): Promise<{ ok: true; resolver: PolicyResolver } | { ok: false; errors: string[] }> {
  const { policyCodec } = await import("../webhook/policies.ts");
  const docs: PolicyDocument[] = [];
  const errors: string[] = [];
  for (const item of items) {
    const name = String((item as { metadata?: { name?: unknown } })?.metadata?.name ?? "(unnamed)");
    const parsed = policyCodec.parse(item, `BackupPolicy ${name}`);
    if (parsed.ok) docs.push(...parsed.policy);
    else errors.push(...parsed.errors.map((e) => `invalid policy: ${e}`));
  }
  if (errors.length > 0) return { ok: false, errors };
  const set = new PolicySet(docs);
  return { ok: true, resolver: { names: [BUILTIN_POLICY_NAME, ...set.names], forNamespace: (ns, labels) => set.forNamespace(ns, labels) } };
}

export async function auditCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse("audit", args, {
    kubeconfig: { type: "string" },
    context: { type: "string" },
    namespace: { type: "string", short: "n" },
    "all-namespaces": { type: "boolean", short: "A" },
    policy: { type: "string", multiple: true },
    format: { type: "string", short: "o" },
    "policy-reports": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout(AUDIT_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`audit reads the cluster and takes no PATH (got "${positionals[0]!.slice(0, 100)}")`, "audit");
  const format = oneOf("audit", "--format", values.format, AUDIT_FORMATS, "text");
  const namespace = typeof values.namespace === "string" ? values.namespace : undefined;
  if (namespace === "") throw new UsageError("--namespace needs a name", "audit");
  if (namespace !== undefined && values["all-namespaces"] === true) throw new UsageError("give --namespace or -A (--all-namespaces), not both", "audit");
  const kubeconfig = typeof values.kubeconfig === "string" ? values.kubeconfig : undefined;
  const context = typeof values.context === "string" ? values.context : undefined;
  const policyPaths = stringList(values.policy);

  // --policy files are read before the cluster is asked anything: a broken policy is a usage problem.
  let resolver: PolicyResolver | undefined;
  if (policyPaths.length > 0) {
    const loaded = loadPolicy(policyPaths);
    if (!loaded.ok) {
      for (const e of loaded.errors) io.stderr(`pg-backup-guard: ${e}\n`);
      return 2;
    }
    resolver = loaded.resolver;
  }

  const listed = auditedKinds();
  const progress = io.isTTY && io.env.TERM !== "dumb";
  const { kubeLookups } = await import("./kube-lookups.ts");
  const live = await kubeLookups(kubeconfig, AUDIT_TIMEOUT_MS, {
    ...(context !== undefined ? { context } : {}),
    extra: resolver ? listed.extra : [...listed.extra, BACKUP_POLICIES],
    ...(progress ? { onPage: (plural: string, n: number) => io.stderr(`\r\u001b[Kpg-backup-guard: listing ${plural}: ${n}`) } : {}),
  });
  if (progress) io.stderr("\r\u001b[K");
  if (!live.ok) {
    io.stderr(`pg-backup-guard: ${live.message}\n`);
    return 2;
  }
  for (const note of live.notes) io.stderr(`pg-backup-guard: note: ${note}\n`);

  if (!resolver) {
    const items = live.extra.get(BACKUP_POLICIES.plural);
    if (items === undefined) {
      io.stderr("pg-backup-guard: cannot read the cluster's BackupPolicies (list backuppolicies.pgbackupguard.io is not allowed); grant it or pass --policy FILE\n");
      return 2;
    }
    const loaded = await clusterPolicies(items);
    if (!loaded.ok) {
      for (const e of loaded.errors) io.stderr(`pg-backup-guard: ${e}\n`);
      return 2;
    }
    resolver = loaded.resolver;
  }

  const objects: Resource[] = listed.extra.flatMap((x) => live.extra.get(x.plural) ?? []);
  for (const kind of listed.lookup) objects.push(...(live.lookups.list(kind) ?? []));
  const inScope = namespace === undefined ? objects : objects.filter((o) => o.metadata.namespace === namespace);
  const now = io.now();
  const { audited, report } = auditObjects({ objects: inScope, lookups: live.lookups, resolver, now });

  for (const part of format === "text" ? [formatAuditText(report, { color: useColor(io) })] : renderParts(report, format, false)) io.stdout(part);

  let code = report.results.some((r) => r.findings.some((f) => f.action === "deny")) ? 1 : 0;
  if (values["policy-reports"] === true) {
    const k8s = await import("../lookups/kube-client.ts");
    const { loadKubeConfig } = await import("./kube-lookups.ts");
    const kc = loadKubeConfig(k8s, kubeconfig, context);
    if (!kc.ok) {
      io.stderr(`pg-backup-guard: ${kc.message}\n`);
      return 2;
    }
    const { writePolicyReports } = await import("../audit/write-reports.ts");
    const written = await writePolicyReports(kc.kc, buildPolicyReports(audited, now), namespace !== undefined ? { namespace } : {});
    io.stderr(`pg-backup-guard: policy reports: ${written.written.length} written, ${written.deleted.length} stale removed\n`);
    for (const e of written.errors) io.stderr(`pg-backup-guard: ${e}\n`);
    if (written.errors.length > 0) code = 2;
  }
  return code;
}
