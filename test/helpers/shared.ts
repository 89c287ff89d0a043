// The steering repo's shared/ folder (upstream CRDs and samples) sits beside the project as ../shared.
// Tests that read it skip with a visible message when it is absent.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const sharedDir = resolve(repoRoot, "..", "shared");
export const hasShared = existsSync(join(sharedDir, "upstream"));
export const SKIP_NO_SHARED = `../shared is absent (expected at ${sharedDir}): upstream CRDs and samples are not available`;

export function sharedPath(...parts: string[]): string {
  return join(sharedDir, ...parts);
}

/** The YAML files under `dir`, recursively, sorted. */
export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

/** A new temporary directory holding `files` (relative path -> text, folders made as needed); the caller removes it. */
export function writeTree(files: Record<string, string>, prefix = "pgbg-tree-"): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
