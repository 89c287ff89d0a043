import type { Action, JsonSchema, PolicySettings, ReportedAction } from "../engine/types.ts";

/** How one rule is configured once the policy is merged over the built-in recommended policy. */
export interface RuleSetting {
  action: Action;
  /** The rule's parameters: defaults from its meta, overridden by the policy. */
  params: Record<string, unknown>;
}

export interface DefaulterSetting {
  enabled: boolean;
  params: Record<string, unknown>;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }[];
}

export interface PolicyMatch {
  /** Empty means every namespace. */
  namespaces: string[];
  excludeNamespaces: string[];
  namespaceSelector?: LabelSelector;
}

export interface ExemptionSettings {
  /** Whether `pgbackupguard.io/exempt` annotations are honoured at all. */
  allowed: boolean;
  /** Whether an exemption without `pgbackupguard.io/exempt-reason` is ignored. */
  requireReason: boolean;
  /** Whether an exemption without `pgbackupguard.io/exempt-until` is ignored. */
  requireExpiry: boolean;
  /** Rules that can never be exempted (by an annotation or by a policy's `resources` entry). */
  neverExempt: string[];
  /**
   * `spec.exemptions.resources` of every policy merged in, in merge order: exemptions that do not need the resource
   * edited. Absent when no policy has any. `allowed`, `requireReason` and `requireExpiry` are about annotations only.
   */
  resources?: PolicyExemption[];
}

/** One entry of `spec.exemptions.resources` as written: which resources, which rules, why and until when. */
export interface ResourceExemption {
  /** Kind names (`Cluster`, `ScheduledBackup`, `postgresql`); absent means every kind. */
  kinds?: string[];
  /** Namespace names or `*` globs, as in `spec.match.namespaces`; absent means every namespace. */
  namespaces?: string[];
  /** Resource names or `*` globs; absent means every name. */
  names?: string[];
  /** A label selector on the resource's own labels. */
  selector?: LabelSelector;
  rules: string[];
  reason: string;
  /** A date (valid through that day, UTC) or an RFC 3339 time. Required: every policy exemption ends. */
  until: string;
}

/** A `spec.exemptions.resources` entry once merged: which policy it came from, and where in it. */
export interface PolicyExemption extends ResourceExemption {
  policy: string;
  /** Its index in the policy's `spec.exemptions.resources`. */
  index: number;
}

/** A policy ready for the engine: every rule and defaulter has a setting. */
export interface EffectivePolicy {
  /** Names of the policies merged into this one, built-in first; shown in messages and logs. */
  sources: string[];
  settings: PolicySettings;
  rules: Map<string, RuleSetting>;
  defaults: Map<string, DefaulterSetting>;
  exemptions: ExemptionSettings;
  /**
   * What a rule that throws on an object becomes: a finding of this action (`spec.ruleErrors`). Absent means
   * `deny`: a rule that could not look at an object never lets it through unseen.
   */
  ruleErrors?: ReportedAction;
}

/** The values of `spec.ruleErrors`. */
export const RULE_ERROR_ACTIONS = ["deny", "warn", "audit"] as const satisfies readonly ReportedAction[];
export const DEFAULT_RULE_ERRORS: ReportedAction = "deny";

export type { JsonSchema };
