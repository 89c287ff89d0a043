import type { Problem } from "../../../engine/types.ts";
import { BoundedProblems, MAX_LISTED, placeholderReason, problem } from "../../../rules/util.ts";
import { hasPlaceholder, placeholderPattern } from "../../../util/placeholder.ts";
import { APPLIES_TO, GLOBAL_PATH, globalKeyPath, globalOf, reposOf, show } from "../model.ts";
import { DB_OPTIONS, PG_OPTIONS, PLAIN_OPTIONS, REPO_OPTIONS } from "../pgbackrest-options.ts";
import { PGBACKREST_CONFIG, PGBACKREST_OPTIONS, issue, operatorCode, pgbackrestCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

interface Params {
  extraKnownOptions: string[];
}

const INDEXED = /^(repo|pg|db)([1-9][0-9]{0,2})-(.+)$/;

/** Edit distance, bounded: strings here are short option names (the key is cut to 64 characters first). */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

function closest(name: string, options: ReadonlySet<string>): string | undefined {
  const cut = name.slice(0, 64);
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(cut.length / 4)) + 1;
  for (const o of options) {
    const d = distance(cut, o);
    if (d < bestD) [best, bestD] = [o, d];
  }
  return best;
}

export const rule = defineRule<Params>({
  meta: {
    id: "pgo-global-option-keys",
    appliesTo: [...APPLIES_TO],
    defaultAction: "warn",
    params: {
      extraKnownOptions: {
        type: "array",
        items: { type: "string" },
        uniqueItems: true,
        default: [],
        description: "More global keys to accept as they are (options of a newer pgBackRest, e.g. repo1-new-option).",
      },
    },
    docs: {
      summary: "global keys must be pgBackRest options, and repoN- keys must name a repo of spec.backups.pgbackrest.repos.",
      rationale:
        `PGO copies every global entry into the generated pgBackRest configuration unchecked (${operatorCode(PGBACKREST_CONFIG, 405, 407)}). ` +
        `A misspelt key such as repo1-rentention-archive is only an "invalid option" warning in pgBackRest's log (${issue(3943)}): the ` +
        "intended setting silently does not apply. A repoN- key for a repo the spec does not define makes pgBackRest see a repoN that PGO " +
        "does not manage (a posix repo unless its type is set too): pgBackRest creates a repo index for every index any option names " +
        `(${pgbackrestCode("src/config/parse.c", 2273, 2293)}), archive-push without --repo sends WAL to every repo, and for that repo it ` +
        `usually fails. Option names come from pgBackRest 2.59.1's option table (${PGBACKREST_OPTIONS}); add ` +
        "newer ones with extraKnownOptions.",
      bad: "global:\n  repo1-rentention-full: '4'\n  repo3-path: /pgbackrest/repo3   # no repo3 in repos",
      good: "global:\n  repo1-retention-full: '4'",
      fix: "Correct the option name (see https://pgbackrest.org/configuration.html), or remove keys of repos the cluster does not have.",
    },
  },
  check(resource, ctx) {
    const global = globalOf(resource);
    if (!global) return [];
    const extra = new Set(Array.isArray(ctx.params.extraKnownOptions) ? ctx.params.extraKnownOptions : []);
    const names = (reposOf(resource) ?? []).map((r) => r.name).filter((n): n is string => n !== undefined);
    const defined = new Set(names);
    // Repo names still holding a placeholder (`repo${N}`) may define any repo they can become.
    const unresolvedNames = names.filter((n) => hasPlaceholder(n)).map((n) => ({ n, matches: placeholderPattern(n) }));
    const maybeDefined = new Map<string, string | undefined>(); // by repo: the placeholder name that may define it
    const unresolved: Problem[] = [];
    const listed = new BoundedProblems();
    for (const key in global) {
      if (!Object.hasOwn(global, key) || extra.has(key)) continue;
      const m = INDEXED.exec(key);
      const options = !m ? PLAIN_OPTIONS : m[1] === "repo" ? REPO_OPTIONS : m[1] === "pg" ? PG_OPTIONS : DB_OPTIONS;
      const name = m ? m[3]! : key;
      const shown = key.length > 60 ? `${key.slice(0, 57)}...` : key;
      if (!options.has(name)) {
        listed.add(() => {
          const near = closest(name, options);
          const suggestion = near ? ` Did you mean ${m ? `${m[1]}${m[2]}-${near}` : near}?` : "";
          return problem(
            globalKeyPath(shown),
            `global key ${show(shown)} is not a pgBackRest option: pgBackRest only logs a warning and ignores it, so the setting does not apply.${suggestion}`,
          );
        });
        continue;
      }
      if (m && m[1] === "repo" && !defined.has(`repo${m[2]}`)) {
        const repo = `repo${m[2]}`;
        if (unresolvedNames.length > 0 && !maybeDefined.has(repo)) maybeDefined.set(repo, unresolvedNames.find((u) => u.matches(repo))?.n);
        const maybe = maybeDefined.get(repo);
        if (maybe !== undefined) {
          if (unresolved.length < MAX_LISTED)
            unresolved.push({ path: globalKeyPath(shown), message: `whether repo${m[2]} is defined: ${placeholderReason("the repo name", maybe)}`, notChecked: true });
          continue;
        }
        listed.add(() =>
          problem(
            globalKeyPath(shown),
            `global key ${show(shown)} is for repo${m[2]}, which spec.backups.pgbackrest.repos does not define: pgBackRest then sees a repo${m[2]} that PGO does not manage ` +
              `and archive-push sends WAL to it too. Remove the key, or add repo${m[2]} to repos.`,
          ),
        );
      }
    }
    return [...unresolved, ...listed.finish(GLOBAL_PATH, "global keys with a problem")];
  },
});
