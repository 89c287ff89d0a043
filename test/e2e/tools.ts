// Where the e2e tools are: the binaries scripts/e2e/build-tools.ts caches for the pinned versions, else PATH.
// Tests that need a tool skip with a visible message when toolPath() returns undefined.
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { binDir, moduleOf, type ToolName } from "../../scripts/e2e/versions.ts";

export type { ToolName };

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of the tool: the cached pinned build first, then the first match on PATH. */
export function toolPath(name: ToolName): string | undefined {
  const cached = join(binDir(moduleOf(name)), name);
  if (executable(cached)) return cached;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

/** The message a test skips with when the tool is missing. */
export function missingToolMessage(name: ToolName): string {
  return `${name} not found (run: node scripts/e2e/build-tools.ts, or put ${name} on PATH)`;
}
