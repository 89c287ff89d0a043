// Checks that hold for every rendered install, deploy/'s overlays and the chart alike. Each returns a list of
// problems (empty when fine), so a failing test says everything that is wrong at once.
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import { allRules } from "../../src/rules/index.ts";
import { allDefaulters } from "../../src/defaults/index.ts";
import { parse } from "yaml";
import { toStructural } from "../../src/policy/schema.ts";
import { CRD_FILE, SCHEMA_FILE } from "../../src/policy/generate.ts";
import { BACKUP_POLICY_GVR, gvrOf } from "../../src/lookups/live-informers.ts";
import { lookupKindSpecs } from "../../src/lookups/kinds.ts";
import { coveredKinds } from "../../src/operators/index.ts";
import { repoRoot } from "../helpers/shared.ts";
import { byKind, key, type Obj } from "./render.ts";

/** The plural resource of each covered kind, as webhook rules name it. A new ResourceType must be added here. */
/** Plural of each covered kind, and the cluster-scoped ones, from the operator registry. */
export const PLURALS: Record<string, string> = Object.fromEntries(coveredKinds.map((k) => [k.kind, k.plural]));
const CLUSTER_SCOPED_COVERED = new Set(coveredKinds.filter((k) => k.scope === "Cluster").map((k) => k.kind));

/** group/version/plural of every kind the given rules or defaulters apply to. */
function coveredResources(types: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const type of types) {
    const [group, version, kind] = type.split("/") as [string, string, string];
    const plural = PLURALS[kind];
    out.add(plural ? `${group}/${version}/${plural}` : `${type} (no plural known: add it to PLURALS in test/deploy/checks.ts)`);
  }
  return out;
}
export const VALIDATED = coveredResources(allRules.flatMap((r) => r.meta.appliesTo));
export const MUTATED = coveredResources(allDefaulters.flatMap((d) => d.meta.appliesTo));

/** The CNPG operator's service-account users (release manifest, Helm chart with release name cnpg). */
export const CNPG_OPERATOR_USERS = [
  "system:serviceaccount:cnpg-system:cnpg-manager",
  "system:serviceaccount:cnpg-system:cnpg-cloudnative-pg",
];

const CLUSTER_SCOPED_KINDS = new Set([
  "Namespace",
  "CustomResourceDefinition",
  "ClusterRole",
  "ClusterRoleBinding",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
  "BackupPolicy",
]);

/** The validating webhook for BackupPolicy objects themselves (failurePolicy Ignore, cluster-scoped). */
export const POLICY_WEBHOOK = "validate-policy.pgbackupguard.io";
const POLICY_RESOURCES = new Set(["pgbackupguard.io/v1alpha1/backuppolicies"]);

/** Each webhook's rules match exactly the kinds a rule (validating) or a default (mutating) applies to. */
export function webhookRuleProblems(objects: Obj[]): string[] {
  const problems: string[] = [];
  const configs: [string, Set<string>][] = [
    ["ValidatingWebhookConfiguration", VALIDATED],
    ["MutatingWebhookConfiguration", MUTATED],
  ];
  for (const [kind, expectedKinds] of configs) {
    const found = byKind(objects, kind);
    if (found.length === 0) problems.push(`no ${kind}`);
    for (const config of found) {
      for (const webhook of config.webhooks ?? []) {
        const policyHook = webhook.name === POLICY_WEBHOOK;
        const expected = policyHook ? POLICY_RESOURCES : expectedKinds;
        if (policyHook && webhook.failurePolicy !== "Ignore") problems.push(`${webhook.name}: failurePolicy ${webhook.failurePolicy}, must be Ignore (an outage must not block policy edits)`);
        const matched = new Set<string>();
        for (const rule of webhook.rules ?? []) {
          const ops: string[] = rule.operations ?? [];
          for (const op of ops) if (op !== "CREATE" && op !== "UPDATE") problems.push(`${webhook.name}: operation ${op}`);
          for (const group of rule.apiGroups ?? [])
            for (const version of rule.apiVersions ?? [])
              for (const resource of rule.resources ?? []) {
                if ([group, version, resource].some((x) => String(x).includes("*"))) problems.push(`${webhook.name}: wildcard in ${group}/${version}/${resource}`);
                const gvr = `${group}/${version}/${resource}`;
                matched.add(gvr);
                if (!expected.has(gvr)) problems.push(`${webhook.name} matches ${gvr}, which no ${kind.startsWith("Validating") ? "rule" : "default"} applies to`);
                const scoped = policyHook || [...CLUSTER_SCOPED_COVERED].some((k) => PLURALS[k] === resource) ? "Cluster" : "Namespaced";
                if (rule.scope !== scoped) problems.push(`${webhook.name}: ${gvr} should have scope ${scoped}, has ${rule.scope}`);
              }
        }
        for (const gvr of expected) if (!matched.has(gvr)) problems.push(`${webhook.name} does not match ${gvr}, which a ${kind.startsWith("Validating") ? "rule" : "default"} applies to`);
        if (webhook.sideEffects !== "None") problems.push(`${webhook.name}: sideEffects ${webhook.sideEffects}`);
        if (!(webhook.admissionReviewVersions ?? []).includes("v1")) problems.push(`${webhook.name}: no admissionReviewVersions v1`);
      }
    }
  }
  return problems;
}

/** The validating webhook skips the CNPG operator's own requests; both skip objects being deleted. */
export function matchConditionProblems(objects: Obj[], operatorUsers = CNPG_OPERATOR_USERS): string[] {
  const problems: string[] = [];
  for (const config of [...byKind(objects, "ValidatingWebhookConfiguration"), ...byKind(objects, "MutatingWebhookConfiguration")]) {
    for (const webhook of config.webhooks ?? []) {
      const conditions: Obj[] = webhook.matchConditions ?? [];
      const expressions = conditions.map((c) => String(c.expression));
      if (!expressions.some((e) => e.includes("deletionTimestamp"))) problems.push(`${webhook.name}: no matchCondition skipping objects being deleted`);
      if (config.kind === "ValidatingWebhookConfiguration" && webhook.name !== POLICY_WEBHOOK) {
        const operator = conditions.find((c) => c.name === "not-from-an-operator");
        if (!operator) problems.push(`${webhook.name}: no matchCondition not-from-an-operator`);
        else for (const user of operatorUsers) if (!String(operator.expression).includes(`'${user}'`)) problems.push(`${webhook.name}: not-from-an-operator does not name ${user}`);
      }
    }
  }
  return problems;
}

/** Every webhook's clientConfig names a Service in the install, on a port it has, that selects the webhook pods. */
export function serviceProblems(objects: Obj[]): string[] {
  const problems: string[] = [];
  const deployment = byKind(objects, "Deployment")[0];
  const podLabels: Record<string, string> = deployment?.spec?.template?.metadata?.labels ?? {};
  const containerPorts: Obj[] = (deployment?.spec?.template?.spec?.containers ?? []).flatMap((c: Obj) => c.ports ?? []);
  for (const config of [...byKind(objects, "ValidatingWebhookConfiguration"), ...byKind(objects, "MutatingWebhookConfiguration")]) {
    for (const webhook of config.webhooks ?? []) {
      const ref = webhook.clientConfig?.service;
      if (!ref) {
        problems.push(`${webhook.name}: clientConfig has no service`);
        continue;
      }
      const expectedPath = config.kind === "ValidatingWebhookConfiguration" ? "/validate" : "/mutate";
      if (ref.path !== expectedPath) problems.push(`${webhook.name}: path ${ref.path}, expected ${expectedPath}`);
      const service = byKind(objects, "Service").find((s) => s.metadata.name === ref.name && s.metadata.namespace === ref.namespace);
      if (!service) {
        problems.push(`${webhook.name}: Service ${ref.namespace}/${ref.name} is not in the install`);
        continue;
      }
      const port = (service.spec.ports ?? []).find((p: Obj) => p.port === (ref.port ?? 443));
      if (!port) problems.push(`${webhook.name}: Service ${ref.name} has no port ${ref.port ?? 443}`);
      else if (!containerPorts.some((p) => p.name === port.targetPort || p.containerPort === port.targetPort))
        problems.push(`Service ${ref.name} targetPort ${port.targetPort} is no container port of the Deployment`);
      for (const [k, v] of Object.entries(service.spec.selector ?? {})) if (podLabels[k] !== v) problems.push(`Service ${ref.name} selector ${k}=${v} does not select the webhook pods`);
    }
  }
  if (!deployment) problems.push("no Deployment");
  return problems;
}

/** The DNS names a serving certificate must carry for the webhooks' Service. */
export function serviceDnsNames(objects: Obj[]): string[] {
  const ref = byKind(objects, "ValidatingWebhookConfiguration")[0]?.webhooks?.[0]?.clientConfig?.service;
  return ref ? [`${ref.name}.${ref.namespace}.svc`] : [];
}

/** The Secret the webhook pods mount their serving certificate from. */
export function tlsSecretName(objects: Obj[]): string | undefined {
  const deployment = byKind(objects, "Deployment")[0];
  const volumes: Obj[] = deployment?.spec?.template?.spec?.volumes ?? [];
  return volumes.find((v) => v.name === "tls")?.secret?.secretName;
}

/** cert-manager installs: the Certificate writes the mounted Secret, names the Service, and is the CA injected. */
export function certManagerProblems(objects: Obj[]): string[] {
  const problems: string[] = [];
  const secret = tlsSecretName(objects);
  const serving = byKind(objects, "Certificate").find((c) => c.spec?.secretName === secret);
  if (!serving) return [`no Certificate writes the mounted Secret ${secret}`];
  for (const name of serviceDnsNames(objects)) if (!(serving.spec.dnsNames ?? []).includes(name)) problems.push(`Certificate ${serving.metadata.name} lacks ${name}`);
  const issuer = serving.spec.issuerRef;
  if (!objects.some((o) => o.kind === (issuer?.kind ?? "Issuer") && o.metadata.name === issuer?.name)) problems.push(`issuer ${issuer?.name} is not in the install`);
  const inject = `${serving.metadata.namespace}/${serving.metadata.name}`;
  for (const config of [...byKind(objects, "ValidatingWebhookConfiguration"), ...byKind(objects, "MutatingWebhookConfiguration")]) {
    const got = config.metadata.annotations?.["cert-manager.io/inject-ca-from"];
    if (got !== inject) problems.push(`${config.kind}: cert-manager.io/inject-ca-from is ${got}, expected ${inject}`);
  }
  return problems;
}

/** A Secret in the install holding the serving certificate: it names the Service and verifies against caBundle. */
export function tlsSecretProblems(objects: Obj[]): string[] {
  const name = tlsSecretName(objects);
  const secret = byKind(objects, "Secret").find((s) => s.metadata.name === name);
  if (!secret) return [`Secret ${name} is not in the install`];
  const pem = (field: string) => Buffer.from(String(secret.data?.[field] ?? ""), "base64").toString("utf8");
  const problems: string[] = [];
  const cert = new X509Certificate(pem("tls.crt"));
  const ca = new X509Certificate(pem("ca.crt"));
  if (!cert.verify(ca.publicKey)) problems.push("tls.crt is not signed by ca.crt");
  for (const dns of serviceDnsNames(objects)) if (!cert.checkHost(dns)) problems.push(`tls.crt does not name ${dns}`);
  for (const config of [...byKind(objects, "ValidatingWebhookConfiguration"), ...byKind(objects, "MutatingWebhookConfiguration")])
    for (const webhook of config.webhooks ?? [])
      if (webhook.clientConfig?.caBundle !== secret.data?.["ca.crt"]) problems.push(`${webhook.name}: caBundle is not the Secret's ca.crt`);
  return problems;
}

/** The one write the optional audit overlays grant: the audit job's own PolicyReports (deploy/overlays/audit-policy-reports). */
const AUDIT_WRITABLE = new Set(["wgpolicyk8s.io/policyreports", "wgpolicyk8s.io/clusterpolicyreports"]);

/** `namespace/name` of the ServiceAccounts the install's CronJobs (the audit overlays) run as. */
function cronJobAccounts(objects: Obj[]): Set<string> {
  return new Set(byKind(objects, "CronJob").map((c) => `${c.metadata.namespace}/${c.spec?.jobTemplate?.spec?.template?.spec?.serviceAccountName}`));
}

/** Whether every binding of the role binds only CronJob (audit) ServiceAccounts, and at least one binds it. */
function boundOnlyToAudit(objects: Obj[], role: Obj): boolean {
  const audit = cronJobAccounts(objects);
  const bindings = [...byKind(objects, "ClusterRoleBinding"), ...byKind(objects, "RoleBinding")].filter((b) => b.roleRef?.kind === role.kind && b.roleRef?.name === role.metadata.name);
  return bindings.length > 0 && bindings.every((b) => (b.subjects ?? []).every((s: Obj) => s.kind === "ServiceAccount" && audit.has(`${s.namespace}/${s.name}`)));
}

/**
 * RBAC only reads, covers every kind the informers watch, and is bound to the webhook's ServiceAccount (or, in the
 * audit overlays, to the audit CronJob's, which alone may also write its PolicyReports).
 */
export function rbacProblems(objects: Obj[], { allowSecrets }: { allowSecrets: boolean }): string[] {
  const problems: string[] = [];
  const granted = new Set<string>();
  for (const role of [...byKind(objects, "ClusterRole"), ...byKind(objects, "Role")]) {
    for (const rule of role.rules ?? []) {
      const verbs: string[] = rule.verbs ?? [];
      const auditWrite =
        (rule.apiGroups ?? []).length > 0 &&
        (rule.apiGroups ?? []).every((g: string) => (rule.resources ?? []).every((r: string) => AUDIT_WRITABLE.has(`${g}/${r}`))) &&
        boundOnlyToAudit(objects, role);
      for (const verb of verbs)
        if (!["get", "list", "watch"].includes(verb) && !(auditWrite && ["create", "update", "delete"].includes(verb))) problems.push(`${key(role)} grants ${verb}: RBAC must only read`);
      for (const field of ["apiGroups", "resources", "verbs"])
        if ((rule[field] ?? []).includes("*")) problems.push(`${key(role)} has a wildcard in ${field}`);
      if (rule.nonResourceURLs) problems.push(`${key(role)} grants nonResourceURLs`);
      for (const group of rule.apiGroups ?? [])
        for (const resource of rule.resources ?? []) {
          if (resource === "secrets" && !allowSecrets) problems.push(`${key(role)} grants access to Secrets`);
          if (["get", "list", "watch"].every((v) => verbs.includes(v))) granted.add(`${group}/${resource}`);
        }
    }
  }
  const gvrs = [...lookupKindSpecs().map((s) => gvrOf(s.name)), BACKUP_POLICY_GVR].filter((g) => g.plural !== "secrets");
  for (const g of gvrs) if (!granted.has(`${g.group}/${g.plural}`)) problems.push(`nothing grants get/list/watch on ${g.group || "core"}/${g.plural}, which the informers watch`);
  const deployment = byKind(objects, "Deployment")[0];
  const sa = deployment?.spec?.template?.spec?.serviceAccountName;
  const saNamespace = deployment?.metadata?.namespace;
  if (!byKind(objects, "ServiceAccount").some((s) => s.metadata.name === sa && s.metadata.namespace === saNamespace)) problems.push(`ServiceAccount ${sa} is not in the install`);
  for (const binding of [...byKind(objects, "ClusterRoleBinding"), ...byKind(objects, "RoleBinding")]) {
    if (!objects.some((o) => o.kind === binding.roleRef?.kind && o.metadata.name === binding.roleRef?.name)) problems.push(`${key(binding)} refers to ${binding.roleRef?.kind} ${binding.roleRef?.name}, not in the install`);
    for (const subject of binding.subjects ?? [])
      if (subject.kind !== "ServiceAccount" || ((subject.name !== sa || subject.namespace !== saNamespace) && !cronJobAccounts(objects).has(`${subject.namespace}/${subject.name}`))) problems.push(`${key(binding)} binds ${subject.kind} ${subject.namespace}/${subject.name}, not the webhook's ServiceAccount`);
  }
  if (byKind(objects, "ClusterRoleBinding").length === 0) problems.push("no ClusterRoleBinding");
  return problems;
}

/** Cluster-scoped objects carry no namespace; namespaced ones all live in one. */
export function namespaceProblems(objects: Obj[]): string[] {
  const problems: string[] = [];
  const namespaces = new Set<string>();
  for (const o of objects) {
    const ns = o.metadata?.namespace;
    if (CLUSTER_SCOPED_KINDS.has(o.kind)) {
      if (ns !== undefined) problems.push(`${o.kind} ${o.metadata.name} is cluster-scoped but has namespace ${ns}`);
    } else if (ns === undefined) problems.push(`${o.kind} ${o.metadata?.name} has no namespace`);
    else namespaces.add(ns);
  }
  if (namespaces.size > 1) problems.push(`objects in several namespaces: ${[...namespaces].join(", ")}`);
  return problems;
}

const stripActions = (spec: Obj): Obj => {
  const copy = structuredClone(spec);
  for (const entry of Object.values<Obj>(copy.properties?.rules?.properties ?? {})) delete entry.properties?.action;
  return copy;
};

/** The CRD in the install is CRD_FILE, and its spec schema is schemas/backuppolicy.schema.json's. */
export function crdProblems(objects: Obj[]): string[] {
  const crds = byKind(objects, "CustomResourceDefinition").filter((c) => c.metadata.name === "backuppolicies.pgbackupguard.io");
  if (crds.length !== 1) return [`expected the BackupPolicy CRD once, found ${crds.length}`];
  const crd = crds[0]!;
  const problems: string[] = [];
  // Whether CRD_FILE is up to date with the rule metadata is test/policy/schema.test.ts's job.
  if (!isDeepStrictEqual(crd.spec, (parse(readFileSync(join(repoRoot, CRD_FILE), "utf8")) as Obj).spec))
    problems.push(`the CRD differs from ${CRD_FILE}`);
  const schemaFile = JSON.parse(readFileSync(join(repoRoot, SCHEMA_FILE), "utf8")) as Obj;
  const version = (crd.spec.versions ?? []).find((v: Obj) => v.storage);
  const crdSpec = version?.schema?.openAPIV3Schema?.properties?.spec as Obj | undefined;
  if (!crdSpec) return [...problems, "the CRD has no spec schema"];
  if (!isDeepStrictEqual(stripActions(crdSpec), stripActions(toStructural(schemaFile.properties.spec))))
    problems.push(`the CRD's spec schema is not the structural form of ${SCHEMA_FILE}'s`);
  for (const [id, entry] of Object.entries<Obj>(crdSpec.properties?.rules?.properties ?? {}))
    if (entry.properties?.action?.["x-kubernetes-preserve-unknown-fields"] !== true) problems.push(`rules.${id}.action does not let YAML 1.1's off (false) through`);
  return problems;
}

/** All the checks that hold for any install of ours. */
export function installProblems(objects: Obj[], options: { allowSecrets: boolean }): string[] {
  return [
    ...webhookRuleProblems(objects),
    ...matchConditionProblems(objects),
    ...serviceProblems(objects),
    ...rbacProblems(objects, options),
    ...namespaceProblems(objects),
    ...crdProblems(objects),
  ];
}
