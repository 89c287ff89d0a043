// Serving certificate from files, reloaded without a restart when they change (cert-manager rotation).
// Secret volumes swap a `..data` symlink, so the directories are watched, not the files; a slow poll
// covers file systems where fs.watch says nothing.
import { watch, readFileSync, type FSWatcher } from "node:fs";
import { dirname } from "node:path";
import { createSecureContext, type SecureContextOptions } from "node:tls";
import type { Server } from "node:https";
import type { Logger } from "pino";

export const TLS_MIN_VERSION = "TLSv1.2" as const;

/** TLS 1.3 suites: Node's (OpenSSL's) defaults, unchanged. All AEAD with forward secrecy by design. */
export const TLS13_CIPHERS = ["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"];
/**
 * TLS 1.2 suites: ECDHE key exchange (forward secrecy) with an AEAD cipher (GCM, ChaCha20-Poly1305) only. Node's
 * default list also allows CBC with SHA-1/SHA-2 MACs, DHE, and OpenSSL's `HIGH` (CCM8 among them).
 */
export const TLS12_CIPHERS = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
];
/** The default `--tls-ciphers`: OpenSSL cipher-list syntax, TLS 1.3 names (TLS_*) and TLS 1.2 names together. */
export const DEFAULT_TLS_CIPHERS = [...TLS13_CIPHERS, ...TLS12_CIPHERS].join(":");

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  /** OpenSSL cipher list (default DEFAULT_TLS_CIPHERS); kept across certificate reloads. */
  ciphers?: string;
}

/** Reads and checks a key pair (throws when unreadable, the key does not match the certificate, or no cipher matches). */
export function readTls(files: TlsFiles): SecureContextOptions & { cert: Buffer; key: Buffer } {
  const options = {
    cert: readFileSync(files.certFile),
    key: readFileSync(files.keyFile),
    minVersion: TLS_MIN_VERSION,
    ciphers: files.ciphers ?? DEFAULT_TLS_CIPHERS,
    // The server picks from its own list in its order (strongest first), not the client's.
    honorCipherOrder: true,
  };
  createSecureContext(options);
  return options;
}

export class CertReloader {
  private readonly watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  private current: string;
  private readonly server: Server;
  private readonly files: TlsFiles;
  private readonly log: Logger;
  private readonly onReload: ((ok: boolean) => void) | undefined;

  constructor(
    server: Server,
    files: TlsFiles,
    log: Logger,
    options: { pollMs?: number; debounceMs?: number; onReload?: (ok: boolean) => void; initial?: { cert: Buffer; key: Buffer } } = {},
  ) {
    this.server = server;
    this.files = files;
    this.log = log;
    this.onReload = options.onReload;
    const initial = options.initial ?? readTls(files);
    this.current = fingerprint(initial.cert, initial.key);
    const debounce = options.debounceMs ?? 100;
    for (const dir of new Set([dirname(files.certFile), dirname(files.keyFile)])) {
      try {
        const w = watch(dir, () => this.schedule(debounce));
        w.on("error", (err) => log.warn({ err, dir }, "certificate directory watch failed; relying on polling"));
        this.watchers.push(w);
      } catch (err) {
        log.warn({ err, dir }, "cannot watch certificate directory; relying on polling");
      }
    }
    this.poll = setInterval(() => this.reload(), options.pollMs ?? 60_000);
    this.poll.unref();
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.reload();
    }, ms);
    this.timer.unref();
  }

  /** Loads the files again; switches the server over only when they changed and form a valid pair. */
  reload(): boolean {
    let next;
    try {
      next = readTls(this.files);
    } catch (err) {
      // Mid-rotation the key and certificate can disagree for a moment: keep serving the old pair.
      this.log.warn({ err: String(err) }, "certificate files unreadable or mismatched; keeping the current certificate");
      this.onReload?.(false);
      return false;
    }
    const fp = fingerprint(next.cert, next.key);
    if (fp === this.current) return false;
    this.server.setSecureContext(next);
    this.current = fp;
    this.log.info({ certFile: this.files.certFile }, "serving certificate reloaded");
    this.onReload?.(true);
    return true;
  }

  close(): void {
    for (const w of this.watchers) w.close();
    this.watchers.length = 0;
    if (this.timer) clearTimeout(this.timer);
    if (this.poll) clearInterval(this.poll);
  }
}

function fingerprint(cert: Buffer, key: Buffer): string {
  return `${cert.toString("base64")}|${key.length}|${key.toString("base64").slice(-32)}`;
}
