// Reading a file named by a user or a pull request: only regular files, never more than a limit. A size from
// stat() alone is no bound: it is 0 for /dev/zero, /dev/urandom and FIFOs (which also block on open), and for
// files under /proc. So the file is opened without blocking, checked with fstat on the open descriptor (no race
// with a swapped symlink), and read in chunks that stop one byte past the limit.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

export type ReadFileResult = { ok: true; text: string } | { ok: false; message: string; tooLarge?: number };

const CHUNK = 1024 * 1024;

function kindOf(stat: import("node:fs").Stats): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a named pipe (FIFO)";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  if (stat.isSocket()) return "a socket";
  return "not a regular file";
}

/** A file-system error in words (ENOENT: "no such file or directory"). */
export function fsMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    case "ELOOP":
      return "too many levels of symbolic links";
    default:
      return String(e?.message ?? err);
  }
}

/**
 * The UTF-8 text of a regular file of at most `maxBytes` bytes (symbolic links followed). Anything else — a
 * device, a FIFO, a socket, a directory, a longer file — is an error value with a message; never a hang, never
 * more than `maxBytes + 1` bytes in memory. `tooLarge` carries the size seen when the limit was passed.
 */
export function readRegularFile(path: string, maxBytes: number): ReadFileResult {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    return { ok: false, message: fsMessage(err) };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { ok: false, message: "is a directory" };
    if (!stat.isFile()) return { ok: false, message: `${kindOf(stat)}, not a regular file; only regular files are read` };
    if (stat.size > maxBytes) return { ok: false, message: `larger than the ${maxBytes}-byte limit`, tooLarge: stat.size };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EAGAIN") return { ok: false, message: "not ready for reading (EAGAIN); only regular files are read" };
        throw err;
      }
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      // The size said otherwise (a /proc file, a file growing while read): the limit holds all the same.
      if (total > maxBytes) return { ok: false, message: `larger than the ${maxBytes}-byte limit`, tooLarge: total };
    }
    return { ok: true, text: Buffer.concat(chunks, total).toString("utf8") };
  } catch (err) {
    return { ok: false, message: fsMessage(err) };
  } finally {
    closeSync(fd);
  }
}
