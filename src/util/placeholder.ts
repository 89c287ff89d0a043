// Substitution placeholders left in GitOps sources: Flux post-build `${VAR}` / `${VAR:=default}` and the like.
// A value that still holds one is not a real name: it is resolved at deploy time, so it can match nothing.

const PLACEHOLDER = /\$\{[^}]*\}/;

/** Whether the string still contains an unresolved `${…}` placeholder. */
export function hasPlaceholder(value: unknown): value is string {
  return typeof value === "string" && value.includes("${") && PLACEHOLDER.test(value);
}

/** The first placeholder in the string, for messages (`${APP}`). */
export function firstPlaceholder(value: string): string | undefined {
  return PLACEHOLDER.exec(value)?.[0];
}
