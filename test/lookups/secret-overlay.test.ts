// deploy/: the base never grants Secrets; the optional secret-lookups overlay grants list/watch and sets the flag.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse, parseAllDocuments } from "yaml";
import { parseServeArgs } from "../../src/cli/serve.ts";
import { gvrOf } from "../../src/lookups/live-informers.ts";
import { lookupKindSpecs } from "../../src/lookups/kinds.ts";

function docs(path: string): any[] {
  return parseAllDocuments(readFileSync(new URL(`../../deploy/${path}`, import.meta.url), "utf8")).map((d) => d.toJS());
}

test("the base ClusterRole covers every lookup kind but Secret, read-only", () => {
  const role = docs("base/rbac.yaml").find((d) => d.kind === "ClusterRole");
  const granted = new Set<string>(role.rules.flatMap((r: any) => r.resources.map((res: string) => `${r.apiGroups[0]}/${res}`)));
  for (const { name: kind } of lookupKindSpecs()) {
    const gvr = gvrOf(kind);
    if (kind === "Secret") assert.ok(!granted.has("/secrets"), "the base must not grant secrets");
    else assert.ok(granted.has(`${gvr.group}/${gvr.plural}`), `${kind}: ${gvr.group}/${gvr.plural}`);
  }
  for (const r of role.rules) assert.deepEqual(r.verbs, ["get", "list", "watch"]);
});

test("the secret-lookups overlay: the default install, list/watch secrets for the webhook's ServiceAccount, --lookup-secrets", () => {
  const [k] = docs("overlays/secret-lookups/kustomization.yaml");
  assert.deepEqual(k.resources, ["../self-signed", "rbac.yaml"]);
  const rbac = docs("overlays/secret-lookups/rbac.yaml");
  const role = rbac.find((d) => d.kind === "ClusterRole");
  assert.deepEqual(role.rules, [{ apiGroups: [""], resources: ["secrets"], verbs: ["list", "watch"] }]);
  const binding = rbac.find((d) => d.kind === "ClusterRoleBinding");
  assert.equal(binding.roleRef.name, role.metadata.name);
  assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "pg-backup-guard", namespace: "pg-backup-guard" }]);
  const ops: { op: string; path: string; value: string }[] = parse(k.patches[0].patch);
  assert.deepEqual(ops, [{ op: "add", path: "/spec/template/spec/containers/0/args/-", value: "--lookup-secrets" }]);
  const parsed = parseServeArgs(["--tls-cert", "c", "--tls-key", "k", String(ops[0]?.value)]);
  assert.ok(parsed.ok && !("help" in parsed) && parsed.options.lookupSecrets === true);
});
