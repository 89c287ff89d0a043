// The pinned e2e tool versions and where their binaries are cached. The versions are read from the build
// modules' go.mod files in scripts/e2e/go/ so that they are written down once.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export type ToolName = "kubectl" | "helm" | "kube-apiserver" | "etcd";

export interface ToolModule {
  /** folder under scripts/e2e/go/ */
  dir: string;
  /** the Go module whose version keys the cache */
  module: string;
  /** binaries built from it: name → Go package */
  binaries: Partial<Record<ToolName, string>>;
}

export const GO_DIR = join(dirname(fileURLToPath(import.meta.url)), "go");

export const TOOL_MODULES: readonly ToolModule[] = [
  {
    dir: "kubernetes",
    module: "k8s.io/kubernetes",
    binaries: { "kube-apiserver": "k8s.io/kubernetes/cmd/kube-apiserver", kubectl: "k8s.io/kubernetes/cmd/kubectl" },
  },
  { dir: "etcd", module: "go.etcd.io/etcd/server/v3", binaries: { etcd: "." } },
  { dir: "helm", module: "helm.sh/helm/v4", binaries: { helm: "helm.sh/helm/v4/cmd/helm" } },
];

/** The version the build module in scripts/e2e/go/<dir>/go.mod requires, e.g. "v1.36.3". */
export function pinnedVersion(tool: ToolModule): string {
  const gomod = readFileSync(join(GO_DIR, tool.dir, "go.mod"), "utf8");
  for (const line of gomod.split("\n")) {
    const words = line.replace(/\/\/.*$/, "").trim().split(/\s+/);
    if (words[0] === "require") words.shift();
    if (words.length === 2 && words[0] === tool.module && words[1]!.startsWith("v")) return words[1]!;
  }
  throw new Error(`scripts/e2e/go/${tool.dir}/go.mod does not require ${tool.module}`);
}

/** ~/.cache/pg-backup-guard-e2e (or $PG_BACKUP_GUARD_E2E_CACHE, or under $XDG_CACHE_HOME). */
export function cacheRoot(): string {
  const explicit = process.env.PG_BACKUP_GUARD_E2E_CACHE;
  if (explicit) return explicit;
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith("/") ? xdg : join(homedir(), ".cache"), "pg-backup-guard-e2e");
}

/** The cache folder of one build module at its pinned version: <cache>/<dir>-<version>/bin. */
export function binDir(tool: ToolModule): string {
  return join(cacheRoot(), `${tool.dir}-${pinnedVersion(tool)}`, "bin");
}

export function moduleOf(name: ToolName): ToolModule {
  const tool = TOOL_MODULES.find((t) => t.binaries[name] !== undefined);
  if (!tool) throw new Error(`unknown e2e tool ${name}`);
  return tool;
}
