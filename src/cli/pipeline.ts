// What `validate` and `mutate` share: read inputs, build lookups, pick the policy, simulate admission.
import type { AdmitOptions, MutationResult } from "../engine/engine.ts";
import { judge } from "../engine/judge.ts";
import type { ApiServerStage, Evaluation, Finding, Lookups, Resource } from "../engine/types.ts";
import { parseFieldPath } from "../engine/field-path.ts";
import { fieldLine } from "../input/locate.ts";
import { resourceTypeOf } from "../engine/resource.ts";
import { InventoryLookups } from "../lookups/inventory.ts";
import { loadSources, loadVars, type Outcome } from "../input/read.ts";
import { CLUSTER_SCOPED_KINDS, kustomizedNamespace } from "../input/kustomize.ts";
import { formatInputError, formatSkipped, type ManifestObject, type ParsedSource } from "../input/types.ts";
import type { PolicyUse, ResourceResult, RunReport } from "../report/model.ts";
import { BUILTIN_POLICY_NAME } from "../policy/builtin.ts";
import { loadPolicy, type PolicyResolver } from "./policy.ts";

export interface PipelineOptions {
  paths: readonly string[];
  policyPaths: readonly string[];
  lookupPaths: readonly string[];
  kubeconfig?: string;
  readStdin: () => Promise<Outcome<string>>;
  /** Keep the YAML documents so they can be edited (mutate); validate takes the faster parser. */
  editable?: boolean;
  /** `--namespace`: the namespace of objects that have none (after kustomizations are applied). */
  namespace?: string;
  /** `--vars-file` files and `--var K=V` flags: Flux-style `${VAR}` substitution before parsing, when any is given. */
  varsFiles?: readonly string[];
  varFlags?: readonly string[];
  /** false (`--no-kustomize`): ignore kustomization.yaml files around the inputs. Default true. */
  kustomize?: boolean;
  /** `--exclude GLOB`: input files left out (see `isExcluded` in input/read.ts). */
  exclude?: readonly string[];
}

export interface Prepared {
  sources: ParsedSource[];
  lookups: Lookups;
  resolver: PolicyResolver;
  /** Things worth telling the user on stderr (e.g. a kind the cluster would not let us list). */
  notes: string[];
}

export type PrepareOutcome = { ok: true; prepared: Prepared } | { ok: false; errors: string[] };

export async function prepare(options: PipelineOptions): Promise<PrepareOutcome> {
  const varsFiles = options.varsFiles ?? [];
  const varFlags = options.varFlags ?? [];
  let vars: Map<string, string> | undefined;
  if (varsFiles.length > 0 || varFlags.length > 0) {
    const loadedVars = loadVars(varsFiles, varFlags);
    if (!loadedVars.ok) return { ok: false, errors: [formatInputError(loadedVars.error)] };
    vars = loadedVars.value;
  }
  const loadOptions = { editable: options.editable ?? false, kustomize: options.kustomize ?? true, ...(vars ? { vars } : {}) };
  const loaded = await loadSources(options.paths, options.readStdin, { ...loadOptions, exclude: options.exclude ?? [] });
  if (!loaded.ok) return { ok: false, errors: [formatInputError(loaded.error)] };
  const inventory =
    options.lookupPaths.length > 0
      ? await loadSources(options.lookupPaths, options.readStdin, { ...loadOptions, editable: false, locate: false })
      : { ok: true as const, value: [], skipped: [], notices: [] };
  if (!inventory.ok) return { ok: false, errors: [`--lookup: ${formatInputError(inventory.error)}`] };

  const policy = loadPolicy(options.policyPaths);
  if (!policy.ok) return { ok: false, errors: policy.errors };

  const notes: string[] = [];
  // Files skipped (raw Helm templates, kustomize patches) and input notices: never silent, never an exit code.
  for (const sk of loaded.skipped) notes.push(formatSkipped(sk));
  for (const n of loaded.notices) notes.push(formatInputError(n));
  for (const sk of inventory.skipped) notes.push(`--lookup: ${formatSkipped(sk)}`);
  for (const n of inventory.notices) notes.push(`--lookup: ${formatInputError(n)}`);
  if (vars) {
    const unresolved = [...new Set(loaded.value.flatMap((s) => s.unresolvedVars ?? []))];
    if (unresolved.length > 0) {
      const shown = unresolved.slice(0, 10).map((v) => `\${${v}}`).join(", ");
      const more = unresolved.length > 10 ? ` and ${unresolved.length - 10} more` : "";
      notes.push(`no value for ${shown}${more}: left as written, so names holding them match nothing (pass --var or --vars-file)`);
    }
  }
  let lookups: InventoryLookups;
  if (options.kubeconfig !== undefined) {
    const { kubeLookups } = await import("./kube-lookups.ts");
    const live = await kubeLookups(options.kubeconfig);
    if (!live.ok) return { ok: false, errors: [`--kubeconfig: ${live.message}`] };
    lookups = live.lookups;
    notes.push(...live.notes);
  } else lookups = new InventoryLookups();
  // Namespaces set outside the files, before anything looks objects up: the kustomization's `namespace:`
  // (it overrides the file's own, as kustomize does), then `--namespace` for objects that still have none.
  for (const s of [...inventory.value, ...loaded.value]) {
    for (const o of s.objects) o.object = withNamespaces(o.object, s.kustomizeNamespace?.namespace, options.namespace);
  }
  // Objects applied together count as existing: an ObjectStore next to its Cluster in one manifest set.
  for (const s of [...inventory.value, ...loaded.value]) for (const o of s.objects) lookups.add(o.object);

  return { ok: true, prepared: { sources: loaded.value, lookups, resolver: policy.resolver, notes } };
}

/**
 * The object's namespace as deployed: `kustomized` (a kustomization's `namespace:`) replaces its own, then
 * `fallback` (`--namespace`) fills in a missing one. Cluster-scoped kinds are left alone.
 */
export function withNamespaces(obj: Resource, kustomized: string | undefined, fallback: string | undefined): Resource {
  const k = kustomized === undefined ? undefined : kustomizedNamespace(obj, { namespace: kustomized, kustomization: "" });
  const withK = k !== undefined && k !== obj.metadata.namespace ? { ...obj, metadata: { ...obj.metadata, namespace: k } } : obj;
  return fallback === undefined ? withK : withDefaultNamespace(withK, fallback);
}

/** The object with `namespace` filled in when it has none (cluster-scoped kinds are left alone). */
export function withDefaultNamespace(obj: Resource, namespace: string): Resource {
  if (CLUSTER_SCOPED_KINDS.has(obj.kind) || (typeof obj.metadata.namespace === "string" && obj.metadata.namespace !== "")) return obj;
  return { ...obj, metadata: { ...obj.metadata, namespace } };
}

export interface Admitted {
  input: ManifestObject;
  mutation: MutationResult;
  evaluation: Evaluation;
}

/**
 * The findings with their field's segments and line in the source (the resource's own line when the field cannot
 * be found). Sources without findings are never parsed again.
 */
function located(source: ParsedSource, input: ManifestObject, findings: Finding[]): Finding[] {
  if (findings.length === 0) return findings;
  return findings.map((f) => {
    const field = parseFieldPath(f.path);
    return { ...f, field, line: (field.length > 0 ? fieldLine(source, input, field) : undefined) ?? input.line };
  });
}

/** Which policies were considered for a resource in its namespace: the built-in one always applies. */
export function policyUses(resolver: PolicyResolver, namespace: string | undefined, labels: Record<string, string> | undefined): PolicyUse[] | undefined {
  if (!resolver.describe) return undefined;
  return [
    { name: BUILTIN_POLICY_NAME, applied: true, why: "the built-in recommended policy applies everywhere" },
    ...resolver.describe(namespace, labels).map((m) => ({ name: m.name, applied: m.matches, why: m.reason })),
  ];
}

export interface AdmitAllOptions {
  /** The API server's CRD pruning and defaulting, simulated before our mutation and after it. */
  apiServer?: ApiServerStage;
  /** false (`--no-defaults`): judge the manifests as written, without our mutating webhook. */
  defaults?: boolean;
}

/** Simulates admission of every covered object, in input order. */
export function admitAll(prepared: Prepared, now: Date, options: AdmitAllOptions = {}): { admitted: Admitted[]; report: RunReport } {
  const admitted: Admitted[] = [];
  const results: ResourceResult[] = [];
  for (const source of prepared.sources) {
    for (const input of source.objects) {
      if (!resourceTypeOf(input.object)) continue;
      const meta = input.object.metadata;
      const namespace = typeof meta.namespace === "string" && meta.namespace !== "" ? meta.namespace : null;
      const admitOptions: AdmitOptions = {};
      if (options.apiServer) admitOptions.apiServer = options.apiServer;
      if (options.defaults === false) admitOptions.defaults = false;
      // A manifest without a namespace (or with a `${NS}` placeholder, resolved only at deploy time) gets only the
      // policies that do not select namespaces (as the policy layer defines): judge() decides that, as at admission.
      const j = judge({ object: input.object }, { policies: prepared.resolver, lookups: prepared.lookups, now }, "admit", admitOptions);
      if (!j.applies) continue; // the CLI's resolver always has the built-in policy
      const out = j.admission;
      const known = j.namespace;
      const labels = j.labels;
      admitted.push({ input, mutation: out, evaluation: out.evaluation });
      results.push({
        source: input.source,
        line: input.line,
        apiVersion: input.object.apiVersion,
        kind: input.object.kind,
        namespace,
        name: typeof meta.name === "string" ? meta.name : null,
        allowed: out.evaluation.allowed,
        findings: located(source, input, out.evaluation.findings),
        notChecked: out.evaluation.notChecked,
        exemptions: out.evaluation.exemptions,
        changes: out.changes,
        apiServer: out.apiServer,
        evaluatedRules: out.evaluation.evaluatedRules,
      });
      const uses = policyUses(prepared.resolver, known, labels);
      if (uses) results[results.length - 1]!.policies = uses;
    }
  }
  const report: RunReport = {
    results,
    sources: prepared.sources.map((s) => s.source),
    ignored: prepared.sources.flatMap((s) => s.ignored),
    policies: prepared.resolver.names,
  };
  return { admitted, report };
}
