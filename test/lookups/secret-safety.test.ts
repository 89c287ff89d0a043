// Secrets are looked up by name only: a recognisable value planted in a Secret's data, stringData and annotations
// (given as input, as --lookup, by a live API server, and to the webhook) must appear in no output and no log line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { request as httpsRequest } from "node:https";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Writable } from "node:stream";
import { pino } from "pino";
import { run } from "../cli/run.ts";
import { withFakeApiServer } from "../helpers/fake-api-server.ts";
import { InventoryLookups } from "../../src/lookups/inventory.ts";
import { parseServeArgs } from "../../src/cli/serve.ts";
import { startWebhook } from "../../src/webhook/serve.ts";

const PLANTED = "PGBG-PLANTED-9f4c2e71-do-not-print";
const FORMS = [PLANTED, Buffer.from(PLANTED).toString("base64"), "9f4c2e71"];
const FIX = fileURLToPath(new URL("../webhook/fixtures/", import.meta.url));

function assertClean(where: string, text: string): void {
  for (const form of FORMS) assert.ok(!text.includes(form), `${where} contains the planted Secret value (${form}):\n${text.slice(0, 2000)}`);
}

function secretYaml(name: string, namespace = "db"): string {
  const b64 = Buffer.from(PLANTED).toString("base64");
  return (
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n  labels: {app: pg}\n` +
    `  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{"stringData":{"ACCESS_SECRET_KEY":"${PLANTED}"}}'\n` +
    `type: Opaque\ndata:\n  ACCESS_KEY_ID: ${b64}\n  ${PLANTED}: ${b64}\nstringData:\n  ACCESS_SECRET_KEY: ${PLANTED}\n  s3.conf: "[global]\\nrepo1-s3-key-secret=${PLANTED}"\n`
  );
}

function storeYaml(name: string, secret: string): string {
  return (
    `apiVersion: barmancloud.cnpg.io/v1\nkind: ObjectStore\nmetadata: {name: ${name}, namespace: db}\nspec:\n  retentionPolicy: 30d\n` +
    `  configuration:\n    destinationPath: s3://b/${name}\n    s3Credentials:\n      accessKeyId: {name: ${secret}, key: ACCESS_KEY_ID}\n` +
    `      secretAccessKey: {name: ${secret}, key: ACCESS_SECRET_KEY}\n`
  );
}

const CPO =
  "apiVersion: cpo.opensource.cybertec.at/v1\nkind: postgresql\nmetadata: {name: acid, namespace: db}\nspec:\n  teamId: acid\n  numberOfInstances: 2\n" +
  "  volume: {size: 5Gi}\n  postgresql: {version: '17', parameters: {archive_timeout: '60'}}\n  backup:\n    pgbackrest:\n      image: pgbackrest\n" +
  "      configuration: {secret: pg-creds}\n      global: {repo1-retention-full: '7', repo1-path: /acid}\n" +
  "      repos:\n      - {name: repo1, storage: s3, resource: b, endpoint: e, region: r, schedule: {full: '30 2 * * *'}}\n";

function inputs(): { dir: string; lookup: string } {
  const dir = mkdtempSync(join(tmpdir(), "pgbg-secret-"));
  mkdirSync(join(dir, "in"));
  writeFileSync(join(dir, "in", "secret.yaml"), secretYaml("pg-creds"));
  writeFileSync(join(dir, "in", "stores.yaml"), `${storeYaml("found-store", "pg-creds")}---\n${storeYaml("missing-store", "typo-creds")}---\n${storeYaml("lookup-store", "lookup-creds")}`);
  writeFileSync(join(dir, "in", "cpo.yaml"), CPO);
  const lookup = join(dir, "lookup.yaml");
  writeFileSync(lookup, secretYaml("lookup-creds"));
  return { dir, lookup };
}

test("every output format of validate (and mutate's with the Secret in --lookup) holds no Secret data", async () => {
  const { dir, lookup } = inputs();
  try {
    for (const format of ["text", "json", "sarif", "github", "junit"]) {
      const r = await run(["validate", join(dir, "in"), "--lookup", lookup, "--format", format]);
      assert.equal(r.code, 1, `${format}: the missing Secret denies\n${r.stdout}${r.stderr}`);
      assertClean(`validate --format ${format} stdout`, r.stdout);
      assertClean(`validate --format ${format} stderr`, r.stderr);
      assert.ok(r.stdout.includes("typo-creds"), `${format}: the finding names the missing Secret`);
    }
    // Found Secrets (from the inputs and from --lookup) give no finding; the missing one does.
    const json = JSON.parse((await run(["validate", join(dir, "in"), "--lookup", lookup, "-o", "json"])).stdout);
    const credentials = json.results.flatMap((r: any) => r.findings.filter((f: any) => f.rule.endsWith("credentials-exist")).map((f: any) => `${r.name}:${f.rule}`));
    assert.deepEqual(credentials, ["missing-store:cnpg-credentials-exist"]);
    // Secrets are not validated resources.
    assert.ok(!json.results.some((r: any) => r.kind === "Secret"));

    const m = await run(["mutate", join(dir, "in", "stores.yaml"), "--lookup", lookup]);
    assertClean("mutate stdout", m.stdout);
    assertClean("mutate stderr", m.stderr);
    const e = await run(["explain", "cnpg-credentials-exist"]);
    assertClean("explain", e.stdout);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("the inventory keeps only apiVersion, kind, name and namespace of a Secret", () => {
  const secret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "s", namespace: "db", labels: { x: PLANTED }, annotations: { a: PLANTED } },
    data: { k: PLANTED },
    stringData: { k: PLANTED },
    type: PLANTED,
  };
  const lookups = new InventoryLookups([secret]);
  assert.deepEqual(lookups.get("Secret", "db", "s"), { apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "db" } });
  assertClean("inventory", JSON.stringify(lookups.list("Secret")));
});

test("validate --kubeconfig asks for metadata only and drops whatever data a server sends anyway", async () => {
  const accepts: string[] = [];
  const { dir } = inputs();
  try {
    await withFakeApiServer((req, res) => {
      const path = (req.url ?? "").split("?")[0]!;
      if (path === "/api/v1/secrets") {
        accepts.push(String(req.headers.accept));
        // A misbehaving server: full Secrets although metadata was asked for.
        const item = { metadata: { name: "pg-creds", namespace: "db", annotations: { a: PLANTED } }, data: { k: Buffer.from(PLANTED).toString("base64") }, stringData: { k: PLANTED } };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ kind: "SecretList", apiVersion: "v1", metadata: {}, items: [item] }));
        return;
      }
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ kind: "Status", code: 404 }));
    }, async (kubeconfig) => {
      const stores = join(dir, "in", "stores.yaml");
      for (const format of ["text", "json", "sarif", "github", "junit"]) {
        const r = await run(["validate", stores, "--kubeconfig", kubeconfig, "--format", format]);
        assertClean(`--kubeconfig ${format}`, r.stdout + r.stderr);
        assert.equal(r.code, 1, r.stdout + r.stderr);
      }
    });
    assert.ok(accepts.length > 0 && accepts.every((a) => a.includes("as=PartialObjectMetadataList;g=meta.k8s.io;v=v1")), JSON.stringify(accepts));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

function post(port: number, path: string, body: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = httpsRequest(
      { host: "127.0.0.1", port, path, method: "POST", rejectUnauthorized: false, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) } },
      (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

function review(object: Record<string, any>, extra: Record<string, unknown> = {}) {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
  return {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: `u-${Math.random()}`,
      kind: { group, version, kind: object.kind },
      resource: { group, version, resource: `${String(object.kind).toLowerCase()}s` },
      name: object.metadata?.name,
      namespace: object.metadata?.namespace,
      operation: "CREATE",
      userInfo: { username: "alice" },
      object,
      ...extra,
    },
  };
}

test("the webhook (--no-cluster --lookup with a Secret, --lookup-secrets) logs and answers without Secret data", async () => {
  const { dir, lookup } = inputs();
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const parsed = parseServeArgs([
    "--no-cluster", "--lookup", lookup, "--lookup-secrets", "--tls-cert", join(FIX, "tls-a.crt"), "--tls-key", join(FIX, "tls-a.key"),
    "--port", "0", "--host", "127.0.0.1", "--shutdown-delay", "0", "--log-level", "trace",
  ]);
  assert.ok(parsed.ok && !("help" in parsed));
  assert.equal(parsed.options.lookupSecrets, true);
  const hook = await startWebhook(parsed.options, { logger: pino({ level: "trace" }, stream) });
  try {
    const { parse } = await import("yaml");
    const secret = parse(secretYaml("pg-creds"));
    const found = parse(storeYaml("lookup-store", "lookup-creds"));
    const missing = parse(storeYaml("missing-store", "typo-creds"));
    const answers: string[] = [];
    for (const body of [
      review(found),
      review(missing),
      review(parse(CPO)),
      review(secret), // a Secret sent to the webhook anyway: not a covered kind
      review(secret, { operation: "UPDATE", oldObject: secret }),
      { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { uid: "bad", object: secret } }, // unusable request
    ]) {
      for (const path of ["/validate", "/mutate"]) answers.push((await post(hook.port, path, body)).text);
    }
    const all = answers.join("\n");
    assert.match(all, /not found yet.*typo-creds/, "the missing Secret is warned about by name");
    assert.ok(!/lookup-creds/.test(answers[0]!), "the Secret from --lookup is found: no finding for it");
    assertClean("webhook responses", all);
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(lines.length > 0, "the logger was used");
    assertClean("webhook log", lines.join(""));
  } finally {
    await hook.shutdown();
    rmSync(dir, { recursive: true });
  }
});
