// The JSON Schema of a BackupPolicy, generated from the rule and defaulter metadata so that an unknown rule
// id or parameter is refused, and the matching CustomResourceDefinition. `scripts/gen-schema.ts` writes both.
import type { JsonSchema } from "../engine/types.ts";
import { DURATION_PATTERN } from "../util/duration.ts";
import { allRules } from "../rules/index.ts";
import { allDefaulters } from "../defaults/index.ts";
import { POLICY_API_VERSION, POLICY_GROUP, POLICY_KIND, POLICY_VERSION } from "./document.ts";
import { RULE_ERROR_ACTIONS } from "./types.ts";
import { COVERED_TYPES } from "../operators/index.ts";
import type { CatalogRule, CatalogDefaulter } from "../rules/define.ts";

export const SCHEMA_ID = "https://pgbackupguard.io/schemas/backuppolicy.schema.json";
export const ACTIONS = ["deny", "warn", "audit", "off"] as const;
export const NAMESPACE_PATTERN_RE = "^[a-z0-9*]([-a-z0-9*]*[a-z0-9*])?$";
export const MAX_PRIORITY = 1_000_000;
/** A resource name or a `*` glob (DNS subdomain characters plus `*`). */
export const NAME_PATTERN_RE = "^[a-z0-9*]([-a-z0-9.*]*[a-z0-9*])?$";
/** `YYYY-MM-DD` or an RFC 3339 time; that the date exists is checked after the schema (validate.ts). */
export const UNTIL_PATTERN_RE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2}))?$";
/** The kind names a `spec.exemptions.resources` entry may list: the covered kinds. */
export const EXEMPTION_KINDS: readonly string[] = [...new Set(COVERED_TYPES.map((t) => t.slice(t.lastIndexOf("/") + 1)))];

const durationSchema = (description: string): JsonSchema => ({ type: "string", pattern: DURATION_PATTERN, maxLength: 64, description });

const namespaceList = (description: string): JsonSchema => ({
  type: "array",
  maxItems: 1000,
  items: { type: "string", minLength: 1, maxLength: 63, pattern: NAMESPACE_PATTERN_RE },
  description,
});

const labelSelector = (description: string, whose: string): JsonSchema => ({
  type: "object",
  additionalProperties: false,
  description,
  properties: {
    matchLabels: {
      type: "object",
      maxProperties: 100,
      additionalProperties: { type: "string", maxLength: 63 },
      description: `Labels ${whose} must have, with these values.`,
    },
    matchExpressions: {
      type: "array",
      maxItems: 100,
      description: "Requirements that must all hold: In and NotIn need values; Exists and DoesNotExist take none.",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["key", "operator"],
        properties: {
          key: { type: "string", minLength: 1, maxLength: 317 },
          operator: { type: "string", enum: ["In", "NotIn", "Exists", "DoesNotExist"] },
          values: { type: "array", maxItems: 100, items: { type: "string", maxLength: 63 } },
        },
      },
    },
  },
});

/** `spec.exemptions.resources`: exemptions kept in the policy, for resources the admin does not own. */
function resourceExemptionsSchema(ruleIds: readonly string[]): JsonSchema {
  return {
    type: "array",
    maxItems: 1000,
    description:
      "Exemptions that need no edit of the resource (like Kyverno PolicyExceptions): every resource that matches all of kinds, namespaces, names and selector given is exempted from the rules listed, until the date. At least one of them is required.",
    items: {
      type: "object",
      additionalProperties: false,
      required: ["rules", "reason", "until"],
      properties: {
        kinds: {
          type: "array",
          maxItems: EXEMPTION_KINDS.length,
          items: { type: "string", enum: [...EXEMPTION_KINDS] },
          description: "Kind names (Cluster, Backup, ScheduledBackup, ObjectStore, VolumeSnapshotClass, postgresql); absent means every kind.",
        },
        namespaces: namespaceList("Namespace names or * globs, as in spec.match.namespaces; absent means every namespace (a resource without one matches only then)."),
        names: {
          type: "array",
          maxItems: 1000,
          items: { type: "string", minLength: 1, maxLength: 253, pattern: NAME_PATTERN_RE },
          description: "Resource names or * globs (pg-legacy-*); absent means every name.",
        },
        selector: labelSelector("A standard Kubernetes label selector on the resource's own labels.", "the resource"),
        rules: {
          type: "array",
          minItems: 1,
          maxItems: 1000,
          items: ruleIds.length > 0 ? { type: "string", enum: [...ruleIds] } : { type: "string" },
          description: "Rule ids the matching resources are exempted from (neverExempt still wins).",
        },
        reason: { type: "string", minLength: 1, maxLength: 1024, description: "Why: shown wherever the exemption is reported. Required." },
        until: {
          type: "string",
          maxLength: 64,
          pattern: UNTIL_PATTERN_RE,
          description:
            "When the exemption ends: a date YYYY-MM-DD (valid through that day, UTC) or an RFC 3339 time. Required: a policy exemption always expires; an expired one is reported and no longer applies.",
        },
      },
    },
  };
}

function ruleEntrySchema(rule: CatalogRule): JsonSchema {
  if ("action" in rule.meta.params) throw new Error(`rule ${rule.meta.id}: a parameter may not be named "action"`);
  return {
    type: "object",
    additionalProperties: false,
    description: `${rule.meta.docs.summary} (default action: ${rule.meta.defaultAction})`,
    properties: {
      action: {
        type: "string",
        enum: [...ACTIONS],
        description: "deny refuses the resource, warn and audit report it, off disables the rule.",
      },
      ...structuredClone(rule.meta.params),
    },
  };
}

function defaultEntrySchema(d: CatalogDefaulter): JsonSchema {
  if ("enabled" in d.meta.params) throw new Error(`defaulter ${d.meta.id}: a parameter may not be named "enabled"`);
  return {
    type: "object",
    additionalProperties: false,
    description: `${d.meta.description} (enabled by default: ${d.meta.enabledByDefault ? "yes" : "no"})`,
    properties: {
      enabled: { type: "boolean", description: "Whether the mutating side injects this default." },
      ...structuredClone(d.meta.params),
    },
  };
}

/** The `spec` schema. Rules and defaulters are listed by id; anything else is refused. */
export function specSchema(rules: readonly CatalogRule[], defaulters: readonly CatalogDefaulter[]): JsonSchema {
  const ruleIds = rules.map((r) => r.meta.id);
  return {
    type: "object",
    additionalProperties: false,
    description: "A backup policy; every field is optional and overrides the built-in recommended policy.",
    properties: {
      rpo: durationSchema("Recovery point objective: the most WAL a failure may lose, e.g. 5m. Default 5m."),
      priority: {
        type: "integer",
        minimum: -MAX_PRIORITY,
        maximum: MAX_PRIORITY,
        description:
          "When several policies match a namespace they apply in ascending priority, then by name; a later one overrides an earlier one rule by rule. Default 0.",
      },
      match: {
        type: "object",
        additionalProperties: false,
        description: "Which namespaces the policy applies to; absent or empty means every namespace.",
        properties: {
          namespaces: namespaceList("Namespace names or * globs (prod-*); empty means every namespace."),
          excludeNamespaces: namespaceList("Namespace names or * globs that the policy never applies to."),
          namespaceSelector: labelSelector(
            "A standard Kubernetes label selector on the namespace's labels. A policy with a non-empty selector never matches when the namespace's labels are unknown.",
            "the namespace",
          ),
        },
      },
      exemptions: {
        type: "object",
        additionalProperties: false,
        description:
          "How the pgbackupguard.io/exempt annotations on a resource are honoured, and exemptions kept in the policy (resources).",
        properties: {
          allowed: { type: "boolean", description: "Whether exemption annotations are honoured at all. Default true." },
          requireReason: {
            type: "boolean",
            description: "Whether an exemption needs pgbackupguard.io/exempt-reason. Default true.",
          },
          requireExpiry: {
            type: "boolean",
            description: "Whether an exemption needs pgbackupguard.io/exempt-until. Default false.",
          },
          neverExempt: {
            type: "array",
            maxItems: 1000,
            items: ruleIds.length > 0 ? { type: "string", enum: ruleIds } : { type: "string" },
            description: "Rule ids that can never be exempted, by an annotation or by an entry of resources.",
          },
          resources: resourceExemptionsSchema(ruleIds),
        },
      },
      rules: {
        type: "object",
        additionalProperties: false,
        description: "Per rule: action (deny, warn, audit, off) and parameters. Rules not listed keep their defaults.",
        properties: Object.fromEntries(rules.map((r) => [r.meta.id, ruleEntrySchema(r)])),
      },
      defaults: {
        type: "object",
        additionalProperties: false,
        description: "Per defaulter of the mutating side: enabled and parameters. Defaulters not listed keep their defaults.",
        properties: Object.fromEntries(defaulters.map((d) => [d.meta.id, defaultEntrySchema(d)])),
      },
      ruleErrors: {
        type: "string",
        enum: [...RULE_ERROR_ACTIONS],
        description:
          "What a rule that fails with an internal error on an object becomes: a finding with this action (deny refuses the object, warn and audit report it). Never a silent allow. Default deny.",
      },
    },
  };
}

/** The whole BackupPolicy document (JSON Schema draft 2020-12). */
export function policySchema(
  rules: readonly CatalogRule[] = allRules,
  defaulters: readonly CatalogDefaulter[] = allDefaulters,
): JsonSchema {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: SCHEMA_ID,
    title: POLICY_KIND,
    description:
      "pg-backup-guard BackupPolicy. Generated from the rule and defaulter metadata by scripts/gen-schema.ts; do not edit.",
    type: "object",
    additionalProperties: false,
    required: ["apiVersion", "kind", "metadata"],
    properties: {
      apiVersion: { type: "string", const: POLICY_API_VERSION },
      kind: { type: "string", const: POLICY_KIND },
      metadata: {
        type: "object",
        required: ["name"],
        properties: {
          name: {
            type: "string",
            minLength: 1,
            maxLength: 253,
            pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$",
            description: "The policy's name; it breaks ties between policies of equal priority.",
          },
        },
      },
      spec: specSchema(rules, defaulters),
      // `kubectl get -o yaml` output may carry a status; it is ignored.
      status: { type: "object" },
    },
  };
}

// ---- CustomResourceDefinition ----------------------------------------------------------------------------

// Keywords a Kubernetes structural schema (JSONSchemaProps) accepts as they are.
const KEEP = new Set([
  "description", "type", "format", "title", "maximum", "minimum", "maxLength", "minLength", "pattern",
  "maxItems", "minItems", "multipleOf", "enum", "maxProperties", "minProperties", "required", "nullable",
]);
// Formats whose meaning is the same for ajv-formats and the API server. (`duration` is not: Go's vs ISO 8601.)
const SAME_FORMATS = new Set(["date-time", "date", "email", "uri", "hostname", "ipv4", "ipv6", "uuid", "byte"]);
// JS-only regular expression syntax that Go's RE2 refuses.
const NOT_RE2 = /\(\?[=!<]|\\[1-9]|\\k</;

/**
 * A JSON Schema node as an OpenAPI v3 structural schema: no `$ref`/`const`/`uniqueItems`/junctors, no
 * `additionalProperties` next to `properties` (unknown fields are preserved instead, for the webhook to refuse), one type per
 * node, no defaults (the API server would write them into stored policies and they would then override
 * lower-priority policies). What cannot be expressed is left to the webhook, which validates with ajv.
 */
export function toStructural(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (!KEEP.has(k)) continue;
    if (k === "format" && !SAME_FORMATS.has(String(v))) continue;
    if (k === "pattern" && (typeof v !== "string" || NOT_RE2.test(v))) continue;
    out[k] = structuredClone(v);
  }
  if ("const" in schema) out.enum = [structuredClone(schema.const)];
  if (typeof schema.exclusiveMinimum === "number") Object.assign(out, { minimum: schema.exclusiveMinimum, exclusiveMinimum: true });
  if (typeof schema.exclusiveMaximum === "number") Object.assign(out, { maximum: schema.exclusiveMaximum, exclusiveMaximum: true });

  if (schema.type === undefined && Array.isArray(out.enum) && out.enum.length > 0) {
    // `{enum: [a, b]}` without a type: the values say it (a structural schema needs one).
    const kinds = new Set(out.enum.map((v) => (Number.isInteger(v) ? "integer" : typeof v)));
    const [only] = kinds;
    if (kinds.size === 1 && (only === "string" || only === "integer" || only === "boolean")) out.type = only;
  }
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((t) => t !== "null");
    if (types.length === 1) {
      out.type = types[0];
      if (types.length !== schema.type.length) out.nullable = true;
    } else delete out.type;
  }
  const props = schema.properties;
  if (typeof props === "object" && props !== null) {
    out.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, toStructural(v as JsonSchema)]));
    out.type = "object";
    // Unknown fields are kept, not pruned: the validating webhook refuses them by name (a pruned `spec.rulez` or a
    // misspelt rule id would otherwise vanish silently, e.g. with kubectl apply --validate=false).
    out["x-kubernetes-preserve-unknown-fields"] = true;
  } else if (typeof schema.additionalProperties === "object" && schema.additionalProperties !== null) {
    out.additionalProperties = toStructural(schema.additionalProperties as JsonSchema);
  } else if (out.type === "object" && schema.additionalProperties !== false) {
    out["x-kubernetes-preserve-unknown-fields"] = true;
  }
  if (typeof schema.items === "object" && schema.items !== null && !Array.isArray(schema.items)) {
    out.items = toStructural(schema.items as JsonSchema);
  } else if (out.type === "array") {
    out.items = { "x-kubernetes-preserve-unknown-fields": true };
  }
  if (out.type === undefined) {
    // Several types, or none: accept anything here; ajv in the webhook still checks it.
    return { ...(out.description !== undefined ? { description: out.description } : {}), "x-kubernetes-preserve-unknown-fields": true };
  }
  if (Array.isArray(out.required) && out.properties === undefined) delete out.required;
  return out;
}

/** `spec.rules.<id>.action` as the cluster sees it (see below). */
function actionForCluster(description: unknown): JsonSchema {
  return {
    description: `${String(description)} kubectl reads YAML 1.1, so an unquoted off arrives as the boolean false; pg-backup-guard reads false as off.`,
    "x-kubernetes-preserve-unknown-fields": true,
  };
}

/** The cluster-scoped CustomResourceDefinition `backuppolicies.pgbackupguard.io`, as a plain object. */
export function policyCrd(
  rules: readonly CatalogRule[] = allRules,
  defaulters: readonly CatalogDefaulter[] = allDefaulters,
): JsonSchema {
  const spec = toStructural(specSchema(rules, defaulters));
  // kubectl reads YAML 1.1, where `action: off` is `false`: let the value through; the webhook maps it.
  const ruleProps = (spec.properties as Record<string, JsonSchema>).rules!.properties as Record<string, JsonSchema>;
  for (const entry of Object.values(ruleProps)) {
    const props = entry.properties as Record<string, JsonSchema>;
    props.action = actionForCluster(props.action!.description);
  }
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `backuppolicies.${POLICY_GROUP}` },
    spec: {
      group: POLICY_GROUP,
      scope: "Cluster",
      names: {
        kind: POLICY_KIND,
        listKind: `${POLICY_KIND}List`,
        plural: "backuppolicies",
        singular: "backuppolicy",
        categories: ["pgbackupguard"],
      },
      versions: [
        {
          name: POLICY_VERSION,
          served: true,
          storage: true,
          additionalPrinterColumns: [
            { name: "Priority", type: "integer", jsonPath: ".spec.priority" },
            { name: "RPO", type: "string", jsonPath: ".spec.rpo" },
            { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
          ],
          schema: {
            openAPIV3Schema: {
              type: "object",
              description: "pg-backup-guard BackupPolicy: tunes every backup rule, the defaults injected and exemptions.",
              properties: {
                apiVersion: { type: "string" },
                kind: { type: "string" },
                metadata: { type: "object" },
                spec,
              },
            },
          },
        },
      ],
    },
  };
}
