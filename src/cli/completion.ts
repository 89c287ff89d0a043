// `pg-backup-guard completion bash|zsh|fish`: shell completion, derived from the commands' --help texts so a
// new flag is completed as soon as it is documented.
import { allRules } from "../rules/index.ts";
import { parse, UsageError } from "./args.ts";
import type { Io } from "./io.ts";
import { COMMAND_HELP, COMPLETION_USAGE } from "./usage.ts";
import { SERVE_USAGE } from "./serve.ts";

export const SHELLS = ["bash", "zsh", "fish"] as const;

/** The long flags a help text documents (`--policy`, `-n, --namespace`), in order, without duplicates. */
export function flagsOf(help: string): string[] {
  const flags: string[] = [];
  for (const line of help.split("\n")) {
    const m = /^\s{2,}(?:-[a-zA-Z], )?(--[a-z][a-z0-9-]*)/.exec(line);
    if (m && !flags.includes(m[1]!)) flags.push(m[1]!);
  }
  return flags;
}

/** Command -> its flags, for every command with a help text. */
export function completionTable(): Map<string, string[]> {
  const helps: [string, string][] = [...Object.entries(COMMAND_HELP), ["serve", SERVE_USAGE]];
  return new Map(helps.map(([command, help]) => [command, flagsOf(help)]));
}

function bash(table: Map<string, string[]>, ruleIds: string[]): string {
  const cases = [...table].map(([c, flags]) => `    ${c}) opts="${flags.join(" ")}" ;;`).join("\n");
  return `# bash completion for pg-backup-guard. Install: pg-backup-guard completion bash > /etc/bash_completion.d/pg-backup-guard
_pg_backup_guard() {
  local cur cmd opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  cmd="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${[...table.keys()].join(" ")} help version" -- "$cur") )
    return
  fi
  case "$cmd" in
${cases}
    *) opts="" ;;
  esac
  if [ "$cmd" = explain ] && [[ "$cur" != -* ]]; then
    COMPREPLY=( $(compgen -W "${ruleIds.join(" ")}" -- "$cur") )
  elif [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o filenames -F _pg_backup_guard pg-backup-guard
`;
}

function zsh(table: Map<string, string[]>, ruleIds: string[]): string {
  const cases = [...table].map(([c, flags]) => `    ${c}) _arguments '*:file:_files' ${flags.map((f) => `'${f}'`).join(" ")} ;;`).join("\n");
  return `#compdef pg-backup-guard
# zsh completion for pg-backup-guard. Install: pg-backup-guard completion zsh > "\${fpath[1]}/_pg-backup-guard"
_pg-backup-guard() {
  if (( CURRENT == 2 )); then
    compadd ${[...table.keys()].join(" ")} help version
    return
  fi
  case "\${words[2]}" in
    explain) compadd ${ruleIds.join(" ")} ;;
${cases}
  esac
}
compdef _pg-backup-guard pg-backup-guard
`;
}

function fish(table: Map<string, string[]>, ruleIds: string[]): string {
  const lines = [
    "# fish completion for pg-backup-guard. Install: pg-backup-guard completion fish > ~/.config/fish/completions/pg-backup-guard.fish",
    `complete -c pg-backup-guard -n __fish_use_subcommand -f -a "${[...table.keys()].join(" ")} help version"`,
    `complete -c pg-backup-guard -n "__fish_seen_subcommand_from explain" -f -a "${ruleIds.join(" ")}"`,
  ];
  for (const [c, flags] of table) {
    for (const f of flags) lines.push(`complete -c pg-backup-guard -n "__fish_seen_subcommand_from ${c}" -l ${f.slice(2)}`);
  }
  return `${lines.join("\n")}\n`;
}

export function completionScript(shell: (typeof SHELLS)[number]): string {
  const table = completionTable();
  const ids = allRules.map((r) => r.meta.id);
  return shell === "bash" ? bash(table, ids) : shell === "zsh" ? zsh(table, ids) : fish(table, ids);
}

export function completionCommand(args: readonly string[], io: Io): number {
  const { values, positionals } = parse("completion", args, { help: { type: "boolean", short: "h" } });
  if (values.help) {
    io.stdout(COMPLETION_USAGE);
    return 0;
  }
  const shell = positionals[0];
  if (positionals.length !== 1 || !(SHELLS as readonly string[]).includes(shell!)) {
    throw new UsageError(`give one shell: ${SHELLS.join(", ")}${shell ? ` (got "${shell}")` : ""}`, "completion");
  }
  io.stdout(completionScript(shell as (typeof SHELLS)[number]));
  return 0;
}
