// Helpers shared by the audit-only rules: they read live objects' status, which only `pg-backup-guard audit` sees.
import type { Resource } from "../../../engine/types.ts";
import { getArray, getPath, isObject, type JsonObject } from "../../../util/object.ts";

/** A timestamp field (RFC 3339, as the API server writes metav1.Time) as epoch milliseconds, or undefined. */
export function timeOf(value: unknown): number | undefined {
  if (typeof value !== "string" || value.length > 64) return undefined;
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}

/** "3d4h ago" for a past instant (two units at most: an age, not a stopwatch); "in the future" when a clock is ahead. */
export function ago(thenMs: number, nowMs: number): string {
  const s = Math.floor((nowMs - thenMs) / 1000);
  if (s < 0) return "in the future";
  const [d, h, m] = [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60)];
  if (d > 0) return `${d}d${h > 0 ? `${h}h` : ""} ago`;
  if (h > 0) return `${h}h${m > 0 ? `${m}m` : ""} ago`;
  return m > 0 ? `${m}m ago` : `${s}s ago`;
}

/** `spec.replica.enabled: true`: a replica cluster (its source cluster is the one that is backed up). */
export function isReplicaCluster(cluster: Resource): boolean {
  return getPath(cluster, "spec.replica.enabled") === true;
}

/** A status condition (metav1.Condition) by type, with its index in `status.conditions`. */
export function conditionOf(r: Resource, type: string): { index: number; condition: JsonObject } | undefined {
  const list = getArray(r, "status.conditions") ?? [];
  for (const [index, c] of list.entries()) if (isObject(c) && c.type === type) return { index, condition: c };
  return undefined;
}

/** A string from the API server shown in a message: bounded, one line. */
export function shown(value: unknown, max = 300): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? "";
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
