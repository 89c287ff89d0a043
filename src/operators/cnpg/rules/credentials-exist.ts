// cnpg-credentials-exist: the Secrets an object store's credentials name must exist. Names only: a Secret's data is
// never read (lookups keep only its name), so a Secret that exists without the referenced key is not detected.
import type { Problem, Resource } from "../../../engine/types.ts";
import { isObject, getObject, type JsonObject } from "../../../util/object.ts";
import { findObject, lookupNotChecked, namespaceOf, problem } from "../../../rules/util.ts";
import { CLUSTER, OBJECT_STORE, inTreeObjectStore, isNonEmptyString } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

const BARMAN_CLOUD_ENV = "https://github.com/cloudnative-pg/barman-cloud/blob/v0.5.1/pkg/credentials/env.go";
const PLUGIN = "https://github.com/cloudnative-pg/plugin-barman-cloud/blob/v0.14.0";
const CNPG = "https://github.com/cloudnative-pg/cloudnative-pg/blob/v1.30.0";

/** One Secret reference (a SecretKeySelector's `name`) and the field it is in. */
interface SecretRef {
  name: string;
  path: string;
  /** The endpoint CA is mounted into the pods; credentials are read by barman-cloud for every WAL file and backup. */
  role: "credentials" | "endpointCA";
}

function refAt(parent: JsonObject, key: string, base: string, role: SecretRef["role"]): SecretRef[] {
  const sel = parent[key];
  if (!isObject(sel) || !isNonEmptyString(sel.name)) return [];
  return [{ name: sel.name, path: `${base}.${key}.name`, role }];
}

/**
 * The Secrets barman-cloud reads for a BarmanObjectStoreConfiguration, in its own order (envSetCloudCredentials):
 * s3Credentials if present, else googleCredentials, else azureCredentials — only the first provider is used.
 * Pod-identity settings need no Secret: `inheritFromIAMRole`, `inheritFromAzureAD`, `useDefaultAzureCredentials`
 * (nothing is read), `gkeEnvironment` without applicationCredentials.
 */
function credentialRefs(config: JsonObject, base: string): SecretRef[] {
  const s3 = config.s3Credentials;
  if (isObject(s3)) {
    if (s3.inheritFromIAMRole === true) return [];
    const at = `${base}.s3Credentials`;
    return ["accessKeyId", "secretAccessKey", "region", "sessionToken"].flatMap((k) => refAt(s3, k, at, "credentials"));
  }
  const google = config.googleCredentials;
  if (isObject(google)) return refAt(google, "applicationCredentials", `${base}.googleCredentials`, "credentials");
  const azure = config.azureCredentials;
  if (isObject(azure)) {
    if (azure.inheritFromAzureAD === true || azure.useDefaultAzureCredentials === true) return [];
    const at = `${base}.azureCredentials`;
    return ["connectionString", "storageAccount", "storageKey", "storageSasToken"].flatMap((k) => refAt(azure, k, at, "credentials"));
  }
  return [];
}

/** Every Secret the resource's object store configuration needs, with where it is named. */
function secretRefs(resource: Resource): SecretRef[] {
  if (resource.kind === "ObjectStore") {
    const config = getObject(resource, "spec.configuration");
    if (!config) return [];
    // The plugin projects endpointCA into the instance pods whenever it is set (lifecycle_certificates.go).
    return [...credentialRefs(config, "spec.configuration"), ...refAt(config, "endpointCA", "spec.configuration", "endpointCA")];
  }
  const store = inTreeObjectStore(resource);
  if (!store) return [];
  const base = "spec.backup.barmanObjectStore";
  // In-tree CNPG writes the endpoint CA file only when name and key are set (IsBarmanEndpointCASet), and barman-cloud
  // is pointed at it only for s3 (AWS_CA_BUNDLE) and azure (REQUESTS_CA_BUNDLE) credentials.
  const ca = store.endpointCA;
  const usesCa = isObject(ca) && isNonEmptyString(ca.key) && (isObject(store.s3Credentials) || isObject(store.azureCredentials));
  const caRef = usesCa ? refAt(store, "endpointCA", base, "endpointCA") : [];
  return [...credentialRefs(store, base), ...caRef];
}

function consequence(resource: Resource, roles: ReadonlySet<SecretRef["role"]>): string {
  const plugin = resource.kind === "ObjectStore";
  const parts: string[] = [];
  if (roles.has("credentials")) {
    parts.push(
      `barman-cloud reads the credentials from it for every WAL file and every backup ("while getting secret …: not found"), ` +
        "so WAL archiving fails: WAL piles up on the primary's volume until it is full, the Cluster reports ContinuousArchiving " +
        "False (walArchivingFailing) and no backup completes",
    );
  }
  if (roles.has("endpointCA")) {
    parts.push(
      plugin
        ? "the plugin mounts the endpoint CA into the instance pods as a required volume, so the kubelet cannot start them"
        : "the instance manager skips the missing endpoint CA Secret without writing the CA file that barman-cloud is pointed at " +
          "(AWS_CA_BUNDLE / REQUESTS_CA_BUNDLE), so its TLS connections to the endpoint fail",
    );
  }
  return parts.join("; ");
}

export const rule = defineRule({
  meta: {
    id: "cnpg-credentials-exist",
    appliesTo: [OBJECT_STORE, CLUSTER],
    defaultAction: "deny",
    params: {},
    lookups: ["Secret"],
    docs: {
      summary:
        "The Secrets named by an ObjectStore's or in-tree barmanObjectStore's credentials (s3, azure, google) and endpointCA must exist in the namespace.",
      rationale:
        "Neither CNPG nor the barman-cloud plugin checks at admission that the credential Secrets exist. barman-cloud resolves them when it " +
        "archives a WAL file or takes a backup, in the object's namespace, using only the first provider set (s3Credentials, else " +
        `googleCredentials, else azureCredentials) and no Secret at all for inheritFromIAMRole, inheritFromAzureAD, useDefaultAzureCredentials ` +
        `or gkeEnvironment without applicationCredentials (${BARMAN_CLOUD_ENV}#L106-L127, #L130-L318, #L335-L352). A missing Secret makes ` +
        "every archive_command fail: WAL accumulates on the primary until its volume is full and the Cluster reports walArchivingFailing " +
        `(plugin: ${PLUGIN}/internal/cnpgi/common/wal.go#L131-L137; in-tree: ${CNPG}/internal/management/controller/cache.go#L83-L118). ` +
        "The endpointCA Secret is mounted into the instance pods as a required projected volume by the plugin " +
        `(${PLUGIN}/internal/cnpgi/operator/lifecycle_certificates.go#L55-L86, ${PLUGIN}/internal/cnpgi/operator/lifecycle.go#L474-L485) ` +
        `and written to a file by the in-tree instance manager when name and key are set, a missing Secret skipped ` +
        `(${CNPG}/pkg/reconciler/instance/certificate/reconciler.go#L302-L330, #L80-L91), while barman-cloud is pointed at that file for s3 ` +
        `and azure credentials (${BARMAN_CLOUD_ENV}#L88-L104). ` +
        "Names only: a Secret's data is never read, so a Secret without the referenced key is not detected. Secrets are looked up from the " +
        "inputs and --lookup (a Secret manifest counts by name), from --kubeconfig (metadata only), and in the webhook only with " +
        "serve --lookup-secrets; otherwise the rule is not checked, never denied.",
      bad:
        "kind: ObjectStore\nspec:\n  configuration:\n    destinationPath: s3://backups/pg\n    s3Credentials:\n      accessKeyId: {name: pg-s3, key: ACCESS_KEY_ID}   # no Secret pg-s3 in the namespace\n      secretAccessKey: {name: pg-s3, key: ACCESS_SECRET_KEY}",
      good:
        "kind: ObjectStore\nspec:\n  configuration:\n    destinationPath: s3://backups/pg\n    s3Credentials:\n      inheritFromIAMRole: true   # or create Secret pg-s3 in the same namespace",
      fix: "Create the Secret in the object's namespace (before or with it), correct the name, or use the provider's pod identity (inheritFromIAMRole, inheritFromAzureAD, gkeEnvironment).",
    },
  },
  check(resource, ctx) {
    const ns = namespaceOf(resource);
    // One finding per Secret name, however many fields name it (accessKeyId and secretAccessKey usually share one).
    const byName = new Map<string, SecretRef[]>();
    for (const ref of secretRefs(resource)) byName.set(ref.name, [...(byName.get(ref.name) ?? []), ref]);
    const out: Problem[] = [];
    for (const [name, refs] of byName) {
      const path = refs[0]!.path;
      const found = findObject(ctx.lookups, "Secret", ns, name);
      if (found.state === "unknown") {
        out.push(lookupNotChecked(found, path));
        continue;
      }
      if (found.state === "found") continue;
      const also = refs.length > 1 ? ` (also named at ${refs.slice(1).map((r) => r.path).join(", ")})` : "";
      const where = ns === undefined ? "the object's namespace" : `namespace ${ns}`;
      out.push(
        problem(
          path,
          `Secret "${name}"${also} is not among the known Secrets of ${where}. ${consequence(resource, new Set(refs.map((r) => r.role)))}. ` +
            `Create the Secret "${name}" in that namespace, correct the name, or use the provider's pod identity instead of keys.`,
        ),
      );
    }
    return out;
  },
});
