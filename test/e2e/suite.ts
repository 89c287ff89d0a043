// One e2e suite = one control plane: `e2eSuite(name, (cluster) => { it(...) })` starts a Cluster before its
// tests and stops it after them (also when a test or the start fails). Skipped with a visible reason when
// ../shared or the tools are missing.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe } from "node:test";
import { Cluster, repoRoot, skipReason, type StartOptions } from "./cluster.ts";
import { missingToolMessage, toolPath } from "./tools.ts";

function helmSkipReason(): string | undefined {
  if (toolPath("helm") === undefined) return missingToolMessage("helm");
  if (!existsSync(join(repoRoot, "charts", "pg-backup-guard", "Chart.yaml"))) return "charts/pg-backup-guard does not exist";
  return undefined;
}

export function e2eSuite(name: string, body: (cluster: () => Cluster) => void, options: StartOptions = {}): void {
  const skip = skipReason() ?? (options.install === "helm" ? helmSkipReason() : undefined);
  if (skip) process.stderr.write(`e2e: skipping "${name}": ${skip}\n`);
  describe(name, { skip: skip ?? false }, () => {
    let cluster: Cluster | undefined;
    before(async () => {
      cluster = await Cluster.start(options);
    }, { timeout: 300_000 });
    after(async () => {
      await cluster?.stop();
    });
    body(() => {
      if (!cluster) throw new Error("the e2e cluster did not start (see the before hook's error)");
      return cluster;
    });
  });
}
