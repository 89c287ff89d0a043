// Namespaces that kustomize would give: most objects in a GitOps repository have no `metadata.namespace`,
// because the `namespace:` of the kustomization.yaml that lists them sets it at build time.
//
// kustomize semantics (https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/namespace/ and
// https://kubectl.docs.kubernetes.io/guides/config_management/namespaces_names/): `namespace:` "will override
// the existing namespace if it is set on a resource, or add it if it is not set", for the namespaced resources
// only (cluster-scoped kinds keep none). A kustomization's `resources:` (and the legacy `bases:`) entries are
// files, or directories holding their own kustomization, which is built first (its own `namespace:` applies)
// and then transformed by the outer one: the OUTERMOST `namespace:` on the way from a build root to a file wins.
// `components:` are followed the same way (an approximation: a component's transformers really act on all of
// its parent's resources; only its own resources get its `namespace:` here, and the parent's overrides it).
// Remote entries (URLs, `github.com/...?ref=`) are never fetched: they are noted and ignored.
//
// Files referenced as patches (`patches[].path`, `patchesStrategicMerge`, `patchesJson6902[].path`) are not
// resources: kustomize merges them into other objects, so a patch file is a fragment, not a manifest to check.
//
// Out of scope: Flux's `kustomize.toolkit.fluxcd.io` Kustomization `spec.targetNamespace` (it names a path in
// a source repository whose root we do not know), `namePrefix`/`nameSuffix`, generators, `helmCharts`, and the
// special handling kustomize gives a Namespace object itself.
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import { parseDocument } from "yaml";
import { isObject } from "../util/object.ts";
import type { Resource } from "../engine/types.ts";
import { MAX_FILES, MAX_INPUT_BYTES } from "./limits.ts";
import type { InputNotice, NamespaceAssignment } from "./types.ts";
import { substitute } from "./envsubst.ts";

export type { NamespaceAssignment };

/** The names kustomize looks for in a directory, in its order of preference. */
export const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"] as const;

/**
 * Cluster-scoped kinds, which the namespace transformer leaves alone. kustomize knows the built-in ones from its
 * schema and treats kinds it does not know (custom resources) as namespaced unless the kustomization teaches it
 * otherwise (`openapi:`/`crds:`), so it may write a namespace into a VolumeSnapshotClass; the API server ignores
 * it on a cluster-scoped object, and so must policy selection: it is listed here.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  "APIService",
  "BackupPolicy",
  "CertificateSigningRequest",
  "ClusterIssuer",
  "ClusterRole",
  "ClusterRoleBinding",
  "ComponentStatus",
  "CSIDriver",
  "CSINode",
  "CustomResourceDefinition",
  "IngressClass",
  "MutatingWebhookConfiguration",
  "Namespace",
  "Node",
  "PersistentVolume",
  "PriorityClass",
  "RuntimeClass",
  "StorageClass",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "ValidatingWebhookConfiguration",
  "VolumeAttachment",
  "VolumeSnapshotClass",
  "VolumeSnapshotContent",
]);

/**
 * The namespace kustomize's transformer would write into `object`, or undefined when it would not touch it
 * (no assignment, or a cluster-scoped kind). It overrides the object's own `metadata.namespace`. The value may
 * still hold a `${VAR}` placeholder (check `hasPlaceholder`).
 */
export function kustomizedNamespace(object: Pick<Resource, "kind">, assignment: NamespaceAssignment | undefined): string | undefined {
  if (!assignment || CLUSTER_SCOPED_KINDS.has(object.kind)) return undefined;
  return assignment.namespace;
}

export interface KustomizeOptions {
  /**
   * Directories the files were found in (the PATH arguments that are directories): every directory between a
   * root and a file is searched for a kustomization, not only the files' own directories (a kustomization may
   * list `sub/dir` without a file of its own in between). Without roots only the files' directories are searched.
   */
  roots?: readonly string[];
  /** Flux variables: a `namespace: ${NS}` is substituted (Flux substitutes after kustomize has set it). */
  vars?: ReadonlyMap<string, string>;
}

export interface KustomizeAnalysis {
  /** Files (keys exactly as in the `files` argument) that kustomize would put in one namespace. */
  namespaces: Map<string, NamespaceAssignment>;
  /** Files different build roots put in different namespaces (an overlay per environment): not assigned. */
  conflicts: Map<string, NamespaceAssignment[]>;
  /** Files (keys as in `files`) listed as patches and never as resources, with the kustomization listing them. */
  patches: Map<string, string>;
  /** Kustomization files read, as display paths (input files as given, others relative to the working directory). */
  kustomizations: string[];
  /** Things we could not follow (remote or missing entries, unparsable kustomization, cycles). Never errors. */
  notices: InputNotice[];
}

interface Kustomization {
  /** Absolute path of the file. */
  path: string;
  display: string;
  namespace?: string;
  /** Files listed as resources, absolute. */
  files: string[];
  /** Kustomization files of listed directories (resources, bases, components), absolute. */
  children: string[];
  patches: string[];
}

const MAX_KUSTOMIZATIONS = MAX_FILES;

function isRemote(entry: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.startsWith("git@") || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) || entry.includes("?ref=");
}

/** The kustomization file of a directory, or undefined. */
function kustomizationIn(dir: string): string | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const p = join(dir, name);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      // not there
    }
  }
  return undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

class Analyzer {
  readonly loaded = new Map<string, Kustomization | undefined>();
  readonly notices: InputNotice[] = [];
  private readonly vars: ReadonlyMap<string, string> | undefined;
  /** Display paths of input files (as given); other paths are shown relative to the working directory. */
  private readonly given: ReadonlyMap<string, string>;
  private readonly absolute: boolean;

  constructor(vars: ReadonlyMap<string, string> | undefined, given: ReadonlyMap<string, string>) {
    this.vars = vars;
    this.given = given;
    this.absolute = [...given.values()].some((f) => isAbsolute(f));
  }

  display(path: string): string {
    return this.given.get(path) ?? (this.absolute ? path : relative(process.cwd(), path) || ".");
  }

  private note(source: string, message: string, line?: number): void {
    this.notices.push(line === undefined ? { source, message } : { source, line, message });
  }

  /** Reads and parses one kustomization (memoised). Undefined when it cannot be read or parsed (noted). */
  load(path: string): Kustomization | undefined {
    if (this.loaded.has(path)) return this.loaded.get(path);
    this.loaded.set(path, undefined);
    const display = this.display(path);
    let text: string;
    try {
      const size = statSync(path).size;
      if (size > MAX_INPUT_BYTES) {
        this.note(display, `kustomization larger than ${MAX_INPUT_BYTES} bytes; its namespace is not used`);
        return undefined;
      }
      text = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
    } catch (err) {
      this.note(display, `cannot read kustomization (${String((err as Error)?.message ?? err)}); its namespace is not used`);
      return undefined;
    }
    const doc = parseDocument(text, { prettyErrors: true, logLevel: "silent" });
    const error = doc.errors[0];
    let value: unknown;
    try {
      value = error ? undefined : doc.toJS({ maxAliasCount: 100 });
    } catch {
      value = undefined;
    }
    if (!isObject(value)) {
      const why = error ? ` (${error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")})` : "";
      this.note(display, `cannot read as a kustomization${why}; its namespace is not used`, error?.linePos?.[0]?.line);
      return undefined;
    }
    const dir = dirname(path);
    const k: Kustomization = { path, display, files: [], children: [], patches: [] };
    if (typeof value.namespace === "string" && value.namespace !== "") {
      k.namespace = this.vars ? substitute(value.namespace, this.vars).text : value.namespace;
    } else if (value.namespace !== undefined && value.namespace !== null && value.namespace !== "") {
      this.note(display, "namespace: is not a string; ignored");
    }
    for (const field of ["resources", "bases", "components"]) {
      for (const entry of strings(value[field])) {
        // Local first: an entry that exists on disk is a path, whatever it looks like. Nothing is ever fetched.
        const abs = resolve(dir, entry);
        let stat;
        try {
          stat = statSync(abs);
        } catch {
          stat = undefined;
        }
        if (!stat) {
          this.note(display, isRemote(entry) ? `${field}: ${entry} is remote; not fetched (its objects are not checked)` : `${field}: ${entry} not found`);
        } else if (stat.isDirectory()) {
          const child = kustomizationIn(abs);
          if (child) k.children.push(child);
          else this.note(display, `${field}: ${entry} is a directory without a kustomization`);
        } else k.files.push(abs);
      }
    }
    const patchFiles = [
      ...strings(value.patchesStrategicMerge).filter((e) => !e.includes("\n")),
      ...[value.patches, value.patchesJson6902].flatMap((list) =>
        Array.isArray(list) ? list.filter(isObject).map((p) => p.path).filter((p): p is string => typeof p === "string") : [],
      ),
    ];
    for (const entry of patchFiles) {
      const abs = resolve(dir, entry);
      if (existsSync(abs)) k.patches.push(abs);
    }
    this.loaded.set(path, k);
    return k;
  }
}

/** A path key that two spellings of one file share (`./a/../b.yaml` and `b.yaml`). */
function key(path: string): string {
  return normalize(resolve(path));
}

/** Every directory from `dir` up to and including `root` (when `dir` is inside `root`). */
function dirsUpTo(dir: string, root: string): string[] {
  const rel = relative(root, dir);
  if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return [];
  const out = [dir];
  let d = dir;
  while (d !== root) {
    const parent = dirname(d);
    if (parent === d) break;
    d = parent;
    out.push(d);
  }
  return out;
}

/**
 * Reads the kustomizations among and around `files` (the output of `expandPaths`) and works out the namespace
 * kustomize would give each file's objects. Never fails: what it cannot follow is in `notices`.
 */
export function analyzeKustomizations(files: readonly string[], options: KustomizeOptions = {}): KustomizeAnalysis {
  const byKey = new Map<string, string>();
  for (const f of files) if (f !== "-" && !byKey.has(key(f))) byKey.set(key(f), f);
  const analyzer = new Analyzer(options.vars, byKey);

  // 1. Kustomization files: those in the input, and those in the directories the input was found in.
  const dirs = new Set<string>();
  const roots = (options.roots ?? []).map(key);
  for (const [k] of byKey) {
    const dir = dirname(k);
    dirs.add(dir);
    for (const root of roots) for (const d of dirsUpTo(dir, root)) dirs.add(d);
  }
  const candidates: string[] = [];
  for (const [k] of byKey) if ((KUSTOMIZATION_FILES as readonly string[]).includes(basename(k))) candidates.push(k);
  for (const dir of [...dirs].sort()) {
    const k = kustomizationIn(dir);
    if (k && !candidates.includes(k)) candidates.push(k);
  }

  // 2. Load them and everything they reach.
  const included = new Set<string>();
  const queue = [...candidates];
  for (let i = 0; i < queue.length && i < MAX_KUSTOMIZATIONS; i++) {
    const k = analyzer.load(queue[i]!);
    if (!k) continue;
    for (const child of k.children) {
      included.add(child);
      if (!analyzer.loaded.has(child)) queue.push(child);
    }
  }

  // 3. From every build root (a kustomization no other one includes), the outermost namespace on the way down.
  const outcomes = new Map<string, Map<string, NamespaceAssignment | null>>(); // file -> setter path -> assignment
  const reported = new Set<string>();
  const reached = new Set<string>();
  const fromRoot = (root: string): void => {
    const seen = new Set<string>(); // `${kustomization}\0${setter}` visited from this root
    const walk = (path: string, setter: NamespaceAssignment | null, stack: string[]): void => {
      const k = analyzer.loaded.get(path);
      if (!k) return;
      if (stack.includes(path)) {
        if (!reported.has(path)) {
          reported.add(path);
          analyzer.notices.push({ source: k.display, message: `kustomization cycle: ${[...stack, path].map((p) => analyzer.display(p)).join(" -> ")}` });
        }
        return;
      }
      const here = setter ?? (k.namespace !== undefined ? { namespace: k.namespace, kustomization: k.display } : null);
      const visit = `${path}\0${here?.kustomization ?? ""}`;
      if (seen.has(visit)) return;
      seen.add(visit);
      reached.add(path);
      for (const file of k.files) {
        let m = outcomes.get(file);
        if (!m) outcomes.set(file, (m = new Map()));
        m.set(here?.kustomization ?? "", here);
      }
      for (const child of k.children) walk(child, here, [...stack, path]);
    };
    walk(root, null, []);
  };
  for (const [path, k] of analyzer.loaded) if (k && !included.has(path)) fromRoot(path);
  // Kustomizations only reachable through a cycle (no root outside it): kustomize refuses to build them; walk
  // them anyway so the cycle is reported.
  for (const [path, k] of analyzer.loaded) if (k && !reached.has(path)) fromRoot(path);

  const namespaces = new Map<string, NamespaceAssignment>();
  const conflicts = new Map<string, NamespaceAssignment[]>();
  // In input order; files reached through a kustomization but not in the input are left out.
  for (const [file, name] of byKey) {
    const m = outcomes.get(file);
    if (!m) continue;
    const assignments = [...m.values()];
    const distinct = new Set(assignments.map((a) => (a === null ? "\0none" : a.namespace)));
    if (distinct.size === 1 && assignments[0]) namespaces.set(name, assignments[0]);
    else if (distinct.size > 1) {
      const set = assignments.filter((a): a is NamespaceAssignment => a !== null);
      conflicts.set(name, set);
      const none = assignments.some((a) => a === null) ? "; another build keeps its own namespace" : "";
      analyzer.notices.push({
        source: name,
        message: `kustomizations disagree on its namespace (${set.map((a) => `${a.namespace} from ${a.kustomization}`).join(", ")}${none}); none applied`,
      });
    }
  }

  const resources = new Set<string>();
  for (const k of analyzer.loaded.values()) for (const f of k?.files ?? []) resources.add(f);
  const patches = new Map<string, string>();
  for (const k of analyzer.loaded.values()) {
    if (!k) continue;
    for (const p of k.patches) {
      const name = byKey.get(p);
      if (name !== undefined && !resources.has(p) && !patches.has(name)) patches.set(name, k.display);
    }
  }

  const kustomizations = [...analyzer.loaded.entries()].filter(([, k]) => k).map(([p]) => analyzer.display(p));
  return { namespaces, conflicts, patches, kustomizations, notices: analyzer.notices };
}

/** `file -> namespace` for the files kustomize would put in one namespace (see `analyzeKustomizations`). */
export function kustomizationNamespaces(files: readonly string[], options: KustomizeOptions = {}): Map<string, NamespaceAssignment> {
  return analyzeKustomizations(files, options).namespaces;
}
