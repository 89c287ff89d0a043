// The policy module's public API: load and validate BackupPolicy documents, merge them, pick per namespace.
export * from "./document.ts";
export { parsePolicyText, loadPolicyFiles, MAX_POLICY_BYTES, type LoadOptions } from "./load.ts";
export { validatePolicyObject, formatPath, didYouMean, type ValidateResult, type Locate } from "./validate.ts";
export { mergePolicies, byPriority } from "./merge.ts";
export { PolicySet, type PolicyMatchInfo } from "./set.ts";
export { matchPolicy, globMatches, selectorMatches, type MatchResult } from "./match.ts";
export { policySchema, policyCrd, toStructural } from "./schema.ts";
export { recommendedPolicy, BUILTIN_POLICY_NAME } from "./builtin.ts";
export type { EffectivePolicy, RuleSetting, DefaulterSetting, ExemptionSettings, LabelSelector } from "./types.ts";
