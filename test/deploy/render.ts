// Renders deploy/ with `kubectl kustomize` and the chart with `helm template`, for the install-path tests.
// The CLIs come from scripts/e2e/build-tools.ts (cached Go builds) or PATH; without them the tests skip with a
// message naming the build script.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { missingToolMessage, toolPath } from "../e2e/tools.ts";
import { repoRoot } from "../helpers/shared.ts";

export type Obj = Record<string, any>;

export const DEPLOY_DIR = join(repoRoot, "deploy");
export const CHART_DIR = join(repoRoot, "charts", "pg-backup-guard");
/** The overlay another issue adds (Secret lookups by name): the only place that may grant access to Secrets. */
export const SECRET_LOOKUPS_OVERLAY = "deploy/overlays/secret-lookups";

export interface Tool {
  path: string | undefined;
  /** `{ skip: message }` for node:test when the tool is missing, else `{}`. */
  skip: { skip?: string };
}

export function tool(name: "kubectl" | "helm"): Tool {
  const path = toolPath(name);
  return { path, skip: path ? {} : { skip: missingToolMessage(name) } };
}

function run(bin: string, args: string[]): string {
  try {
    return execFileSync(bin, args, { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; status?: number };
    throw new Error(`${bin} ${args.join(" ")} failed (exit ${err.status}):\n${err.stderr ?? ""}${err.stdout ?? ""}`);
  }
}

export function parseObjects(text: string): Obj[] {
  const out: Obj[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`unparsable YAML: ${doc.errors[0]!.message}`);
    const value = doc.toJS() as unknown;
    if (value && typeof value === "object") out.push(value as Obj);
  }
  return out;
}

/** Every directory under deploy/ with a kustomization.yaml, relative to the repo root (deploy, deploy/base, …). */
export function kustomizations(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (existsSync(join(dir, "kustomization.yaml"))) found.push(relative(repoRoot, dir));
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) walk(join(dir, entry.name));
  };
  walk(DEPLOY_DIR);
  return found.sort();
}

/** The default BackupPolicy, applied after an install once its CRD is established (see deploy/policy). */
export const DEFAULT_POLICY_DIR = "deploy/policy";

/** What a user installs following docs/webhook.md: the kustomization, then deploy/policy. */
export function installed(kubectl: string, dir: string): Obj[] {
  return [...kustomize(kubectl, dir), ...kustomize(kubectl, DEFAULT_POLICY_DIR)];
}

const kustomizeCache = new Map<string, Obj[]>();
/** `kubectl kustomize DIR` with the default load restrictor, parsed. */
export function kustomize(kubectl: string, dir: string): Obj[] {
  let objects = kustomizeCache.get(dir);
  if (!objects) {
    objects = parseObjects(run(kubectl, ["kustomize", dir]));
    kustomizeCache.set(dir, objects);
  }
  return structuredClone(objects);
}

/** `helm template pg-backup-guard charts/pg-backup-guard -n pg-backup-guard [--include-crds] ARGS`, parsed. */
export function helmTemplate(helm: string, args: string[] = [], release = "pg-backup-guard", namespace = "pg-backup-guard"): Obj[] {
  return parseObjects(run(helm, ["template", release, CHART_DIR, "--namespace", namespace, ...args]));
}

export function helm(helmPath: string, args: string[]): string {
  return run(helmPath, args);
}

export const byKind = (objects: Obj[], kind: string): Obj[] => objects.filter((o) => o.kind === kind);
export const one = (objects: Obj[], kind: string): Obj => {
  const found = byKind(objects, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0]!;
};
export const key = (o: Obj): string => `${o.kind}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name}`;
