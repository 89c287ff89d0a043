// pgBackRest's option names, for pgo-global-option-keys. Taken from pgBackRest's option table
// (src/build/config/config.yaml at tag release/2.59.1, https://github.com/pgbackrest/pgbackrest/blob/release/2.59.1/src/build/config/config.yaml):
// every `option:` entry, indexed ones (group repo / pg) without their `repo-` / `pg-` prefix, plus the deprecated
// names pgBackRest still accepts. A newer pgBackRest may know more: pgo-global-option-keys' extraKnownOptions adds them.

/** Options without an index (`archive-async`, `process-max`), and deprecated un-indexed names (`retention-full`, `repo-path`: repo 1). */
export const PLAIN_OPTIONS: ReadonlySet<string> = new Set([
  "allow-root", "annotation", "archive-async", "archive-check", "archive-copy", "archive-expire-before",
  "archive-get-queue-max", "archive-header-check", "archive-missing-retry", "archive-mode", "archive-mode-check",
  "archive-push-batch-size", "archive-push-queue-max", "archive-queue-max", "archive-timeout", "backup-cmd",
  "backup-config", "backup-host", "backup-ssh-port", "backup-standby", "backup-user", "beta", "buffer-size",
  "checksum-page", "cipher-pass", "cmd", "cmd-ssh", "compress", "compress-level", "compress-level-network",
  "compress-type", "config", "config-include-path", "config-path", "db-cmd", "db-config", "db-exclude", "db-host",
  "db-include", "db-path", "db-port", "db-socket-path", "db-ssh-port", "db-timeout", "db-user", "delta",
  "detail-level", "dry-run", "exclude", "exec-id", "expire-auto", "filter", "force", "hardlink", "help",
  "ignore-missing", "io-timeout", "job-retry", "job-retry-interval", "link-all", "link-map", "lock", "lock-path",
  "log-level-console", "log-level-file", "log-level-stderr", "log-path", "log-subprocess", "log-timestamp",
  "manifest-save-threshold", "neutral-umask", "oldest", "online", "output", "page-header-check", "pg",
  "pg-version-force", "priority", "process", "process-max", "protocol-timeout", "raw", "recovery-option", "recurse",
  "reference", "remote-type", "repo", "repo-cipher-pass", "repo-cipher-type", "repo-path", "repo-s3-bucket",
  "repo-s3-ca-file", "repo-s3-ca-path", "repo-s3-endpoint", "repo-s3-host", "repo-s3-key", "repo-s3-key-secret",
  "repo-s3-region", "repo-s3-verify-ssl", "repo-target-time", "repo-type", "report", "resume", "retention-archive",
  "retention-archive-type", "retention-diff", "retention-full", "sck-block", "sck-keep-alive", "set", "sort",
  "spool-path", "stanza", "start-fast", "stop-auto", "tablespace-map", "tablespace-map-all", "target",
  "target-action", "target-exclusive", "target-timeline", "tcp-keep-alive-count", "tcp-keep-alive-idle",
  "tcp-keep-alive-interval", "tls-cipher-12", "tls-cipher-13", "tls-server-address", "tls-server-auth",
  "tls-server-ca-file", "tls-server-cert-file", "tls-server-key-file", "tls-server-port", "type", "verbose",
  "version",
]);

/** Options of a repo, written `repo<N>-<name>` (`repo1-retention-full`). */
export const REPO_OPTIONS: ReadonlySet<string> = new Set([
  "azure-account", "azure-ca-file", "azure-ca-path", "azure-container", "azure-endpoint", "azure-host", "azure-key",
  "azure-key-type", "azure-port", "azure-uri-style", "azure-verify-tls", "block", "block-age-map",
  "block-checksum-size-map", "block-size-map", "block-size-super", "block-size-super-full", "bundle", "bundle-limit",
  "bundle-size", "cipher-pass", "cipher-type", "gcs-bucket", "gcs-endpoint", "gcs-key", "gcs-key-type",
  "gcs-user-project", "hardlink", "host", "host-ca-file", "host-ca-path", "host-cert-file", "host-cmd",
  "host-config", "host-config-include-path", "host-config-path", "host-key-file", "host-port", "host-type",
  "host-user", "local", "path", "retention-archive", "retention-archive-type", "retention-diff", "retention-full",
  "retention-full-type", "retention-history", "s3-bucket", "s3-ca-file", "s3-ca-path", "s3-endpoint", "s3-host",
  "s3-key", "s3-key-secret", "s3-key-type", "s3-kms-key-id", "s3-port", "s3-process-cmd", "s3-region",
  "s3-requester-pays", "s3-role", "s3-service", "s3-sse-customer-key", "s3-sts-host", "s3-token", "s3-uri-style",
  "s3-verify-ssl", "s3-verify-tls", "sftp-host", "sftp-host-fingerprint", "sftp-host-key-check-type",
  "sftp-host-key-hash-type", "sftp-host-port", "sftp-host-user", "sftp-known-host", "sftp-private-key-file",
  "sftp-private-key-passphrase", "sftp-public-key-file", "storage-ca-file", "storage-ca-path", "storage-host",
  "storage-port", "storage-tag", "storage-upload-chunk-size", "storage-verify-tls", "symlink", "type",
]);

/** Options of a PostgreSQL host, written `pg<N>-<name>` (`pg1-path`). */
export const PG_OPTIONS: ReadonlySet<string> = new Set([
  "database", "host", "host-ca-file", "host-ca-path", "host-cert-file", "host-cmd", "host-config",
  "host-config-include-path", "host-config-path", "host-key-file", "host-port", "host-type", "host-user", "local",
  "path", "port", "socket-path", "user",
]);

/** Deprecated PostgreSQL host options, written `db<N>-<name>`. */
export const DB_OPTIONS: ReadonlySet<string> = new Set([
  "cmd", "config", "host", "path", "port", "socket-path", "ssh-port", "user",
]);
