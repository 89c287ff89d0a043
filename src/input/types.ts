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
}

/** A document the CLI skipped, and why (Helm values, kustomization.yaml, a bare string, ...). */
export interface IgnoredDocument {
  source: string;
  line: number;
  reason: string;
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
}

export function formatInputError(e: InputError): string {
  const where = e.line === undefined ? e.source : e.col === undefined ? `${e.source}:${e.line}` : `${e.source}:${e.line}:${e.col}`;
  return `${where}: ${e.message}`;
}
