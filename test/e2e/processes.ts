// Child processes of the e2e harness: each runs in its own process group, is stopped with its whole group,
// and is also stopped when this process ends — normally, on an uncaught failure, on Ctrl-C / SIGTERM, or
// killed with SIGKILL (a small detached watchdog per child kills the group once this process is gone).
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync, rmSync } from "node:fs";

export interface Managed {
  name: string;
  child: ChildProcess;
  log: string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<number | string>;
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<Managed>();
const tempDirs = new Set<string>();

/** A temp dir removed when this process ends before its owner calls releaseTempDir (Ctrl-C, crash). */
export function registerTempDir(dir: string): void {
  installHandlers();
  tempDirs.add(dir);
}

export function releaseTempDir(dir: string): void {
  tempDirs.delete(dir);
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Synchronous last resort: SIGKILL every group still running (exit handlers cannot wait). */
function killAll(): void {
  for (const m of live) killGroup(m.child.pid, "SIGKILL");
  live.clear();
  for (const dir of tempDirs) {
    try {
      if (process.env.PG_BACKUP_GUARD_E2E_KEEP === "1") process.stderr.write(`e2e: logs and data kept in ${dir}\n`);
      else rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
  tempDirs.clear();
}

let handlersInstalled = false;
function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** The last `lines` lines of a log file, for error messages. */
export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Starts `cmd` in its own process group with stdout and stderr appended to `log`. */
export function startProcess(
  name: string,
  cmd: string,
  args: readonly string[],
  log: string,
  env?: NodeJS.ProcessEnv,
  /** removed by the watchdog too when this process was killed without cleaning up */
  cleanupDir?: string,
): Managed {
  installHandlers();
  const fd = openSync(log, "a");
  const child = spawn(cmd, args, { detached: true, stdio: ["ignore", fd, fd], env: env ?? process.env });
  closeSync(fd);
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
    child.once("error", (err) => resolve(`spawn error: ${err.message}`));
  });
  // Watchdog: kills the child's group when this process disappears without running its exit handlers.
  const watchdog =
    child.pid === undefined
      ? undefined
      : spawn(
          "sh",
          [
            "-c",
            `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 1; done; ` +
              `if ! kill -0 ${process.pid} 2>/dev/null; then kill -KILL -${child.pid} 2>/dev/null; ` +
              (cleanupDir && process.env.PG_BACKUP_GUARD_E2E_KEEP !== "1" ? `sleep 1; rm -rf '${cleanupDir.replace(/'/g, "")}'; ` : "") +
              "fi",
          ],
          { detached: true, stdio: "ignore" },
        );
  watchdog?.unref();
  const managed: Managed = {
    name,
    child,
    log,
    exited,
    async stop(graceMs = 5000) {
      if (child.exitCode === null && child.signalCode === null) {
        killGroup(child.pid, "SIGCONT"); // a frozen process cannot handle SIGTERM
        killGroup(child.pid, "SIGTERM");
        const timer = setTimeout(() => killGroup(child.pid, "SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
      killGroup(child.pid, "SIGKILL"); // anything left in the group
      live.delete(managed);
      killGroup(watchdog?.pid, "SIGKILL");
    },
  };
  live.add(managed);
  void exited.then(() => live.delete(managed));
  return managed;
}

/** Sends a signal to the process group (SIGSTOP / SIGCONT to freeze and thaw a server). */
export function signalGroup(m: Managed, signal: NodeJS.Signals): void {
  killGroup(m.child.pid, signal);
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (own process group, killed with it on timeout or Ctrl-C). */
export function run(
  cmd: string,
  args: readonly string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  installHandlers();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    const entry: Managed = {
      name: cmd,
      child,
      log: "",
      exited: Promise.resolve(0),
      stop: async () => {},
    };
    live.add(entry);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${options.timeoutMs} ms)`;
      killGroup(child.pid, "SIGKILL");
    }, options.timeoutMs ?? 60_000);
    child.once("error", (err) => {
      clearTimeout(timer);
      live.delete(entry);
      reject(err);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      live.delete(entry);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}
