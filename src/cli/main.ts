// The CLI entry point: dispatches a command, turns every user error into a message and exit code 2.
import { UsageError } from "./args.ts";
import { makeIo, type Io, type IoOptions } from "./io.ts";
import { MAIN_USAGE } from "./usage.ts";
import { version } from "./version.ts";
import { suggestIds } from "../report/rules.ts";

/** The Io as options again, so `help <command>` runs the command with the same streams. */
function ioOptionsOf(io: Io): IoOptions {
  return { stdout: io.stdout, stderr: io.stderr, stdin: undefined, isTTY: io.isTTY, env: io.env, now: io.now };
}

type Command = (args: readonly string[], io: Io) => number | Promise<number>;

// Each command is imported on demand: `rules` need not load YAML, and only `serve` loads express.
const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: async () => (await import("./validate.ts")).validateCommand,
  mutate: async () => (await import("./mutate.ts")).mutateCommand,
  rules: async () => (await import("./rules.ts")).rulesCommand,
  explain: async () => (await import("./rules.ts")).explainCommand,
  schedule: async () => (await import("./schedule.ts")).scheduleCommand,
  test: async () => (await import("./policy-test.ts")).testCommand,
  completion: async () => (await import("./completion.ts")).completionCommand,
  audit: async () => (await import("./audit.ts")).auditCommand,
  serve: async () => (await import("./serve.ts")).serveCommand,
};

function usageHint(command: string | undefined): string {
  return command ? `Run "pg-backup-guard ${command} --help" for usage.` : `Run "pg-backup-guard --help" for usage.`;
}

export async function main(argv: string[], ioOptions: IoOptions = {}): Promise<number> {
  const io = makeIo(ioOptions);
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "-h" || command === "--help" || (command === "help" && rest.length === 0)) {
      io.stdout(MAIN_USAGE);
      return command === undefined ? 2 : 0;
    }
    // `help validate` is `validate --help`.
    if (command === "help") return await main([rest[0]!, "--help"], ioOptionsOf(io));
    if (command === "-v" || command === "--version" || command === "version") {
      io.stdout(`${version()}\n`);
      return 0;
    }
    const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!load) {
      const hints = suggestIds(command.slice(0, 100), [...Object.keys(COMMANDS), "help", "version"]);
      const mean = hints.length > 0 ? `; did you mean "${hints[0]}"?` : "";
      throw new UsageError(`unknown command "${command.slice(0, 100)}"${mean}`, "");
    }
    return await (await load())(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`pg-backup-guard: ${err.message}\n${usageHint(err.command || undefined)}\n`);
      return 2;
    }
    // Not a user error, but still no stack trace unless asked for: say what failed and how to get details.
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`pg-backup-guard: internal error: ${message}\n`);
    if (io.env.PG_BACKUP_GUARD_DEBUG) io.stderr(`${(err as Error)?.stack ?? ""}\n`);
    return 2;
  }
}
