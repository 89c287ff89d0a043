// The CLI's contact with the process, injectable so tests run `main()` in-process.
// read.ts is imported on first use only: it pulls in the parsers and every rule, which --version and --help never need.
import type { Outcome } from "../input/read.ts";

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads stdin once; later calls get the same text (validate and --lookup may both say `-`). */
  readStdin(): Promise<Outcome<string>>;
  /** Whether stdout is a terminal (colour is used only then, and only without NO_COLOR). */
  isTTY: boolean;
  env: Record<string, string | undefined>;
  now(): Date;
}

export interface IoOptions {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Text, or a stream, to use as stdin. */
  stdin?: string | AsyncIterable<Buffer | string>;
  isTTY?: boolean;
  env?: Record<string, string | undefined>;
  now?: () => Date;
}

export function makeIo(options: IoOptions = {}): Io {
  let stdinResult: Promise<Outcome<string>> | undefined;
  const stdin = options.stdin;
  return {
    stdout: options.stdout ?? ((t) => void process.stdout.write(t)),
    stderr: options.stderr ?? ((t) => void process.stderr.write(t)),
    readStdin: () =>
      (stdinResult ??=
        typeof stdin === "string"
          ? Promise.resolve({ ok: true, value: stdin })
          : import("../input/read.ts").then(({ readStream }) => readStream(stdin ?? process.stdin))),
    isTTY: options.isTTY ?? Boolean(process.stdout.isTTY),
    env: options.env ?? process.env,
    now: options.now ?? (() => new Date()),
  };
}

/**
 * Colour as Node itself decides it: FORCE_COLOR (any value but 0/false) turns it on, FORCE_COLOR=0 off; else
 * NO_COLOR (non-empty) or TERM=dumb turn it off; else only on a terminal.
 */
export function useColor(io: Io): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  const noColor = io.env.NO_COLOR;
  return io.isTTY && (noColor === undefined || noColor === "") && io.env.TERM !== "dumb";
}
