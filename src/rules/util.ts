// Helpers shared by rule modules.
import type { LookupKind, Lookups, Problem } from "../engine/types.ts";

export function problem(path: string, message: string): Problem {
  return { path, message };
}

/** The problem to return when a rule needs an object of a kind that is not known here. */
export function notChecked(lookups: Lookups, kind: LookupKind, path: string): Problem {
  const why =
    lookups.unavailableReason?.(kind) ??
    `no ${kind} objects are known (pass them with --lookup, or validate against a live cluster)`;
  return { path, message: why, notChecked: true };
}
