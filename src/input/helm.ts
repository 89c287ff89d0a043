// Recognising unrendered Helm (Go) templates among the inputs, so a GitOps repository that keeps a chart next to
// its manifests is not rejected: a template is not a manifest until `helm template` has rendered it.
import { existsSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { isCollection, visit, type Document } from "yaml";

/** A Helm chart directory holds `Chart.yaml` (Helm reads no other name); its templates are under `templates/`. */
export const CHART_FILE = "Chart.yaml";

/** The hint of every Helm skip notice. */
export function helmHint(chart = "<chart>"): string {
  return `render it first: helm template <release> ${chart} | pg-backup-guard validate -`;
}

/**
 * Start of a YAML comment in a line (`#` at the start or after whitespace, outside quotes), or the line length.
 * Quotes open only where a YAML scalar can start, so the apostrophe in `don't` is not one.
 */
function codeEnd(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (quote === '"' && c === "\\") i++;
      else if (c === quote) {
        if (quote === "'" && line[i + 1] === "'") i++;
        else quote = undefined;
      }
      continue;
    }
    const prev = i === 0 ? " " : line[i - 1]!;
    if (c === "#" && /\s/.test(prev)) return i;
    if ((c === '"' || c === "'") && /[\s:\-[{,]/.test(prev)) quote = c;
  }
  return line.length;
}

/** Offsets in `line` of `{{` outside comments and outside quoted scalars. */
function actionStarts(line: string): number[] {
  const end = codeEnd(line);
  const out: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < end; i++) {
    const c = line[i]!;
    if (quote) {
      if (quote === '"' && c === "\\") i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    const prev = i === 0 ? " " : line[i - 1]!;
    if ((c === '"' || c === "'") && /[\s:\-[{,]/.test(prev)) quote = c;
    else if (c === "{" && line[i + 1] === "{") {
      out.push(i);
      i++;
    }
  }
  return out;
}

/**
 * The 1-based line of the first Go template action (`{{ ... }}`, also `{{- ... -}}` and actions spanning lines)
 * outside YAML comments and quoted strings, or undefined. A `"{{ workflow.name }}"` in quotes is a string value
 * (Argo Workflows, Tekton...), not a template the YAML parser chokes on, so it does not count.
 */
export function templateLine(text: string): number | undefined {
  if (!text.includes("{{")) return undefined;
  const lines = text.split("\n");
  for (const [n, line] of lines.entries()) {
    for (const start of actionStarts(line)) {
      // The action must be closed, on this line or (a multi-line action) within the next few.
      const rest = [line.slice(start + 2), ...lines.slice(n + 1, n + 20)].join("\n");
      if (rest.includes("}}")) return n + 1;
    }
  }
  return undefined;
}

/**
 * Whether a parsed YAML document has a map key that is itself a map or list: what `name: {{ .Release.Name }}`
 * parses to (a flow map whose key is a flow map). Kubernetes objects never have such keys (JSON cannot).
 */
export function hasCollectionKey(documents: readonly Document[]): boolean {
  for (const doc of documents) {
    let found = false;
    visit(doc, {
      Pair(_, pair) {
        if (isCollection(pair.key)) {
          found = true;
          return visit.BREAK;
        }
        return undefined;
      },
    });
    if (found) return true;
  }
  return false;
}

/**
 * The chart directory when `file` lies under a chart's `templates/` (a directory named `templates` next to a
 * `Chart.yaml`), else undefined. The returned path is built from `file` as given (same style of path).
 */
export function chartOfTemplate(file: string): string | undefined {
  let dir = dirname(resolve(file));
  for (let depth = 0; depth < 256; depth++) {
    if (basename(dir) === "templates" && existsSync(join(dirname(dir), CHART_FILE))) {
      const chart = dirname(dir);
      return isAbsolute(file) ? chart : relative(process.cwd(), chart) || ".";
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}
