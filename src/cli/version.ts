import { readFileSync } from "node:fs";

/** The package version; read only when asked (src/cli and dist/cli are both two levels below the root). */
export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : "unknown";
  } catch {
    return "unknown";
  }
}
