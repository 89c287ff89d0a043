// Argument parsing on top of node:util parseArgs, with user errors as values.
import { parseArgs, type ParseArgsConfig } from "node:util";

/** A mistake on the command line: printed as one line plus a usage hint, exit code 2. */
export class UsageError extends Error {
  readonly command: string;
  constructor(message: string, command: string) {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}

export type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Parsed {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/** parseArgs' messages carry a long hint about `--`; the first sentence is what the user needs. */
function shortMessage(err: unknown): string {
  const message = String((err as Error)?.message ?? err);
  const first = message.split(/\.\s/)[0] ?? message;
  return first.replace(/\.$/, "");
}

export function parse(command: string, args: readonly string[], options: Options): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    return { values: values as Parsed["values"], positionals };
  } catch (err) {
    throw new UsageError(shortMessage(err), command);
  }
}

export function stringList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
}

export function oneOf<T extends string>(command: string, flag: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(", ")} (got "${String(value)}")`, command);
}
