import type { Document, LineCounter } from "yaml";
import type { Resource } from "../engine/types.ts";

/** Where a document or resource came from: a file path as the user gave it, or `<stdin>`. */
export const STDIN_SOURCE = "<stdin>";

/** An error the user must fix (unreadable file, bad YAML). Always a value, never thrown at the edge. */
export interface InputError {
  source: string;
  line?: number;
  col?: number;
  message: string;
}

/** One Kubernetes object found in the input, with the line where it starts. */
export interface ManifestObject {
  source: string;
  /** 1-based line of the object's first key (its document start, or its item in a List). */
  line: number;
  object: Resource;
  /** Index of the YAML document in its source. */
  doc: number;
  /** Index in `items` when the object came from a `kind: List` / `*List`. */
  item?: number;
  /**
   * [start, end) offsets in the source text of the object's document, from the start of the line of its first node
   * (set by the fast parser, whose sources keep no YAML nodes: src/input/locate.ts reads the events the fast parser
   * kept for the object, or, for an object without them, parses only this slice again).
   */
  span?: [number, number];
}

/** A document the CLI skipped, and why (Helm values, kustomization.yaml, a bare string, ...). */
export interface IgnoredDocument {
  source: string;
  line: number;
  reason: string;
}

/**
 * The namespace kustomize gives the objects of a file: the `namespace:` of the outermost kustomization that
 * (directly or through nested kustomizations) lists the file. See `kustomize.ts`.
 */
export interface NamespaceAssignment {
  namespace: string;
  /** The kustomization file whose `namespace:` set it. */
  kustomization: string;
}

/**
 * An input file the CLI did not validate, and why: an unrendered Helm template, a Helm chart's `templates/`,
 * a kustomize patch. Never an error (the exit code does not change); the CLI prints it on stderr.
 */
export interface SkippedInput {
  /** The file, or the chart directory for a chart's templates. */
  source: string;
  /** Where the evidence is (the first `{{ ... }}`), when there is one line to point at. */
  line?: number;
  /** What it is, e.g. `looks like a Helm template ({{ ... }} at line 3)`. */
  reason: string;
  /** What to run instead, e.g. `render it first: helm template <release> <chart> | pg-backup-guard validate -`. */
  hint: string;
  /** Every file skipped for this entry (a chart skips all its templates with one entry). */
  files: string[];
}

/** Something worth telling the user that is not an error (a kustomization we could not follow, a `${...}` Flux would reject). */
export interface InputNotice {
  source: string;
  line?: number;
  message: string;
}

export interface ParsedSource {
  source: string;
  text: string;
  /**
   * The parsed YAML documents, kept for `mutate`, which edits them to preserve comments. Present only when the
   * source was read with `editable: true` (the fast path of `validate` does not build them).
   */
  documents?: Document.Parsed[];
  lineCounter?: LineCounter;
  objects: ManifestObject[];
  ignored: IgnoredDocument[];
  /**
   * Set by `loadSources(..., { kustomize: true })` when a kustomization lists this file: the namespace kustomize
   * would give its objects. Not applied to `objects`: use `kustomizedNamespace` (kustomize.ts) per object.
   */
  kustomizeNamespace?: NamespaceAssignment;
  /**
   * Set by `loadSources(..., { vars })`: names of `${VAR}` placeholders with no value and no default, left as
   * written (in order of first use). Empty when everything resolved.
   */
  unresolvedVars?: string[];
}

export function formatInputError(e: InputError): string {
  const where = e.line === undefined ? e.source : e.col === undefined ? `${e.source}:${e.line}` : `${e.source}:${e.line}:${e.col}`;
  return `${where}: ${e.message}`;
}

/** `charts/db: skipped: a Helm chart's templates (3 files, not rendered); render it first: helm template ...`. */
export function formatSkipped(s: SkippedInput): string {
  return `${s.source}: skipped: ${s.reason}; ${s.hint}`;
}
