// The schema of a `pg-backup-guard test` file (see src/cli/policy-test.ts), published as schemas/policytest.schema.json.

export const TEST_API_VERSION = "pgbackupguard.io/v1alpha1";
export const RESULTS = ["deny", "warn", "audit", "pass", "skip"] as const;

/** The JSON Schema of a test file (also written to schemas/policytest.schema.json by scripts/gen-schema.ts). */
export const POLICY_TEST_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://pgbackupguard.io/schemas/policytest.schema.json",
  title: "pg-backup-guard policy test",
  type: "object",
  required: ["apiVersion", "kind", "resources", "results"],
  additionalProperties: false,
  properties: {
    apiVersion: { const: TEST_API_VERSION },
    kind: { const: "PolicyTest" },
    metadata: { type: "object", properties: { name: { type: "string" } } },
    policies: { description: "BackupPolicy files (relative to this file), merged over the built-in policy", type: "array", items: { type: "string", minLength: 1 } },
    resources: { description: "manifest files or directories (relative to this file)", type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
    lookups: { description: "objects that exist in the cluster (as validate --lookup)", type: "array", items: { type: "string", minLength: 1 } },
    crds: { description: "CRDs installed in the cluster (as validate --crd)", type: "array", items: { type: "string", minLength: 1 } },
    namespace: { description: "namespace of resources without one (as validate --namespace)", type: "string", pattern: "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$" },
    vars: { description: "Flux variables (as validate --var)", type: "object", additionalProperties: { type: "string" } },
    noDefaults: { description: "judge the manifests as written (as validate --no-defaults)", type: "boolean" },
    now: { description: "the time the tests run at (RFC 3339), for schedules and exemption expiry", type: "string", format: "date-time" },
    results: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["kind", "name", "result"],
        additionalProperties: false,
        properties: {
          kind: { type: "string", minLength: 1 },
          name: { type: "string", minLength: 1 },
          namespace: { type: "string" },
          rule: { description: "a rule id; without it, the resource's overall verdict", type: "string", minLength: 1 },
          result: { enum: [...RESULTS] },
          defaults: { description: "ids of the defaults expected to be injected (exactly these)", type: "array", items: { type: "string" } },
        },
      },
    },
  },
} as const;

