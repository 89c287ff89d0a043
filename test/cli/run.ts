// Runs the CLI in-process with captured output (no build needed).
import { main } from "../../src/cli/main.ts";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function run(
  argv: string[],
  options: { stdin?: string; isTTY?: boolean; env?: Record<string, string | undefined>; now?: Date } = {},
): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdin: options.stdin ?? "",
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
    now: () => options.now ?? new Date("2026-01-15T12:00:00Z"),
  });
  return { code, stdout, stderr };
}
