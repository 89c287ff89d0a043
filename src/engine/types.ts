// The contract between the engine, the rules, the defaulters and the edges (CLI, webhook).
// Everything here is plain data; nothing reads files, prints or calls an API server.

import type { FieldSegment } from "./field-path.ts";

export type Action = "deny" | "warn" | "audit" | "off";
export type ReportedAction = Exclude<Action, "off">;

/** A Kubernetes object as parsed from YAML/JSON. Fields are unknown until a rule checks them. */
export interface Resource {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  [key: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * The covered resource types, as keys. Each operator adds its own in `src/operators/<name>/kinds.ts`
 * (`declare module "../../engine/types.ts" { interface ResourceTypes { "group/version/Kind": true } }`), so a
 * rule's `appliesTo` is checked against the types some operator really covers, and adding an operator touches
 * only its own folder.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ResourceTypes {}

/** `group/version/Kind` — the key rules and defaulters use to say what they apply to. */
export type ResourceType = keyof ResourceTypes & string;

/** What a rule reports: where, and a message a person can act on (what is wrong, why, the fix). */
export interface Problem {
  /**
   * Field path in field.Path spelling (src/engine/field-path.ts), e.g. `spec.backup.volumeSnapshot.className`,
   * `spec.plugins[0].parameters`, `spec.postgresql.parameters[pg_stat_statements.max]` (build keys with keyPath).
   */
  path: string;
  message: string;
  /**
   * True when the rule could not decide because a lookup kind is unknown (CLI without inventory) or the
   * cluster could not be reached. Never denied by itself; the edge decides how to show it.
   */
  notChecked?: boolean;
  /** Why it is not checked, when the rule knows better than the engine can tell (see NotChecked.cause). */
  cause?: NotCheckedCause;
}

/**
 * Why a rule could not decide, for machines (the edges branch on it; the reason text is for people):
 * - `lookup-unavailable`: a kind the rule needs is not known (CLI without inventory, cache not synced, API unreachable);
 * - `lookup-disabled`: a kind the rule needs is switched off on purpose (Secrets without --lookup-secrets);
 * - `placeholder`: a value still holds an unresolved `${…}` placeholder (substituted at deploy time);
 * - `undecidable`: the known objects do not settle it (e.g. no namespace and candidates in several).
 */
export type NotCheckedCause = "lookup-unavailable" | "lookup-disabled" | "placeholder" | "undecidable";

/** A problem after the engine attached the rule id and the action from the effective policy. */
export interface Finding {
  rule: string;
  action: ReportedAction;
  path: string;
  message: string;
  /** The path's segments (parseFieldPath of `path`): set by the CLI, which reports where the field is. */
  field?: FieldSegment[];
  /** 1-based line of the field (or of the nearest written field above it) in the source: set by the CLI. */
  line?: number;
  /**
   * `lookup-missing`: the finding exists only because an object it names was not found, and the engine was told
   * (`lookupMissing: "warn"`, at admission) to warn about such findings instead of denying them. Set only then.
   * `rule-error`: the rule threw; the action is the policy's `spec.ruleErrors` (default deny), see docs/policy.md.
   * `pre-existing`: a deny on a metadata-only UPDATE, reported as a warning (the update did not cause it).
   */
  cause?: "lookup-missing" | "rule-error" | "pre-existing";
}

/** A rule the engine could not evaluate for this resource (lookup kind unknown, API unreachable). */
export interface NotChecked {
  rule: string;
  path: string;
  reason: string;
  cause: NotCheckedCause;
}

/**
 * Kinds of other objects a rule may look up, as keys: the generic ones here, each operator's own in its
 * `kinds.ts` (module augmentation, like ResourceTypes). Where each lives and what its cache keeps:
 * src/lookups/kinds.ts. `Secret`: names only (lookups never hold a Secret's data).
 */
export interface LookupKinds {
  VolumeSnapshotClass: true;
  StorageClass: true;
  Namespace: true;
  Secret: true;
}

export type LookupKind = keyof LookupKinds & string;

/**
 * Read access to other objects. Synchronous on purpose: the CLI inventory and the webhook's informer
 * caches are both in memory, so a rule never waits on the network.
 */
export interface Lookups {
  /** Whether this kind is known at all (some object of it was seen, or a live cluster backs it). */
  isKnown(kind: LookupKind): boolean;
  /** The object, `null` when the kind is known and the object does not exist, `undefined` when the kind is unknown. */
  get(kind: LookupKind, namespace: string | undefined, name: string): Resource | null | undefined;
  /** Every object of the kind (in the namespace, for namespaced kinds), or `undefined` when the kind is unknown. */
  list(kind: LookupKind, namespace?: string): Resource[] | undefined;
  /** Why lookups are unavailable (e.g. "API server unreachable"), when they are; shown in not-checked reasons. */
  unavailableReason?(kind: LookupKind): string | undefined;
  /**
   * Whether the kind is switched off on purpose (Secrets without `serve --lookup-secrets`): unknown like an
   * unavailable kind, but not a failure, so `--lookup-failure deny` never denies because of it.
   */
  isDisabled?(kind: LookupKind): boolean;
  /**
   * A value derived from the objects of `kinds` (an index), built once by `build` and reused until one of those
   * kinds changes (an object added, updated or deleted; a cache turning usable or not). Optional: `indexOf` in
   * rules/util.ts builds the value each time when a Lookups has no memo. `key` names what is built.
   */
  memo?<T>(kinds: readonly LookupKind[], key: string, build: () => T): T;
}

/** JSON Schema (draft 2020-12 subset understood by ajv) of a rule's policy parameters. */
export type JsonSchema = Record<string, unknown>;

export interface RuleDocs {
  /** One line, shown by `rules` and in the README table. */
  summary: string;
  /** Why the rule exists, with the operator behaviour behind it. */
  rationale: string;
  /** A YAML fragment that the rule reports. */
  bad: string;
  /** The same fragment, fixed. */
  good: string;
  /** How to fix a finding. */
  fix: string;
}

export interface RuleMeta {
  id: string;
  /** Which resource types the engine runs the rule on. */
  appliesTo: ResourceType[];
  defaultAction: Action;
  /** JSON Schema properties of the rule's parameters (besides `action`), with defaults. */
  params: Record<string, JsonSchema>;
  /** Lookup kinds the rule needs; when any is unknown the rule is not checked, never denied. */
  lookups?: LookupKind[];
  /** Runs only in `pg-backup-guard audit` (live objects and their status), never at admission or in `validate`. */
  auditOnly?: boolean;
  docs: RuleDocs;
}

/** What a rule sees. The same in CI and at admission: a rule never knows where it runs. */
export interface RuleContext<P = Record<string, unknown>> {
  /** The rule's parameters: its defaults merged with the policy's values. */
  params: P;
  /** Settings that several rules share (e.g. the RPO). */
  policy: PolicySettings;
  lookups: Lookups;
  /** The time "now" for next-fire-time messages and exemption expiry. Injected so tests are stable. */
  now: Date;
  operation: Operation;
  /** On UPDATE, the object before the change (the webhook passes it; the CLI never has one). */
  oldResource?: Resource;
  /**
   * Who wrote a field the user may not have written: `crd` (the CRD's structural default, applied by the API server)
   * or `policy` (one of our defaults). `undefined` means written by the user, or not known: at admission the API
   * server has already defaulted the object, so the webhook cannot tell. Messages use it to say "unset, so the CRD
   * default X applies"; verdicts must never depend on it (the CLI and the webhook must agree).
   */
  origin?: (path: string) => FieldOrigin | undefined;
  /** Whether another rule runs on this resource (its action is not off and it is not exempted): one problem, one finding. */
  ruleActive?: (id: string) => boolean;
  /** Another rule's effective parameters (a default that follows another rule's, e.g. backup-stale's maxBackupAge). */
  ruleParams?: (id: string) => Record<string, unknown> | undefined;
}

export type FieldOrigin = "crd" | "policy";

export type Operation = "CREATE" | "UPDATE";

export interface Rule<P = Record<string, unknown>> {
  meta: RuleMeta;
  check(resource: Resource, ctx: RuleContext<P>): Problem[];
}

/** Settings shared by rules and defaulters, from the policy's top level. */
export interface PolicySettings {
  /** Recovery point objective in seconds. */
  rpoSeconds: number;
}

/** One value a defaulter wrote: the field (dotted path, as in findings), the value, and why, for people. */
export interface Injection {
  path: string;
  value: unknown;
  /** Why this value, e.g. "the default VolumeSnapshotClass of driver ebs.csi.aws.com". */
  why?: string;
}

/** A default the mutating side injects. Works on a private deep copy; returns what it changed. */
export interface Defaulter<P = Record<string, unknown>> {
  meta: {
    id: string;
    appliesTo: ResourceType[];
    /**
     * Operations it runs on (default both). Defaults that change a running system's behaviour (retention, a WAL
     * archiver, snapshot classes) are CREATE-only: on UPDATE the object is already running.
     */
    operations?: Operation[];
    /** Whether it runs when the policy says nothing. */
    enabledByDefault: boolean;
    params: Record<string, JsonSchema>;
    description: string;
  };
  /** Mutates `resource` in place (the engine hands it a copy). Returns what it wrote. */
  apply(resource: Resource, ctx: RuleContext<P>): Injection[];
}

/** What the API server itself did to a custom resource before any webhook: a CRD structural default or pruning. */
export interface ApiServerChange {
  kind: "default" | "prune";
  path: string;
  value?: unknown;
}

/** One pass of the API server over a custom resource: the object it continues with, and what it changed. */
export type ApiServerPass = (resource: Resource) => { resource: Resource; changes: ApiServerChange[] };

/**
 * The API server's own handling of a custom resource, simulated: `received` runs on the request body before
 * any webhook (pruning, then CRD defaults); `afterMutation` runs after a mutating webhook's non-empty patch
 * (CRD defaults only: unknown fields a webhook adds are pruned only when the object is stored, after validation).
 */
export interface ApiServerStage {
  received: ApiServerPass;
  afterMutation: ApiServerPass;
}

/** The engine's verdict on one resource. */
export interface Evaluation {
  allowed: boolean;
  findings: Finding[];
  notChecked: NotChecked[];
  /** Exemptions of the resource (its annotations, then the policy's `spec.exemptions.resources`): applied, or ignored with why. */
  exemptions: ExemptionEntry[];
  /** The rules that ran (applicable, not off, not exempted), in catalog order: JUnit makes one testcase each. */
  evaluatedRules: string[];
}

export interface ExemptionEntry {
  rule: string;
  reason: string;
  until?: string;
  /** Whether the exemption takes effect; when false, `ignoredBecause` says why. */
  applied: boolean;
  ignoredBecause?: string;
  /** Where it was written: `annotation` (on the resource) or `policy <name>` (its `spec.exemptions.resources`). */
  source: string;
}
