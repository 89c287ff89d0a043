// What the CLI benches share: the `validate` pipeline run in-process (bench/validate.ts times it against the parser
// alone; bench/cli-e2e.ts against the real command), and the median of a sample.
import { parseSource } from "../src/input/read.ts";
import { admitAll, type Prepared } from "../src/cli/pipeline.ts";
import { loadPolicy } from "../src/cli/policy.ts";
import { InventoryLookups } from "../src/lookups/inventory.ts";
import { apiServerStage } from "../src/crd/stage.ts";
import { builtinCrdSchemas } from "../src/crd/schemas.ts";
import { resetScheduleCaches } from "../src/cron/index.ts";
import type { RunReport } from "../src/report/model.ts";

/** The clock every bench run judges with (the mixes' schedules and exemptions are fixed against it). */
export const BENCH_NOW = new Date("2026-01-15T12:00:00Z");

/**
 * What `validate --lookup INVENTORY --policy FILE...` runs, in-process: policy load, parse with lines, lookups from
 * the inventory and the input, the API server's CRD stage, simulated admission (mutate + validate). Every call starts
 * with empty schedule caches, as a fresh process does; the CRD stage is built once.
 */
export function validatePipeline(input: string, inventory: string, policyPaths: readonly string[]): () => RunReport {
  const stage = apiServerStage(builtinCrdSchemas());
  return () => {
    resetScheduleCaches();
    const policy = loadPolicy([...policyPaths]);
    if (!policy.ok) throw new Error(policy.errors.join("\n"));
    const parsed = parseSource(input, "bench.yaml", false);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const lookups = new InventoryLookups();
    if (inventory) {
      const inv = parseSource(inventory, "inventory.yaml", false);
      if (!inv.ok) throw new Error(inv.error.message);
      for (const o of inv.parsed.objects) lookups.add(o.object);
    }
    for (const o of parsed.parsed.objects) lookups.add(o.object);
    const prepared: Prepared = { sources: [parsed.parsed], lookups, resolver: policy.resolver, notes: [] };
    return admitAll(prepared, BENCH_NOW, { apiServer: stage, defaults: true }).report;
  };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
