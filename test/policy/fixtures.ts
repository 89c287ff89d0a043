// A small, stable rule and defaulter catalog, so these tests do not change when real rules do.
import type { Defaulter, Rule } from "../../src/engine/types.ts";
import { DURATION_PATTERN } from "../../src/util/duration.ts";
import { recommendedPolicy } from "../../src/policy/builtin.ts";
import type { EffectivePolicy } from "../../src/policy/types.ts";

const docs = { summary: "test rule", rationale: "", bad: "", good: "", fix: "" };
const duration = (d: string) => ({ type: "string", pattern: DURATION_PATTERN, default: d });

export const testRules: Rule[] = [
  {
    meta: {
      id: "schedule-too-rare",
      appliesTo: ["postgresql.cnpg.io/v1/ScheduledBackup"],
      defaultAction: "deny",
      params: { maxInterval: duration("7d") },
      docs,
    },
    check: () => [],
  },
  {
    meta: {
      id: "schedule-too-frequent",
      appliesTo: ["postgresql.cnpg.io/v1/ScheduledBackup"],
      defaultAction: "deny",
      params: { minInterval: duration("1h"), ignoreIncremental: { type: "boolean", default: true } },
      docs,
    },
    check: () => [],
  },
  {
    meta: {
      id: "cnpg-backup-target",
      appliesTo: ["postgresql.cnpg.io/v1/Cluster"],
      defaultAction: "warn",
      params: {},
      docs,
    },
    check: () => [],
  },
  {
    meta: {
      id: "cnpg-backup-required",
      appliesTo: ["postgresql.cnpg.io/v1/Cluster"],
      defaultAction: "deny",
      params: {
        backupPlugins: { type: "array", items: { type: "string", minLength: 1 }, default: ["barman-cloud.cloudnative-pg.io"] },
        maxInstances: { type: "integer", minimum: 1, maximum: 10, default: 3 },
      },
      docs,
    },
    check: () => [],
  },
];

export const testDefaulters: Defaulter[] = [
  {
    meta: {
      id: "cnpg-backup-target",
      appliesTo: ["postgresql.cnpg.io/v1/Cluster"],
      enabledByDefault: true,
      params: { target: { type: "string", enum: ["prefer-standby", "primary"], default: "prefer-standby" } },
      description: "sets spec.backup.target",
    },
    apply: () => [],
  },
  {
    meta: {
      id: "cpo-retention-full",
      appliesTo: ["cpo.opensource.cybertec.at/v1/postgresql"],
      enabledByDefault: false,
      params: { count: { type: "integer", minimum: 1, default: 7 }, type: { type: "string", default: "count" } },
      description: "sets repoN-retention-full",
    },
    apply: () => [],
  },
];

export const catalog = { rules: testRules, defaulters: testDefaulters };

export function testBase(): EffectivePolicy {
  return recommendedPolicy(testRules, testDefaulters);
}

/** A BackupPolicy YAML text with the given name and spec lines (indented by the caller's 2 spaces). */
export function policyYaml(name: string, spec: string): string {
  return `apiVersion: pgbackupguard.io/v1alpha1\nkind: BackupPolicy\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
}
