import type { Problem, Rule } from "../../../engine/types.ts";
import { BoundedProblems, placeholderNotChecked, placeholderOneOfNotChecked, problem } from "../../../rules/util.ts";
import { withoutPlaceholders } from "../../../util/placeholder.ts";
import { getPath, isObject } from "../../../util/object.ts";
import { APPLIES_TO, GLOBAL_PATH, RESTORE_PATH, globalKeyPath, globalOf, show } from "../model.ts";
import { containerCode, operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

interface Params {
  extraAllowedOptions: string[];
}

/** pgBackRest `restore` options a user may pass (without `--`). */
export const RESTORE_OPTIONS = new Set([
  "type", "set", "target", "target-exclusive", "target-timeline", "db-include", "db-exclude", "link-all", "link-map",
  "tablespace-map", "tablespace-map-all", "recovery-option", "archive-mode", "force", "process-max", "repo-target-time",
  "buffer-size", "io-timeout", "log-level-console", "log-level-file",
]);
/** Options the operator's restore command sets itself; a second copy makes pgBackRest refuse or changes the restore. */
export const OPERATOR_OPTIONS = new Set(["stanza", "pg1-path", "delta", "target-action", "repo"]);
export const RESTORE_TYPES = ["default", "immediate", "time", "xid", "name", "lsn", "preserve", "standby", "none"];
const NEEDS_TARGET = new Set(["time", "xid", "name", "lsn"]);
const OPTION_KEY = /^[a-z0-9][a-z0-9-]*$/;
/** Characters that can end or escape the "…" the operator wraps values in before `bash -xc`. */
const SHELL_UNSAFE = /["'`$\\;|&<>\r\n\u0000-\u001f\u007f]/;

function describeChar(value: string): string {
  const c = value.match(SHELL_UNSAFE)?.[0] ?? "";
  return c === "\n" ? "a newline" : c === "\r" ? "a carriage return" : c < " " || c === "\u007f" ? "a control character" : `'${c}'`;
}

export const rule = defineRule<Params>({
  meta: {
    id: "cpo-restore-options-safe",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {
      extraAllowedOptions: {
        type: "array",
        items: { type: "string", pattern: "^[a-z0-9][a-z0-9-]*$" },
        uniqueItems: true,
        default: [],
        description: "More pgBackRest option names to accept in restore.options (e.g. repo1-path).",
      },
    },
    docs: {
      summary: "restore.options must be known pgBackRest restore options with shell-safe values; global values must be single-line.",
      rationale:
        "The operator renders restore.options as ` --<key>=\"<value>\"` into a ConfigMap " +
        `(${operatorCode("pkg/cluster/restore.go", 195, 207)}) that the restore init container runs through \`bash -xc\` ` +
        `(${containerCode("scripts/pgbackrest/restore/start.sh", 37, 49)}): a key or value with quotes, $, backticks, backslashes, ;, |, ` +
        "& or newlines breaks the command or runs arbitrary commands in the database pod. repo is added by the operator, stanza, " +
        "pg1-path, delta and target-action (or type=none on replicas) by the container. type time/xid/name/lsn without target replays to " +
        "the end of WAL instead of the intended point. global values are written to the INI file unescaped, so a newline injects options.",
      bad: "restore:\n  id: '2'\n  repo: repo1\n  options: {type: time, target-time: '2024-05-16 07:46:05+00'}",
      good: "restore:\n  id: '2'\n  repo: repo1\n  options: {type: time, target: '2024-05-16 07:46:05+00'}",
      fix: "Use only pgBackRest restore options (type, set, target, target-exclusive, target-timeline, ...), plain values, and a target for time/xid/name/lsn.",
    },
  },
  check(resource, ctx) {
    const problems: Problem[] = [...checkGlobal(resource)];
    const restore = getPath(resource, RESTORE_PATH);
    if (!isObject(restore) || restore.options == null) return problems;
    const base = `${RESTORE_PATH}.options`;
    const options = restore.options;
    if (!isObject(options)) {
      problems.push(problem(base, `restore.options is ${show(options)}, not a map of strings: write e.g. \`options: {type: immediate}\`.`));
      return problems;
    }
    const extra = new Set(Array.isArray(ctx.params.extraAllowedOptions) ? ctx.params.extraAllowedOptions : []);
    // One problem per bad key, bounded: pgBackRest knows ~20 restore options, a hostile map may hold 60,000 keys.
    const listed = new BoundedProblems();
    for (const key in options) {
      if (!Object.hasOwn(options, key)) continue;
      const value = options[key];
      const path = `${base}.${key}`; // a rope: flattened only when a listed message uses it
      if (!OPTION_KEY.test(key)) {
        listed.add(() => problem(path, `restore option key ${show(key)} is not a pgBackRest option name; the operator writes it unquoted into a bash command line. Remove it.`));
        continue;
      }
      if (OPERATOR_OPTIONS.has(key)) {
        const hint = key === "repo" ? " Choose the repo with restore.repo instead." : "";
        listed.add(() => problem(path, `restore option "${key}" is set by the operator or its restore script itself (--${key}); a second value makes pgBackRest refuse the restore or changes what it does. Remove it.${hint}`));
        continue;
      }
      if (!RESTORE_OPTIONS.has(key) && !extra.has(key)) {
        const hint = key === "target-time" ? " For a point in time write `type: time` and `target: '<timestamp>'`." : "";
        listed.add(() => problem(path, `restore option "${key}" is not a pgBackRest restore option, so the restore fails after the operator has stopped the cluster.${hint} Remove it or use a known option (type, set, target, target-exclusive, target-timeline, ...).`));
        continue;
      }
      if (typeof value !== "string") {
        listed.add(() => problem(path, `restore option "${key}" is ${show(value)}, not a string: the CRD rejects it. Quote it: \`${key}: '${String(value)}'\`.`));
        continue;
      }
      // `${TARGET}` is gone after substitution (its value is unknown here); the characters around it are not.
      const written = withoutPlaceholders(value);
      if (SHELL_UNSAFE.test(written)) {
        listed.add(() => problem(path, `restore option "${key}" contains ${describeChar(written)}: the operator wraps it in "…" and the restore container runs it through bash -xc, so it breaks the restore command or runs arbitrary commands. Remove that character.`));
      } else if (written !== value) {
        listed.add(() => placeholderNotChecked(value, path, `restore option "${key}"`)!);
      }
    }
    problems.push(...listed.finish(base, "restore options with a problem"));
    const type = options.type;
    // A type still holding a placeholder that can become a restore type was answered not checked above.
    if (typeof type === "string" && !placeholderOneOfNotChecked(type, RESTORE_TYPES, `${base}.type`, "restore type")) {
      if (!RESTORE_TYPES.includes(type)) {
        problems.push(problem(`${base}.type`, `restore type ${show(type)} is not one of ${RESTORE_TYPES.join(", ")}, so pgBackRest refuses it after the cluster was stopped. Write e.g. \`type: immediate\`.`));
      } else if (NEEDS_TARGET.has(type) && (typeof options.target !== "string" || options.target.trim() === "")) {
        problems.push(problem(base, `restore type ${type} needs a target (without one pgBackRest cannot stop at the intended point). Add \`target: '<${type === "time" ? "2024-05-16 07:46:05+00" : type}>'\`.`));
      }
    }
    return problems;
  },
});

/** global keys and values go into the INI file as `k = v`, unescaped. */
function checkGlobal(resource: Parameters<Rule["check"]>[0]): Problem[] {
  const global = globalOf(resource);
  if (!global) return [];
  const listed = new BoundedProblems();
  for (const key in global) {
    if (!Object.hasOwn(global, key)) continue;
    const value = global[key];
    if (!OPTION_KEY.test(key)) {
      listed.add(() => problem(GLOBAL_PATH, `global key ${show(key.length > 80 ? `${key.slice(0, 77)}...` : key)} is not a pgBackRest option name; the operator writes it unescaped into the INI file. Use lower-case option names like repo1-retention-full.`));
    } else if (typeof value === "string" && (value.includes("\n") || value.includes("\r"))) {
      listed.add(() => problem(globalKeyPath(key), `global value of ${key} contains a line break: the operator writes it unescaped into the pgBackRest config file, so the next line becomes another option. Put the value on one line.`));
    }
  }
  return listed.finish(GLOBAL_PATH, "global keys or values with a problem");
}
