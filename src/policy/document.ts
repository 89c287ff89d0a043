// The BackupPolicy resource as written by a person (a CRD object in the cluster, a file for the CLI).
import type { Action, ReportedAction } from "../engine/types.ts";
import type { ExemptionSettings, LabelSelector, ResourceExemption } from "./types.ts";

export const POLICY_GROUP = "pgbackupguard.io";
export const POLICY_VERSION = "v1alpha1";
export const POLICY_API_VERSION = `${POLICY_GROUP}/${POLICY_VERSION}`;
export const POLICY_KIND = "BackupPolicy";

/** One rule's entry under `spec.rules`: an optional action and any of the rule's parameters, as written. */
export type PolicyRuleEntry = { action?: Action } & Record<string, unknown>;

/** One defaulter's entry under `spec.defaults`. */
export type PolicyDefaultEntry = { enabled?: boolean } & Record<string, unknown>;

export interface PolicyMatchSpec {
  namespaces?: string[];
  excludeNamespaces?: string[];
  namespaceSelector?: LabelSelector;
}

/** `spec` of a BackupPolicy after validation. Everything is optional: absent means "keep the default". */
export interface PolicySpec {
  /** A duration (`5m`, `1h30m`). */
  rpo?: string;
  /** Order among policies matching one namespace: ascending, then by name; later ones override. */
  priority?: number;
  match?: PolicyMatchSpec;
  exemptions?: Partial<Omit<ExemptionSettings, "resources">> & { resources?: ResourceExemption[] };
  /** What a rule that throws becomes: deny (default), warn or audit. */
  ruleErrors?: ReportedAction;
  rules?: Record<string, PolicyRuleEntry>;
  defaults?: Record<string, PolicyDefaultEntry>;
}

/** A validated BackupPolicy and where it came from. */
export interface PolicyDocument {
  /** `metadata.name`. */
  name: string;
  spec: PolicySpec;
  /** File path, `-` for stdin, or e.g. `cluster` for an object read from the API server. */
  source: string;
  /** 1-based line of the document's start in `source`, when it came from text. */
  line?: number;
}

/** A mistake in a policy: where (file, line, dotted field path) and what to do about it. */
export interface PolicyError {
  source: string;
  line?: number;
  /** Dotted field path inside the document, e.g. `spec.rules.schedule-too-rare.maxInterval`; `""` for the whole document. */
  path: string;
  message: string;
}

export type PolicyParseResult = { ok: true; policies: PolicyDocument[] } | { ok: false; errors: PolicyError[] };

/** `source:line: path: message`, the one-line form the CLI prints. */
export function formatPolicyError(e: PolicyError): string {
  const where = e.line !== undefined ? `${e.source}:${e.line}` : e.source;
  return e.path ? `${where}: ${e.path}: ${e.message}` : `${where}: ${e.message}`;
}
