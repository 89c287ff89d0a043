// Help texts. Kept next to each other so `--help` and docs/cli.md stay consistent.

export const MAIN_USAGE = `Usage: pg-backup-guard <command> [options]

Enforces backup policy on CloudNativePG, CYBERTEC PostgreSQL operator (CPO) and Crunchy Data PGO resources.

Commands:
  validate [PATH...|-]      check manifests (files, directories, - for stdin); exit 1 when something is denied
  mutate   [PATH...|-]      print the manifests with the defaults the webhook would inject
  rules                     list the rules with their default actions
  explain <rule-id>         show a rule's documentation: rationale, parameters, bad and good examples, fix
  schedule "<cron>" --dialect cnpg|cpo|pgo
                            show how an operator reads a backup schedule and when it fires
  test [DIR...]             run policy tests: resources with the verdicts a policy must give them
  serve                     run the admission webhook (see: pg-backup-guard serve --help)
  audit                     judge what runs in a live cluster, status included (read-only; PolicyReports optional)
  completion bash|zsh|fish  print a shell completion script
  help [command]            help for a command (same as pg-backup-guard <command> --help)

Options:
  -h, --help                help for a command (pg-backup-guard <command> --help)
  -v, --version             print the version

Exit codes: 0 nothing denied, 1 at least one deny finding (validate) or an invalid cron (schedule),
            2 usage error, unreadable file, unparsable YAML or invalid policy.
`;

export const VALIDATE_USAGE = `Usage: pg-backup-guard validate [PATH...|-] [options]

Simulates admission of every CloudNativePG / CPO resource in the input: injects the defaults the mutating
webhook would add, then checks the result against the policy. Other kinds are ignored (but used as lookups).

PATH is a file, a directory (recursive: *.yaml, *.yml, *.json; dot-directories and node_modules skipped)
or - for stdin (e.g. helm template ... | pg-backup-guard validate -). Multi-document YAML, JSON and
kubectl List output are read.

Options:
  --policy FILE          BackupPolicy file merged over the built-in recommended policy (repeatable)
  --lookup PATH          objects that exist in the cluster (VolumeSnapshotClass, StorageClass, ObjectStore,
                         Cluster, ScheduledBackup, Namespace, CPO postgresql, Secret: by name only, its data is
                         dropped); used by lookup rules, never validated (repeatable)
  --kubeconfig FILE      list those objects from a live cluster instead (read-only; 10 s timeout)
  -n, --namespace NS     namespace of objects that have none after kustomizations are applied (Flux and
                         Argo CD set it at deploy time; without it, an unset namespace matches any in lookups)
  --var KEY=VALUE        Flux post-build variable: \${KEY} and \${KEY:=default} are substituted before
                         parsing, as flux envsubst does (repeatable; overrides --vars-file)
  --vars-file FILE       variables from a KEY=VALUE file, or a ConfigMap/Secret manifest's data (repeatable)
  --exclude GLOB         leave out matching files or directories, e.g. '*.enc.yaml', 'clusters/*/flux-system'
                         (repeatable)
  --crd PATH             CustomResourceDefinitions installed in the target cluster (e.g. another operator
                         version); their schemas replace the built-in ones for pruning and defaulting (repeatable)
  --no-defaults          judge the manifests as written: no simulated mutating webhook (the CRDs' own
                         defaults and pruning still apply, as in the API server)
  -o, --format FORMAT    text (default), json, junit, sarif or github
  --output FILE          write the report to FILE instead of stdout
  --fail-on LEVEL        deny (default): exit 1 on a deny finding; warn: exit 1 on a warn finding too
  -q, --quiet            text: list only resources with findings; no notes on stderr
  -h, --help             this help

A kustomization.yaml that lists a file gives its objects its namespace: (as kustomize build would). Raw Helm
templates and kustomize patches in a directory are skipped with a note; names that still hold a \${VAR}
placeholder match nothing, so lookups that need them are reported as not checked.
Every output lists the defaults that were injected and the fields the API server drops.

Exit codes: 0 nothing denied, 1 at least one deny finding (or warn, with --fail-on warn), 2 usage error,
            unreadable file, unparsable YAML or invalid policy.
`;

export const MUTATE_USAGE = `Usage: pg-backup-guard mutate [PATH...|-] [options]

Prints the input as YAML with the defaults the mutating webhook would inject (comments and formatting of
untouched parts are kept; other documents pass through unchanged). What changed is listed on stderr.

Options:
  --policy FILE          BackupPolicy file merged over the built-in recommended policy (repeatable)
  --lookup PATH          objects that exist in the cluster, used to infer defaults (repeatable)
  -n, --namespace NS     namespace of objects that have none after kustomizations are applied
  --var KEY=VALUE        Flux post-build variable, substituted before parsing (repeatable)
  --vars-file FILE       variables from a KEY=VALUE file or a ConfigMap/Secret manifest (repeatable)
  --exclude GLOB         leave out matching files or directories (repeatable)
  -h, --help             this help

The output is the input as written (substituted when --var/--vars-file is given) plus our defaults; the
CRDs' own defaults, which the API server adds, are not written into it.

Exit codes: 0 success (mutate never denies), 2 usage error, unreadable file, unparsable YAML or invalid policy.
`;

export const RULES_USAGE = `Usage: pg-backup-guard rules [--format text|json]

Lists every rule: id, default action, the kinds it applies to and a one-line summary.
`;

export const EXPLAIN_USAGE = `Usage: pg-backup-guard explain <rule-id> [--format text|json]

Shows a rule's documentation: summary, rationale, parameters with defaults, a reported and a fixed example,
and how to fix a finding. Exit code 2 for an unknown rule id.
`;

export const SCHEDULE_USAGE = `Usage: pg-backup-guard schedule "<cron>" --dialect DIALECT [--count N] [--now TIME] [--format text|json]

Shows how the operator reads a backup schedule: the fields, warnings (e.g. a 5-field CNPG string is read
seconds first), the next fire times (UTC) and the shortest and longest gap between them.

Options:
  --dialect DIALECT      robfig-v1 (alias cnpg): CNPG ScheduledBackup (robfig/cron v1, 6 fields, seconds first);
                         kubernetes (aliases cpo, pgo): CPO and PGO pgBackRest repo schedules
                         (Kubernetes CronJob, 5 fields)
  --count N              number of next fire times to show (default 5, at most 100)
  --now TIME             compute fire times from TIME (RFC 3339, e.g. 2026-01-15T12:00:00Z) instead of now
  --format FORMAT        text (default) or json
  -h, --help             this help

Exit codes: 0 valid, 1 the operator would reject the schedule (or it never fires), 2 usage error.
`;

export const TEST_USAGE = `Usage: pg-backup-guard test [PATH...]

Runs policy tests, like kyverno test: every pg-backup-guard-test.yaml under each directory (default: .), or the
files given. A test file lists resources, the policies to apply and the expected verdict per resource or rule:

  apiVersion: pgbackupguard.io/v1alpha1
  kind: PolicyTest
  policies: [../policies/prod.yaml]      # relative to the test file; merged over the built-in policy
  resources: [manifests/]                # files or directories
  lookups: [cluster-objects.yaml]        # optional, as validate --lookup (also: crds, namespace, vars, noDefaults, now)
  results:
  - {kind: Cluster, name: orders, rule: cnpg-backup-required, result: deny}
  - {kind: ScheduledBackup, name: orders-daily, result: pass, defaults: [cnpg-backup-owner-reference]}

result: deny, warn or audit (the rule's finding, or the worst finding without rule), pass (no finding), skip (not
checked). defaults: exactly the defaults expected to be injected. Schema: schemas/policytest.schema.json.

Exit codes: 0 every test passed, 1 a test failed, 2 usage error or invalid test file.
`;

export const COMPLETION_USAGE = `Usage: pg-backup-guard completion bash|zsh|fish

Prints a completion script for the shell: commands, each command's flags, rule ids for explain, files.
  bash: pg-backup-guard completion bash > /etc/bash_completion.d/pg-backup-guard
  zsh:  pg-backup-guard completion zsh > "\${fpath[1]}/_pg-backup-guard"
  fish: pg-backup-guard completion fish > ~/.config/fish/completions/pg-backup-guard.fish
`;

export const AUDIT_USAGE = `Usage: pg-backup-guard audit [--kubeconfig FILE] [--context C] [--namespace NS | -A] [--policy FILE]
                             [--format text|json|junit|sarif] [--policy-reports]

Reads every covered resource of a live cluster (read-only, in pages) and judges each as stored (no defaults
injected) with the webhook's engine and policy, plus the audit-only rules that need live objects and their
status: cnpg-scheduled-backup-missing, cnpg-backup-cluster-exists, backup-stale, wal-archiving-failing.

Options:
  --kubeconfig FILE        kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, else the in-cluster account)
  --context C              a context of the kubeconfig instead of its current one
  -n, --namespace NS       report only the objects of namespace NS (lookups still come from the whole cluster)
  -A, --all-namespaces     report every namespace (the default)
  --policy FILE            BackupPolicy file(s) instead of the cluster's BackupPolicy objects (repeatable)
  -o, --format FMT         text (default; grouped by namespace, worst first), json, junit or sarif
  --policy-reports         also write wgpolicyk8s.io/v1alpha2 PolicyReports (one per namespace) and a
                           ClusterPolicyReport, replacing earlier results; RBAC: deploy/overlays/audit-policy-reports
  -h, --help               show this help

A progress line is shown on stderr when the output is a terminal. Docs: docs/audit.md.

Exit codes: 0 nothing denied, 1 at least one deny finding, 2 usage error, unreachable cluster, invalid policy,
            or PolicyReports that could not be written.
`;

/** Every command's --help but serve's (cli/serve.ts: its defaults come from the webhook modules, loaded only by serve). */
export const COMMAND_HELP: Record<string, string> = {
  validate: VALIDATE_USAGE,
  mutate: MUTATE_USAGE,
  rules: RULES_USAGE,
  explain: EXPLAIN_USAGE,
  schedule: SCHEDULE_USAGE,
  test: TEST_USAGE,
  completion: COMPLETION_USAGE,
  audit: AUDIT_USAGE,
};
